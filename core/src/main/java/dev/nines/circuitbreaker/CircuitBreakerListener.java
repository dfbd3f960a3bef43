package dev.nines.circuitbreaker;

/**
 * Hears a {@link CircuitBreaker}'s state changes and rejections, for logging, alerting or tests.
 *
 * <p>Called on the thread whose call caused the event, so keep it short and non-blocking. A
 * listener that throws is caught and logged once; it never breaks the call. Both methods default
 * to doing nothing.
 */
public interface CircuitBreakerListener {

    /** The breaker moved from {@code from} to {@code to}. Called once per transition. */
    default void onStateChange(CircuitBreaker breaker, CircuitState from, CircuitState to) {
    }

    /** The breaker rejected a call while in {@code state}. */
    default void onCallRejected(CircuitBreaker breaker, CircuitState state) {
    }
}
