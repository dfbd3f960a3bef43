package dev.nines.metrics;

import java.util.Arrays;

/**
 * Cumulative latency counts at fixed upper bounds, as a Prometheus or OpenMetrics histogram
 * exports them ({@code _bucket{le=...}}, {@code _sum}, {@code _count}): buckets with the same bounds
 * add up across instances, which quantiles cannot. Read from a {@link LatencyHistogram}; a count
 * never includes a duration above its bound, and may leave out one within the histogram's 1/16
 * resolution below it.
 *
 * @param upperBoundsNanos the bounds, ascending, in nanoseconds
 * @param cumulativeCounts for each bound, how many durations were at most it
 * @param count            how many durations were recorded in all (the {@code +Inf} bucket)
 * @param sumNanos         their sum, in nanoseconds
 */
public record LatencyBuckets(long[] upperBoundsNanos, long[] cumulativeCounts, long count, long sumNanos) {

    /** Copies the arrays and checks that they match: one count per bound. */
    public LatencyBuckets {
        upperBoundsNanos = upperBoundsNanos.clone();
        cumulativeCounts = cumulativeCounts.clone();
        if (upperBoundsNanos.length != cumulativeCounts.length) {
            throw new IllegalArgumentException("cumulativeCounts: " + cumulativeCounts.length
                    + " counts for " + upperBoundsNanos.length + " upperBoundsNanos");
        }
    }

    /** The bounds, ascending, in nanoseconds (a copy). */
    @Override
    public long[] upperBoundsNanos() {
        return upperBoundsNanos.clone();
    }

    /** For each bound, how many durations were at most it (a copy). */
    @Override
    public long[] cumulativeCounts() {
        return cumulativeCounts.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LatencyBuckets b && count == b.count && sumNanos == b.sumNanos
                && Arrays.equals(upperBoundsNanos, b.upperBoundsNanos)
                && Arrays.equals(cumulativeCounts, b.cumulativeCounts);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(upperBoundsNanos) + Arrays.hashCode(cumulativeCounts))
                + Long.hashCode(count) * 17 + Long.hashCode(sumNanos);
    }

    @Override
    public String toString() {
        return "LatencyBuckets[le=" + Arrays.toString(upperBoundsNanos) + ", counts="
                + Arrays.toString(cumulativeCounts) + ", count=" + count + ", sumNanos=" + sumNanos + "]";
    }
}
