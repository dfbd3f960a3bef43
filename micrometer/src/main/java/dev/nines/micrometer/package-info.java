/**
 * nines in the Micrometer ecosystem: {@link dev.nines.micrometer.MicrometerContextPropagator}
 * carries the caller's context (MDC, OpenTelemetry, registered thread-locals) across nines's
 * thread hops.
 */
package dev.nines.micrometer;
