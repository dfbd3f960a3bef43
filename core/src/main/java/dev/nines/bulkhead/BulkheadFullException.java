package dev.nines.bulkhead;

import dev.nines.RejectedCallException;

/**
 * A bulkhead refused a call because all its permits (or its threads and queue) were taken. Like
 * every {@link RejectedCallException} it carries no stack trace and is cheap to throw. Immutable and
 * thread-safe (no cause, no suppressed list), so a bulkhead throws one shared instance.
 */
public final class BulkheadFullException extends RejectedCallException {

    private static final long serialVersionUID = 1L;

    /**
     * @param policyName the bulkhead's name
     * @param message    what was full, for logs
     */
    public BulkheadFullException(String policyName, String message) {
        super(policyName, message, -1);
    }

    /** {@code PolicyKinds.BULKHEAD}. */
    @Override
    public String policyKind() {
        return dev.nines.metrics.PolicyKinds.BULKHEAD;
    }
}
