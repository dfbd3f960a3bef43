/**
 * The application's code: an annotated service interface and its implementation, an annotated
 * endpoint of the JDK's HTTP server, and the metrics sink the module provides.
 */
package dev.nines.it;
