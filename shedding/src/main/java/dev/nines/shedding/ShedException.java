package dev.nines.shedding;

import dev.nines.Priority;
import dev.nines.RejectedCallException;

/**
 * Thrown when a {@link LoadShedder} sheds a request: its priority's share of the limit was used
 * up, the operator's forced tier excludes it, its wait in the queue timed out, or its deadline had
 * already passed. Like every {@link RejectedCallException} it has no stack trace; its message is
 * built only when read.
 * Immutable and thread-safe.
 */
public final class ShedException extends RejectedCallException {

    private static final long serialVersionUID = 1L;

    /** Why the request was shed. */
    public enum Reason {
        /** In-flight had reached the priority's share of the limit. */
        OVER_LIMIT,
        /** The tier forced by an operator excludes the priority. */
        FORCED_TIER,
        /** The request waited in the queue longer than allowed (CoDel cut the wait short under a standing queue). */
        QUEUE_TIMEOUT,
        /**
         * The waiting queue was full of requests at least as important, or a more important
         * request took this one's place in it.
         */
        QUEUE_FULL,
        /** The request's deadline had passed before it could run. */
        DEADLINE_EXPIRED,
        /** The waiting thread was interrupted. */
        INTERRUPTED
    }

    /** The shed request's priority. */
    private final Priority priority;
    /** The shedder's tier when it shed the request. */
    private final Tier tier;
    /** Why the request was shed. */
    private final Reason reason;

    /**
     * @param policyName the shedder's name
     * @param priority   the shed request's priority
     * @param tier       the shedder's tier when it shed the request
     * @param reason     why it was shed
     */
    public ShedException(String policyName, Priority priority, Tier tier, Reason reason) {
        super(policyName, null, -1);
        this.priority = priority;
        this.tier = tier;
        this.reason = reason;
    }

    /** The shed request's priority. */
    public Priority priority() {
        return priority;
    }

    /** The degradation tier when the request was shed. */
    public Tier tier() {
        return tier;
    }

    /** Why the request was shed. */
    public Reason reason() {
        return reason;
    }

    @Override
    public String getMessage() {
        return "load shedder '" + policyName() + "' shed a " + priority + " request (" + reason + ", tier " + tier
                + ")";
    }

    /** {@code PolicyKinds.LOAD_SHEDDER}. */
    @Override
    public String policyKind() {
        return dev.nines.metrics.PolicyKinds.LOAD_SHEDDER;
    }
}
