package dev.nines.timeout;

import dev.nines.RejectedCallException;
import java.time.Duration;

/**
 * A call ran past its time limit and was abandoned: the caller stops waiting, the work is
 * interrupted or cancelled and its context reports {@link dev.nines.CallContext#isCancelled()}.
 * Also thrown, without running anything, for a call whose deadline leaves no time to start it.
 * Part of the {@link RejectedCallException} family, so it carries no stack trace. Immutable and
 * thread-safe.
 */
public final class TimeoutExceededException extends RejectedCallException {

    private static final long serialVersionUID = 1L;

    private final long timeoutNanos;

    /**
     * @param policyName   the timeout policy's name
     * @param timeoutNanos the limit that was exceeded, in nanoseconds
     */
    public TimeoutExceededException(String policyName, long timeoutNanos) {
        this(policyName, "'" + policyName + "' timed out after " + Duration.ofNanos(timeoutNanos), timeoutNanos);
    }

    private TimeoutExceededException(String policyName, String message, long timeoutNanos) {
        super(policyName, message, -1);
        this.timeoutNanos = timeoutNanos;
    }

    /**
     * The call was never started because its deadline left too little time: {@code remainingNanos}
     * (zero or less once it has passed) against the {@code neededNanos} an attempt needs.
     */
    public static TimeoutExceededException beforeStart(String policyName, long remainingNanos, long neededNanos) {
        return new TimeoutExceededException(policyName, "'" + policyName + "' did not start the call: its deadline "
                + (remainingNanos <= 0 ? "had passed" : "left " + Duration.ofNanos(remainingNanos))
                + (neededNanos > 0 ? ", and an attempt needs " + Duration.ofNanos(neededNanos) : ""), 0);
    }

    /**
     * The call ran out of the {@code limitNanos} its caller's deadline left it, less than the
     * policy's own {@code timeoutNanos}. {@link #timeout()} is the limit the call had.
     */
    static TimeoutExceededException cutShort(String policyName, long limitNanos, long timeoutNanos) {
        return new TimeoutExceededException(policyName, "'" + policyName + "' timed out after "
                + Duration.ofNanos(limitNanos) + ", the time left before the caller's deadline (its own limit is "
                + Duration.ofNanos(timeoutNanos) + ")", limitNanos);
    }

    /** The limit that was exceeded: the policy's timeout, or less when the caller's deadline was sooner. */
    public Duration timeout() {
        return Duration.ofNanos(timeoutNanos);
    }

    /** {@code PolicyKinds.TIMEOUT}. */
    @Override
    public String policyKind() {
        return dev.nines.metrics.PolicyKinds.TIMEOUT;
    }
}
