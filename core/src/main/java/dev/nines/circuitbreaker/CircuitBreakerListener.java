package dev.nines.circuitbreaker;

/**
 * Hears a {@link CircuitBreaker}'s state changes and rejections, for logging, alerting or tests.
 *
 * <p>Implementations must be thread-safe: a breaker shared by many threads calls its listeners
 * concurrently. A rejection is told on the thread whose request was rejected. State changes are
 * told one at a time and in the order they happened, so each one's {@code from} is the previous
 * one's {@code to}, and once they settle the last one told is {@link CircuitBreaker#state()}. Each
 * is told on the thread that caused it (the caller whose call or permission request made the
 * transition, the caller of {@code forceOpen}, {@code disable} or {@code reset}, or the half-open
 * timer's thread), unless another thread is telling one at that moment: that thread then tells it
 * too, right after its own, and the causing thread does not wait. Keep it short and non-blocking.
 * A listener that throws is caught and logged once; it never breaks the call. Both methods default
 * to doing nothing.
 */
public interface CircuitBreakerListener {

    /**
     * The breaker moved from {@code from} to {@code to}. Called once per transition, in the order
     * of the transitions, never for two at once.
     */
    default void onStateChange(CircuitBreaker breaker, CircuitState from, CircuitState to) {
    }

    /** The breaker rejected a call while in {@code state}. */
    default void onCallRejected(CircuitBreaker breaker, CircuitState state) {
    }
}
