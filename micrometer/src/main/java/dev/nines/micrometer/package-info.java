/**
 * nines in the Micrometer ecosystem: {@link dev.nines.micrometer.MicrometerSink}, the Micrometer
 * adapter of nines' {@link dev.nines.metrics.MetricsSink} (see it for the meters it registers), and
 * {@link dev.nines.micrometer.MicrometerContextPropagator}, which carries the caller's context (MDC,
 * OpenTelemetry, registered thread-locals) across nines' thread hops.
 */
package dev.nines.micrometer;
