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
}
