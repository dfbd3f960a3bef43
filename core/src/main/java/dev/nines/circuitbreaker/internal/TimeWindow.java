package dev.nines.circuitbreaker.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;

/**
 * A window over the calls of the last {@code buckets * bucketNanos} nanoseconds.
 *
 * <p>Time is cut into epochs of {@code bucketNanos}; epoch {@code e} lives in bucket
 * {@code e mod buckets}. {@code head} is the newest epoch seen. A record in a newer epoch first
 * moves {@code head} forward with one CAS; the thread that wins clears the buckets of the epochs
 * it skipped (at most {@code buckets} of them, so the cost is amortized O(1) per call and nothing
 * happens on a call that stays in the current epoch). Buckets are thus reset lazily, on the first
 * call after they expire, and a reader moves {@code head} the same way, so an idle window reads
 * empty. Each bucket and the aggregate are {@link WindowCounts}; a bucket is updated by CAS and
 * the aggregate by the same delta, so the aggregate equals the sum of the buckets. A record returns
 * the aggregate its own update produced, which reflects every bucket cleared before it (by a record
 * or a reader), so the breaker judges a window whose old calls aged out at its next call.
 *
 * <p>A call that lands in a bucket while the head-mover is clearing it may be cleared with it:
 * lost from both the bucket and the aggregate, never from only one. A record whose clock reading
 * is already older than the window is dropped.
 *
 * <p>Capacity: a field holds at most {@link WindowCounts#MAX} for the whole window, so one bucket
 * holds at most {@code MAX / buckets} calls. A bucket that fills up halves its counts and goes on:
 * under very high rates the window keeps the failure and slow-call <em>rates</em>, not the
 * absolute counts.
 *
 * <p>Thread-safe, lock-free, allocation-free after construction.
 */
public final class TimeWindow implements Window {

    private final int buckets;
    private final long bucketNanos;
    private final long bucketCap;
    private final long origin;
    private final AtomicLongArray counts;
    private final AtomicLong head;
    private final AtomicLong total = new AtomicLong();

    /**
     * @param buckets     how many buckets, 1 to 1000
     * @param bucketNanos how long one bucket spans, &gt; 0
     * @param nowNanos    the current ticker reading: epoch 0 starts here
     */
    public TimeWindow(int buckets, long bucketNanos, long nowNanos) {
        if (buckets < 1 || buckets > 1000) {
            throw new IllegalArgumentException("buckets must be in [1, 1000] but was " + buckets);
        }
        if (bucketNanos <= 0) {
            throw new IllegalArgumentException("bucketNanos must be > 0 but was " + bucketNanos);
        }
        this.buckets = buckets;
        this.bucketNanos = bucketNanos;
        this.bucketCap = capacityPerBucket(buckets);
        this.origin = nowNanos;
        this.counts = new AtomicLongArray(buckets);
        this.head = new AtomicLong(0);
    }

    /** How many calls one bucket of a window of {@code buckets} holds before it halves. */
    public static long capacityPerBucket(int buckets) {
        return WindowCounts.MAX / buckets;
    }

    @Override
    public boolean needsTime() {
        return true;
    }

    @Override
    public long record(long delta, long nowNanos) {
        long epoch = epochOf(nowNanos);
        long h = advanceTo(epoch);
        if (epoch <= h - buckets) {
            return 0; // older than the window: a thread that stalled between reading the clock and here
        }
        int i = (int) Math.floorMod(epoch, (long) buckets);
        long v = counts.get(i);
        while (true) {
            long next = WindowCounts.calls(v) + 1 > bucketCap ? WindowCounts.halve(v) + delta : v + delta;
            if (counts.compareAndSet(i, v, next)) {
                long change = next - v;
                return total.getAndAdd(change) + change; // includes whatever expired before it
            }
            v = counts.get(i); // retry on fresh state
        }
    }

    @Override
    public long aggregate(long nowNanos) {
        advanceTo(epochOf(nowNanos));
        return total.get();
    }

    private long epochOf(long nowNanos) {
        return Math.floorDiv(nowNanos - origin, bucketNanos);
    }

    /** Moves {@code head} to {@code epoch} if it is newer, clearing the skipped buckets; returns the head. */
    private long advanceTo(long epoch) {
        long h = head.get();
        while (epoch > h) {
            if (head.compareAndSet(h, epoch)) {
                for (long e = Math.max(h + 1, epoch - buckets + 1); e <= epoch; e++) {
                    long old = counts.getAndSet((int) Math.floorMod(e, (long) buckets), 0L);
                    if (old != 0) {
                        total.getAndAdd(-old);
                    }
                }
                return epoch;
            }
            h = head.get();
        }
        return h;
    }

    @Override
    public void checkConsistent(Consumer<String> violations) {
        long sum = 0;
        for (int i = 0; i < buckets; i++) {
            sum += counts.get(i);
        }
        Window.checkCounts("time window", total.get(), sum, violations);
    }

    @Override
    public String toString() {
        return "TimeWindow[buckets=" + buckets + ", bucketNanos=" + bucketNanos + "]";
    }
}
