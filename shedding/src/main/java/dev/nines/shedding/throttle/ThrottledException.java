package dev.nines.shedding.throttle;

import dev.nines.RejectedCallException;

/**
 * Thrown when an {@link AdaptiveThrottle} rejects an outbound call locally because the backend has
 * been rejecting too many recent requests. No stack trace; the message is built only when read.
 * Immutable and thread-safe.
 */
public final class ThrottledException extends RejectedCallException {

    private static final long serialVersionUID = 1L;

    /** The local rejection probability when the call was rejected. */
    private final double rejectProbability;

    /**
     * @param policyName        the throttle's name
     * @param rejectProbability the local rejection probability at the time
     */
    public ThrottledException(String policyName, double rejectProbability) {
        super(policyName, null, -1);
        this.rejectProbability = rejectProbability;
    }

    /** The probability with which the throttle was rejecting calls. */
    public double rejectProbability() {
        return rejectProbability;
    }

    @Override
    public String getMessage() {
        return "throttle '" + policyName() + "' rejected the call locally (reject probability "
                + rejectProbability + ")";
    }

    /** {@code PolicyKinds.THROTTLE}. */
    @Override
    public String policyKind() {
        return dev.nines.metrics.PolicyKinds.THROTTLE;
    }
}
