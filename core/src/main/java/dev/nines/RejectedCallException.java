package dev.nines;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The one family of exceptions a policy throws when it refuses or cuts short a call: an open
 * circuit breaker, a full bulkhead, a timeout, a rate limit, a shed request.
 *
 * <p>Rejections are part of normal operation under load, so they are cheap: no stack trace is
 * filled and no suppressed list is kept. Catch the base type to treat every rejection alike, or a
 * subtype for its details. {@link #retryAfter()} says when trying again may succeed, which web
 * adapters turn into a {@code Retry-After} header.
 */
public abstract class RejectedCallException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String policyName;
    private final long retryAfterNanos;

    /**
     * @param policyName      the name of the policy that rejected the call
     * @param message         what happened, for logs
     * @param retryAfterNanos when a retry may succeed, in nanoseconds from now; negative if unknown
     */
    protected RejectedCallException(String policyName, String message, long retryAfterNanos) {
        super(message, null, false, false);
        this.policyName = Objects.requireNonNull(policyName, "policyName");
        this.retryAfterNanos = retryAfterNanos;
    }

    /** The name of the policy that rejected the call. */
    public String policyName() {
        return policyName;
    }

    /**
     * The kind of policy that rejected the call, as it reports to the metrics SPI (one of the
     * {@link dev.nines.metrics.PolicyKinds} constants for nines' own); {@code "unknown"} unless a
     * subclass says. Used to say who rejected a request in {@code MetricsSink#onRequest}.
     */
    public String policyKind() {
        return "unknown";
    }

    /** When a retry may succeed, if the policy knows. */
    public Optional<Duration> retryAfter() {
        return retryAfterNanos < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(retryAfterNanos));
    }

    /** {@link #retryAfter()} in nanoseconds, or -1 when unknown. */
    public long retryAfterNanos() {
        return retryAfterNanos < 0 ? -1 : retryAfterNanos;
    }
}
