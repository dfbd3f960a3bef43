package dev.nines.circuitbreaker;

/**
 * The states of a {@link CircuitBreaker}. The ordinal is what the {@code state} gauge reports.
 */
public enum CircuitState {
    /** Calls pass and their outcomes are recorded; too many failures or slow calls open the breaker. */
    CLOSED,
    /** Calls are rejected until the open duration has passed. */
    OPEN,
    /** A fixed number of probe calls pass; their outcomes close or reopen the breaker. */
    HALF_OPEN,
    /** Opened by hand with {@link CircuitBreaker#forceOpen()}: every call is rejected until reset. */
    FORCED_OPEN,
    /** Switched off by hand with {@link CircuitBreaker#disable()}: every call passes, nothing is recorded. */
    DISABLED;

    /** Whether calls are rejected in this state (HALF_OPEN rejects only beyond its probes). */
    public boolean rejectsCalls() {
        return this == OPEN || this == FORCED_OPEN;
    }
}
