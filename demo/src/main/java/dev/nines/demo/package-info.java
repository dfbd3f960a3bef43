/** The game day. */
package dev.nines.demo;
