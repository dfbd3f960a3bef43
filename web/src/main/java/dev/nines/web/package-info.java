/** Endpoint adapters. */
package dev.nines.web;
