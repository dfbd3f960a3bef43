package dev.nines.web.internal;

import dev.nines.RejectedCallException;

/**
 * The refusal of a request that arrived after its service began draining. Never thrown to user
 * code: a {@code Drain} turns it once into the answer it sends ({@code urn:nines:problem:draining}).
 * Immutable and thread-safe.
 */
public final class DrainingException extends RejectedCallException {

    private static final long serialVersionUID = 1L;

    /**
     * @param policyName      the name the refusal reports as its policy
     * @param retryAfterNanos when to try again (most likely on another replica), in nanoseconds
     */
    public DrainingException(String policyName, long retryAfterNanos) {
        super(policyName, "the service is draining and admits no new requests; retry on another replica",
                retryAfterNanos);
    }

    /** {@code drain}. */
    @Override
    public String policyKind() {
        return "drain";
    }
}
