package dev.nines.ratelimit;

/**
 * What {@link RateLimiter#tryAcquireDetailed(long)} found: whether the permits were taken, how
 * many remain, and how long until the requested number would be available (what a
 * {@code Retry-After} header needs). Immutable and thread-safe.
 *
 * @param acquired          whether the permits were taken
 * @param remainingPermits  whole permits left after the decision (0 while reservations are pending)
 * @param nanosToWait       0 when acquired; otherwise nanoseconds until the permits would be available
 * @param bindingLimit      for a limiter with several limits, the index (in {@link RateLimiter#limits()})
 *                          of the one that decided: the fewest permits left after a grant, the longest
 *                          wait after a refusal; 0 with one limit
 */
public record AcquireResult(boolean acquired, long remainingPermits, long nanosToWait, int bindingLimit) {

    /** A result from a limiter with one limit. */
    public AcquireResult(boolean acquired, long remainingPermits, long nanosToWait) {
        this(acquired, remainingPermits, nanosToWait, 0);
    }
}
