/**
 * The Micrometer adapter of nines' {@link dev.nines.metrics.MetricsSink}: see
 * {@link dev.nines.micrometer.MicrometerSink} for the meters it registers.
 */
package dev.nines.micrometer;
