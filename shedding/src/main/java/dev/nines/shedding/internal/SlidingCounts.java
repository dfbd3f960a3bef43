package dev.nines.shedding.internal;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Requests and accepts over a sliding time window, kept in a ring of buckets. Each bucket packs
 * both counts into one long (requests in the high 32 bits, accepts in the low), so recording is
 * one atomic add. A bucket whose epoch is stale is reset by the first thread to notice, with a
 * CAS; a count racing with that reset may be lost, which only blurs the window edge.
 * Buckets are numbered by the time since {@code origin}, a difference of readings, so negative
 * readings and the wrap past {@code Long.MAX_VALUE} change nothing.
 * Thread-safe and lock-free.
 */
public final class SlidingCounts {

    private static final long REQUEST = 1L << 32;
    private static final long ACCEPT = 1L;

    private final AtomicLongArray counts;
    private final AtomicLongArray epochs;
    private final long bucketNanos;
    private final long origin;

    /**
     * @param buckets     how many buckets the window spans
     * @param bucketNanos how long each bucket lasts
     * @param origin      a reading of the ticker taken before any reading passed to this object
     */
    public SlidingCounts(int buckets, long bucketNanos, long origin) {
        this.counts = new AtomicLongArray(buckets);
        this.epochs = new AtomicLongArray(buckets);
        for (int i = 0; i < buckets; i++) {
            epochs.set(i, Long.MIN_VALUE);
        }
        this.bucketNanos = bucketNanos;
        this.origin = origin;
    }

    /** Counts one request at {@code now}. */
    public void request(long now) {
        counts.addAndGet(bucket(now), REQUEST);
    }

    /** Counts one accept at {@code now}. */
    public void accept(long now) {
        counts.addAndGet(bucket(now), ACCEPT);
    }

    /** Requests in the window ending at {@code now}. */
    public long requests(long now) {
        return sum(now) >>> 32;
    }

    /** Accepts in the window ending at {@code now}. */
    public long accepts(long now) {
        return sum(now) & 0xFFFF_FFFFL;
    }

    /** Both counts, packed like a bucket: requests in the high 32 bits, accepts in the low. */
    public long sum(long now) {
        long epoch = epoch(now);
        long total = 0;
        for (int i = 0; i < counts.length(); i++) {
            long e = epochs.get(i);
            if (e != Long.MIN_VALUE && epoch - e < counts.length()) {
                total += counts.get(i);
            }
        }
        return total;
    }

    /** The bucket number of {@code now}: whole buckets since the origin (never Long.MIN_VALUE, the "unused" mark). */
    private long epoch(long now) {
        return Math.floorDiv(now - origin, bucketNanos);
    }

    private int bucket(long now) {
        long epoch = epoch(now);
        int i = (int) Math.floorMod(epoch, (long) counts.length());
        long seen = epochs.get(i);
        if (seen != epoch && (seen == Long.MIN_VALUE || epoch - seen > 0) && epochs.compareAndSet(i, seen, epoch)) {
            counts.set(i, 0L);
        }
        return i;
    }
}
