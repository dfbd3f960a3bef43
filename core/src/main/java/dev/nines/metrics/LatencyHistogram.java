package dev.nines.metrics;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A lock-free latency histogram with log-linear buckets: exact below 32 ns, and within 1/16
 * (about 6%) of the true value above, from nanoseconds to centuries, in a fixed 7.5 KiB.
 *
 * <p>Recording is one array increment plus two adders and allocates nothing, so it is fit for a
 * hot path. Percentiles are read from a {@link #snapshot()}.
 *
 * <p>Thread-safe and lock-free: record and snapshot from any thread.
 */
public final class LatencyHistogram {

    private static final int SUB_BITS = 4;
    private static final int SUB_COUNT = 1 << SUB_BITS;            // 16 sub-buckets per power of two
    private static final int LINEAR_LIMIT = SUB_COUNT * 2;         // values below 32 get their own bucket
    private static final int BUCKETS = LINEAR_LIMIT + (62 - SUB_BITS) * SUB_COUNT;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final LongAdder count = new LongAdder();
    private final LongAdder sum = new LongAdder();
    private final AtomicLong max = new AtomicLong();

    /** An empty histogram. */
    public LatencyHistogram() {
    }

    /** Records one duration; negative values count as zero. */
    public void record(long nanos) {
        long v = Math.max(0L, nanos);
        counts.incrementAndGet(indexOf(v));
        count.increment();
        sum.add(v);
        long m = max.get();
        while (v > m && !max.compareAndSet(m, v)) {
            m = max.get();
        }
    }

    /** A consistent-enough copy for reporting (concurrent records may land on either side). */
    public LatencySummary snapshot() {
        return snapshotOf(List.of(this));
    }

    /** One summary of the durations recorded in all of {@code histograms}, as if recorded in one. */
    static LatencySummary snapshotOf(Iterable<LatencyHistogram> histograms) {
        long[] copy = new long[BUCKETS];
        long total = 0;
        long n = 0;
        long s = 0;
        long m = 0;
        for (LatencyHistogram h : histograms) {
            for (int i = 0; i < BUCKETS; i++) {
                long c = h.counts.get(i);
                copy[i] += c;
                total += c;
            }
            n += h.count.sum();
            s += h.sum.sum();
            m = Math.max(m, h.max.get());
        }
        long mean = n == 0 ? 0 : s / n;
        return new LatencySummary(total, mean, m,
                percentile(copy, total, 0.50), percentile(copy, total, 0.90),
                percentile(copy, total, 0.99), percentile(copy, total, 0.999));
    }

    /**
     * Cumulative counts at {@code upperBoundsNanos} (ascending), for a histogram export. A count
     * takes only the buckets that lie wholly at or below its bound, so it never includes a larger
     * duration.
     *
     * @throws IllegalArgumentException if the bounds are not ascending or one is negative
     */
    public LatencyBuckets buckets(long... upperBoundsNanos) {
        return bucketsOf(List.of(this), upperBoundsNanos);
    }

    /** {@link #buckets}, over all of {@code histograms} as if recorded in one. */
    static LatencyBuckets bucketsOf(Iterable<LatencyHistogram> histograms, long[] upperBoundsNanos) {
        for (int i = 0; i < upperBoundsNanos.length; i++) {
            if (upperBoundsNanos[i] < 0 || i > 0 && upperBoundsNanos[i] <= upperBoundsNanos[i - 1]) {
                throw new IllegalArgumentException("upperBoundsNanos[" + i + "]: " + upperBoundsNanos[i]
                        + " is negative or not above the bound before it");
            }
        }
        long[] copy = new long[BUCKETS];
        long s = 0;
        for (LatencyHistogram h : histograms) {
            for (int i = 0; i < BUCKETS; i++) {
                copy[i] += h.counts.get(i);
            }
            s += h.sum.sum();
        }
        long[] cumulative = new long[upperBoundsNanos.length];
        long seen = 0;
        int bucket = 0;
        for (int b = 0; b < upperBoundsNanos.length; b++) {
            long bound = upperBoundsNanos[b];
            // bucket i lies wholly at or below bound when the next bucket starts at most one above it
            int end = bound == Long.MAX_VALUE ? BUCKETS : indexOf(bound + 1);
            for (; bucket < end; bucket++) {
                seen += copy[bucket];
            }
            cumulative[b] = seen;
        }
        for (; bucket < BUCKETS; bucket++) {
            seen += copy[bucket];
        }
        return new LatencyBuckets(upperBoundsNanos, cumulative, seen, s);
    }

    static int indexOf(long v) {
        if (v < LINEAR_LIMIT) {
            return (int) v;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(v);           // >= 5
        int sub = (int) (v >>> (exponent - SUB_BITS)) & (SUB_COUNT - 1);
        return LINEAR_LIMIT + (exponent - SUB_BITS - 1) * SUB_COUNT + sub;
    }

    /** The smallest value that lands in bucket {@code index}. */
    static long lowerBound(int index) {
        if (index < LINEAR_LIMIT) {
            return index;
        }
        int exponent = (index - LINEAR_LIMIT) / SUB_COUNT + SUB_BITS + 1;
        int sub = (index - LINEAR_LIMIT) % SUB_COUNT;
        return (1L << exponent) | ((long) sub << (exponent - SUB_BITS));
    }

    private static long percentile(long[] counts, long total, double q) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                long low = lowerBound(i);
                long high = i + 1 < counts.length ? lowerBound(i + 1) - 1 : Long.MAX_VALUE;
                return low + (high - low) / 2;
            }
        }
        return lowerBound(counts.length - 1);
    }
}
