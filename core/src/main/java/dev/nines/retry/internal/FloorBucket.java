package dev.nines.retry.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A lock-free token bucket holding at most one second's worth of {@code perSecond} tokens, kept as
 * a single "theoretical arrival time" (GCRA): taking a token moves it one interval later, and a
 * token is available while it stays within one second of now. Lock-free and thread-safe. Not part
 * of the public API.
 */
public final class FloorBucket {

    private static final long SECOND = 1_000_000_000L;

    private final long intervalNanos;
    private final AtomicLong tat;

    /**
     * @param perSecond tokens per second, 1 to 1,000,000,000 (above, the interval would be 0 ns)
     * @param now       the current ticker reading; the bucket starts full
     */
    public FloorBucket(int perSecond, long now) {
        this.intervalNanos = SECOND / perSecond;
        this.tat = new AtomicLong(now);
    }

    /** Takes one token if one is available at {@code now}. */
    public boolean tryTake(long now) {
        long seen = tat.get();
        while (true) {
            long next = (seen - now < 0 ? now : seen) + intervalNanos;
            if (next - now > SECOND) {
                return false;
            }
            if (tat.compareAndSet(seen, next)) {
                return true;
            }
            seen = tat.get(); // another thread took one: decide again on fresh state
        }
    }

    /**
     * Retires this bucket and returns one of {@code perSecond} holding the tokens this one held at
     * {@code now}, capped at the new second's worth. The retired bucket refuses every later take, so
     * a take racing with the change is counted once, or refused: never granted twice.
     */
    public FloorBucket convert(int perSecond, long now) {
        long seen = tat.getAndSet(now + RETIRED_AHEAD); // a later take here would wait ~146 years: refused
        long held = (SECOND - Math.max(0L, seen - now)) / intervalNanos;
        FloorBucket next = new FloorBucket(perSecond, now);
        long kept = Math.max(0L, Math.min(held, perSecond));
        next.tat.set(now + SECOND - kept * next.intervalNanos);
        return next;
    }

    /** How far ahead a retired bucket's arrival time is put: every take finds it more than a second away. */
    private static final long RETIRED_AHEAD = 1L << 62;
}
