package dev.nines.ratelimit;

/**
 * What {@link RateLimiter#tryAcquireDetailed(long)} found: whether the permits were taken, how
 * many remain, and how long until the requested number would be available (what a
 * {@code Retry-After} header needs). Immutable.
 *
 * @param acquired          whether the permits were taken
 * @param remainingPermits  whole permits left after the decision (0 while reservations are pending)
 * @param nanosToWait       0 when acquired; otherwise nanoseconds until the permits would be available
 */
public record AcquireResult(boolean acquired, long remainingPermits, long nanosToWait) {
}
