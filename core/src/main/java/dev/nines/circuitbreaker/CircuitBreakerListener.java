package dev.nines.circuitbreaker;

/**
 * Hears a {@link CircuitBreaker}'s state changes and rejections, for logging, alerting or tests.
 *
 * <p>Implementations must be thread-safe: a breaker shared by many threads calls its listeners
 * concurrently. Each event is delivered on the thread that caused it: the caller whose call or
 * permission request made the transition or was rejected, the caller of {@code forceOpen},
 * {@code disable} or {@code reset}, or the half-open timer's thread when the open duration ends.
 * Keep it short and non-blocking. A listener that throws is caught and logged once; it never
 * breaks the call. Both methods default to doing nothing.
 */
public interface CircuitBreakerListener {

    /** The breaker moved from {@code from} to {@code to}. Called once per transition. */
    default void onStateChange(CircuitBreaker breaker, CircuitState from, CircuitState to) {
    }

    /** The breaker rejected a call while in {@code state}. */
    default void onCallRejected(CircuitBreaker breaker, CircuitState state) {
    }
}
