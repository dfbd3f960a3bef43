/**
 * The SPI that carries a caller's thread-bound context (the SLF4J MDC by default; tracing,
 * security and more with {@code nines-micrometer}) to the worker threads nines hands work to.
 */
package dev.nines.context;
