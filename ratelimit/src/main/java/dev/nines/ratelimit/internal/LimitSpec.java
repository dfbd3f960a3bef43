package dev.nines.ratelimit.internal;

import dev.nines.ratelimit.Rate;

/**
 * A {@link Rate} in the bucket's fixed-point units (see {@link Gcra}): the cost of one token and
 * the span of a full bucket. Immutable and thread-safe.
 */
public final class LimitSpec {

    final Rate limit;
    final long capacity;
    final long cost;
    final long capSpan;

    /** Derives the units of {@code limit}; {@link Rate} has already checked that they fit. */
    public LimitSpec(Rate limit) {
        this.limit = limit;
        this.capacity = limit.burst();
        this.cost = Gcra.costUnits(limit.period().toNanos(), limit.permits()).longValueExact();
        this.capSpan = Math.multiplyExact(capacity, cost);
    }

    /** The limit these units describe. */
    public Rate limit() {
        return limit;
    }

    /** The burst, the most permits one request may take. */
    public long capacity() {
        return capacity;
    }

    /** The cost of one token in units. */
    public long cost() {
        return cost;
    }

    /** The span of a full bucket in units. */
    public long capSpan() {
        return capSpan;
    }

    /** Fails unless {@code 1 <= permits <= capacity}; kept out of line so hot loops stay small. */
    public void checkPermits(long permits) {
        if (permits < 1 || permits > capacity) {
            throw badPermits(permits);
        }
    }

    private IllegalArgumentException badPermits(long permits) {
        if (permits < 1) {
            return new IllegalArgumentException("permits must be >= 1 but was " + permits);
        }
        return new IllegalArgumentException("permits must be <= the burst (" + capacity + ") of " + limit
                + " but was " + permits + "; such a request could never succeed");
    }
}
