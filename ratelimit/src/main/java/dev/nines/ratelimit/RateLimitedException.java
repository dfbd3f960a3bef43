package dev.nines.ratelimit;

import dev.nines.RejectedCallException;
import dev.nines.internal.Seconds;

/**
 * Thrown (or completing a stage) when a rate limiter refuses a call: no permit is available now.
 * {@link #retryAfterNanos()} is the time until one will be, which web adapters send as
 * {@code Retry-After}. Cheap: no stack trace, and the message is built only when read.
 *
 * <p>Thread-safe: its policy name and retry-after are final and it carries no stack trace, so one
 * instance may be handed to and read from any thread (as with any exception, do not mutate it, for
 * example with {@code addSuppressed}, once it is shared).
 */
public final class RateLimitedException extends RejectedCallException {

    private static final long serialVersionUID = 1L;

    /**
     * @param policyName      the limiter's name
     * @param retryAfterNanos nanoseconds until a permit will be available
     */
    public RateLimitedException(String policyName, long retryAfterNanos) {
        super(policyName, null, retryAfterNanos);
    }

    @Override
    public String getMessage() {
        return "rate limit '" + policyName() + "' exceeded; retry after " + Seconds.text(retryAfterNanos());
    }

    /** {@code PolicyKinds.RATE_LIMITER}. */
    @Override
    public String policyKind() {
        return dev.nines.metrics.PolicyKinds.RATE_LIMITER;
    }
}
