package dev.nines.timeout;

import dev.nines.RejectedCallException;
import java.time.Duration;

/**
 * A call ran past its time limit and was abandoned: the caller stops waiting, the work is
 * interrupted or cancelled and its context reports {@link dev.nines.CallContext#isCancelled()}.
 * Part of the {@link RejectedCallException} family, so it carries no stack trace.
 */
public final class TimeoutExceededException extends RejectedCallException {

    private static final long serialVersionUID = 1L;

    private final long timeoutNanos;

    /**
     * @param policyName   the timeout policy's name
     * @param timeoutNanos the limit that was exceeded, in nanoseconds
     */
    public TimeoutExceededException(String policyName, long timeoutNanos) {
        super(policyName, "'" + policyName + "' timed out after " + Duration.ofNanos(timeoutNanos), -1);
        this.timeoutNanos = timeoutNanos;
    }

    /** The limit that was exceeded. */
    public Duration timeout() {
        return Duration.ofNanos(timeoutNanos);
    }
}
