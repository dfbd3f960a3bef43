package dev.nines.metrics;

/**
 * Latency of a set of calls, in nanoseconds. Percentiles are bucket midpoints, within about 6% of
 * the true value. Immutable, so thread-safe.
 *
 * @param count how many durations were recorded
 * @param mean  the arithmetic mean
 * @param max   the largest recorded duration (exact)
 * @param p50   the median
 * @param p90   the 90th percentile
 * @param p99   the 99th percentile
 * @param p999  the 99.9th percentile
 */
public record LatencySummary(long count, long mean, long max, long p50, long p90, long p99, long p999) {
}
