package dev.nines.slo.internal;

import dev.nines.Ticker;
import dev.nines.slo.EventCounts;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts good and total events over a rolling window in fixed memory: a ring of buckets, each one
 * resolution wide (30 days at one minute is 43,200 buckets), recorded into without locks.
 *
 * <h2>Layout and memory</h2>
 * Each bucket is one {@code long} in an {@link AtomicLongArray}, packed as
 * {@code [round: 14 bits | total: 25 bits | good: 25 bits]}, where the round is which pass of the
 * ring the bucket holds ({@code bucketIndex / bucketCount}, modulo 2<sup>14</sup>). Memory is
 * therefore 8 bytes per bucket plus a constant of under 100 bytes: <b>345,600 bytes for 30 days at
 * one minute</b>, 80,640 bytes for 7 days at one minute, 28,800 bytes for 30 days at 15 minutes.
 *
 * <h2>Recording</h2>
 * One ticker read; the bucket's index from a cached cursor when the reading falls in the same bucket
 * as the last one (no division: the common case), else from two divisions; then a compare-and-set on
 * that one long:
 * if the bucket holds the current round, the counts are incremented; if it holds an older round,
 * it is reset to this event alone (the lazy reset: a bucket is cleared by the first event after time
 * has moved past it, never by a timer); if it holds a newer round (this thread read the ticker before
 * another thread rolled the bucket over), the event is added to the newer round rather than dropped;
 * only on that rare path is the ticker read again, to tell such a live bucket from an ancient one
 * whose 14-bit round stamp wrapped around to look newer (which is reset instead).
 * Every event therefore increments exactly one bucket exactly once: none is lost across rollover.
 * Good and total share one word, so a bucket never shows more good than total events.
 *
 * <p>A bucket counts at most {@value #MAX_COUNT} events (about 559,000 per second at one-minute
 * resolution); further events in that bucket are not counted and are reported by
 * {@link #saturated()}, never wrap into a neighbour's bits.
 *
 * <h2>Time</h2>
 * Only differences between ticker readings are used (the origin is the reading at construction), so
 * negative readings and readings that wrap past {@code Long.MAX_VALUE} are handled; the window stays
 * correct for 292 years of uptime. One aliasing remains: a bucket untouched for exactly a multiple
 * of 2<sup>14</sup> whole windows (1,346 years for a 30-day window, 34 days for a 3-minute one)
 * looks current, so its old counts are read and added to.
 *
 * <p>Thread-safe and lock-free. Sums read the buckets one by one while others record, so a sum
 * is as of some instant during the call, not a snapshot.
 */
public final class RollingWindow {

    /** The most events one bucket counts: 2<sup>25</sup> - 1. */
    public static final long MAX_COUNT = (1L << 25) - 1;

    private static final int COUNT_BITS = 25;
    private static final int ROUND_BITS = 14;
    private static final long COUNT_MASK = MAX_COUNT;
    private static final long ROUND_MASK = (1L << ROUND_BITS) - 1;
    private static final int TOTAL_SHIFT = COUNT_BITS;
    private static final int ROUND_SHIFT = 2 * COUNT_BITS;
    private static final long COUNTS_MASK = (1L << ROUND_SHIFT) - 1;
    private static final long ONE_TOTAL = 1L << TOTAL_SHIFT;
    private static final long ONE_GOOD_AND_TOTAL = ONE_TOTAL | 1L;
    /** Half the round space: a stamp up to this far behind is older, further is newer. */
    private static final long HALF_ROUNDS = 1L << (ROUND_BITS - 1);

    private final Ticker ticker;
    private final long origin;
    private final long resolutionNanos;
    private final int bucketCount;
    /** bucketCount × resolution, made once: {@link Duration#multipliedBy} computes in BigDecimal. */
    private final Duration length;
    private final AtomicLongArray buckets;
    private final LongAdder saturated = new LongAdder();
    /** The bucket the latest reading fell in, so readings within it skip the divisions. */
    private volatile Cursor cursor;
    /** Events moved out of buckets by their lazy reset; guarded by {@code this}. */
    private long retiredGood;
    private long retiredTotal;
    /** The last {@link #cumulative()} answer, which later answers never fall below; guarded by {@code this}. */
    private long reportedGood;
    private long reportedTotal;

    /**
     * Creates an empty window of {@code length}, in buckets of {@code resolution}; the window's length
     * must be a whole number of buckets.
     *
     * @throws IllegalArgumentException if {@code resolution} is not positive, {@code length} is not a
     *     positive multiple of it, or the bucket count exceeds {@link Integer#MAX_VALUE} / 2
     */
    public RollingWindow(Duration length, Duration resolution, Ticker ticker) {
        Objects.requireNonNull(length, "length");
        Objects.requireNonNull(resolution, "resolution");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        if (resolution.isNegative() || resolution.isZero()) {
            throw new IllegalArgumentException("resolution must be > 0 but was " + resolution);
        }
        this.resolutionNanos = resolution.toNanos();
        long lengthNanos = length.toNanos();
        if (lengthNanos <= 0 || lengthNanos % resolutionNanos != 0) {
            throw new IllegalArgumentException("length must be a positive multiple of resolution " + resolution
                    + " but was " + length);
        }
        long count = lengthNanos / resolutionNanos;
        if (count > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("length / resolution must be <= " + Integer.MAX_VALUE / 2
                    + " buckets but was " + count + " (length " + length + ", resolution " + resolution + ")");
        }
        this.bucketCount = (int) count;
        this.length = Duration.ofNanos(resolutionNanos).multipliedBy(bucketCount);
        this.buckets = new AtomicLongArray(bucketCount);
        this.origin = ticker.read();
        this.cursor = new Cursor(0, 0, 0);
        // every bucket starts as round -1 of its slot, which is older than anything recorded later
        long emptyStamp = (-1L & ROUND_MASK) << ROUND_SHIFT;
        for (int i = 0; i < bucketCount; i++) {
            buckets.set(i, emptyStamp);
        }
    }

    /** Records one event, good or not, at the ticker's current reading. */
    public void record(boolean good) {
        record(ticker.read(), good);
    }

    /** Records one event at {@code nowNanos}, a reading of this window's ticker the caller already took. */
    public void record(long nowNanos, boolean good) {
        long elapsed = nowNanos - origin;
        Cursor c = cursor;
        int slot;
        long round;
        long intoBucket = elapsed - c.startNanos;
        if (intoBucket >= 0 && intoBucket < resolutionNanos) {
            slot = c.slot; // the common case: the same bucket as the last reading, no division
            round = c.round;
        } else {
            long index = Math.floorDiv(elapsed, resolutionNanos);
            long fullRound = Math.floorDiv(index, (long) bucketCount);
            slot = (int) (index - fullRound * bucketCount); // the floor modulo, without a third division
            round = fullRound & ROUND_MASK;
            cursor = new Cursor(index * resolutionNanos, slot, round); // once per bucket, or on a late reading
        }
        long increment = good ? ONE_GOOD_AND_TOTAL : ONE_TOTAL;
        long fresh = (round << ROUND_SHIFT) | increment;
        while (true) {
            long current = buckets.get(slot);
            long behind = (round - (current >>> ROUND_SHIFT)) & ROUND_MASK;
            long next;
            if (behind != 0 && (behind < HALF_ROUNDS || !isLive(slot, current >>> ROUND_SHIFT))) {
                // the bucket holds an older round (or one so old its stamp wrapped to look newer):
                // this event starts the new one
                next = fresh;
            } else if (((current >>> TOTAL_SHIFT) & COUNT_MASK) == COUNT_MASK) {
                saturated.increment();
                return;
            } else {
                next = current + increment; // same round, or a newer one this reading lags behind
            }
            if (buckets.compareAndSet(slot, current, next)) {
                if (next == fresh && (current >>> ROUND_SHIFT) != round && (current & COUNTS_MASK) != 0) {
                    retire(current); // a reset: once per bucket per pass of the ring, at most
                }
                return;
            }
        }
    }

    /**
     * Tells whether {@code stamp} is the round {@code slot} holds now or held one round ago, by a
     * fresh reading: the rare path of a bucket whose stamp looks newer than the reading being
     * recorded, which is either a live bucket this reading lags behind or an ancient one whose
     * 14-bit stamp wrapped.
     */
    private boolean isLive(int slot, long stamp) {
        long now = Math.floorDiv(ticker.read() - origin, resolutionNanos);
        long latest = now - Math.floorMod(now - slot, (long) bucketCount);
        long round = Math.floorDiv(latest, (long) bucketCount) & ROUND_MASK;
        return stamp == round || stamp == ((round - 1) & ROUND_MASK);
    }

    /** Returns the good and total events of the whole window, up to the ticker's current reading. */
    public EventCounts sum() {
        return sumBuckets(ticker.read(), bucketCount);
    }

    /**
     * Returns the good and total events of the last {@code window}, up to the ticker's current reading,
     * at this window's resolution: the current (partial) bucket and as many earlier ones as make
     * {@code window}, rounded up to whole buckets.
     *
     * @throws IllegalArgumentException if {@code window} is not positive or is longer than this window
     */
    public EventCounts sum(Duration window) {
        return sum(ticker.read(), window);
    }

    /** Like {@link #sum(Duration)}, as of {@code nowNanos}, a reading of this window's ticker. */
    public EventCounts sum(long nowNanos, Duration window) {
        Objects.requireNonNull(window, "window");
        if (window.isNegative() || window.isZero() || window.compareTo(length()) > 0) {
            throw new IllegalArgumentException("window must be within (0, " + length() + "] but was " + window);
        }
        long wanted = window.toNanos();
        long count = wanted / resolutionNanos + (wanted % resolutionNanos == 0 ? 0 : 1);
        return sumBuckets(nowNanos, (int) count);
    }

    private EventCounts sumBuckets(long nowNanos, int count) {
        long index = Math.floorDiv(nowNanos - origin, resolutionNanos);
        long fullRound = Math.floorDiv(index, (long) bucketCount);
        // walk back from the current bucket: the slot steps down and wraps, the round drops at the wrap
        // (no division per bucket: two of them per bucket made a 30-day sum cost ~5 ns a bucket)
        int slot = (int) (index - fullRound * bucketCount);
        long round = fullRound;
        long good = 0;
        long total = 0;
        for (int k = 0; k < count; k++) {
            long value = buckets.get(slot);
            if ((value >>> ROUND_SHIFT) == (round & ROUND_MASK)) {
                good += value & COUNT_MASK;
                total += (value >>> TOTAL_SHIFT) & COUNT_MASK;
            }
            if (--slot < 0) {
                slot = bucketCount - 1;
                round--;
            }
        }
        return new EventCounts(good, total);
    }

    /**
     * A bucket by its start (nanoseconds after the origin), slot and round stamp: immutable, so one
     * volatile read gives all three consistently.
     */
    private record Cursor(long startNanos, int slot, long round) {
    }

    /** Adds the counts of a bucket being reset to the retired totals. */
    private synchronized void retire(long bucket) {
        retiredGood += bucket & COUNT_MASK;
        retiredTotal += (bucket >>> TOTAL_SHIFT) & COUNT_MASK;
    }

    /**
     * Returns every event counted since this window was created, not only those still inside it:
     * what a Prometheus counter exposes, so that rules evaluated over many instances compute the same
     * ratios as this window. It costs a pass over all buckets (tens of microseconds for 43,200 buckets), meant
     * for a scrape, not for every request.
     *
     * <p>Monotonic: each count is at least the one the previous call returned. A bucket reset while
     * this call runs may be missed by it (its events are found by the next call); never counted twice.
     * Events a full bucket did not count ({@link #saturated()}) are not in these counts either.
     */
    public EventCounts cumulative() {
        long good;
        long total;
        synchronized (this) {
            good = retiredGood;
            total = retiredTotal;
        }
        // buckets after the retired totals: a bucket reset in between is missed now, never doubled
        for (int i = 0; i < bucketCount; i++) {
            long value = buckets.get(i);
            good += value & COUNT_MASK;
            total += (value >>> TOTAL_SHIFT) & COUNT_MASK;
        }
        synchronized (this) {
            reportedGood = Math.max(reportedGood, good);
            reportedTotal = Math.max(reportedTotal, total);
            return new EventCounts(reportedGood, reportedTotal);
        }
    }

    /** Returns the window's length: bucket count × resolution. */
    public Duration length() {
        return length;
    }

    /** Returns the width of one bucket. */
    public Duration resolution() {
        return Duration.ofNanos(resolutionNanos);
    }

    /** Returns the number of buckets. */
    public int bucketCount() {
        return bucketCount;
    }

    /** Returns the bytes the buckets take: 8 per bucket (the array header and this object aside). */
    public long bucketBytes() {
        return 8L * bucketCount;
    }

    /** Returns how many events were not counted because their bucket was full. */
    public long saturated() {
        return saturated.sum();
    }

    @Override
    public String toString() {
        return "RollingWindow[" + length() + " in " + bucketCount + " buckets of " + resolution() + "]";
    }
}
