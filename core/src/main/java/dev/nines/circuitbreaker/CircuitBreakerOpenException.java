package dev.nines.circuitbreaker;

import dev.nines.RejectedCallException;
import dev.nines.internal.Seconds;

/**
 * Thrown (or completing a stage) when a {@link CircuitBreaker} refuses a call: it is OPEN,
 * FORCED_OPEN, or HALF_OPEN with every probe already out.
 *
 * <p>Like every {@link RejectedCallException} it fills no stack trace. {@link #retryAfter()} is the
 * time left in the OPEN state, and unknown (empty) when FORCED_OPEN or HALF_OPEN.
 */
public final class CircuitBreakerOpenException extends RejectedCallException {

    private static final long serialVersionUID = 1L;

    private final CircuitState state;

    /**
     * @param breakerName     the breaker's name
     * @param state           the state that rejected the call
     * @param retryAfterNanos time left until the breaker lets probes through, or -1 if unknown
     */
    public CircuitBreakerOpenException(String breakerName, CircuitState state, long retryAfterNanos) {
        super(breakerName, null, retryAfterNanos); // the message is built only if someone reads it
        this.state = state;
    }

    @Override
    public String getMessage() {
        long after = retryAfterNanos();
        return "circuit breaker '" + policyName() + "' is " + state
                + (after < 0 ? "" : "; retry after " + Seconds.text(after));
    }

    /** The state that rejected the call. */
    public CircuitState state() {
        return state;
    }

    /** {@code PolicyKinds.CIRCUIT_BREAKER}. */
    @Override
    public String policyKind() {
        return dev.nines.metrics.PolicyKinds.CIRCUIT_BREAKER;
    }
}
