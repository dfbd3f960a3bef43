package dev.nines.circuitbreaker;

import dev.nines.circuitbreaker.internal.Phase;
import dev.nines.internal.Settlement;

/**
 * Settles one asynchronous call's breaker permit exactly once: with the call's outcome, or, when
 * the caller cancels the stage the breaker returned, by giving the permit back uncounted.
 */
final class AsyncOutcome<T> extends Settlement<T> {

    private static final long serialVersionUID = 1L;

    private final transient CircuitBreaker breaker;
    private final transient Phase phase;
    private final long startNanos;

    AsyncOutcome(CircuitBreaker breaker, Phase phase, long startNanos) {
        this.breaker = breaker;
        this.phase = phase;
        this.startNanos = startNanos;
    }

    @Override
    protected void completed(T value, Throwable failure) {
        if (failure == null) {
            breaker.completeWithResult(phase, startNanos, value);
        } else {
            breaker.completeExceptionally(phase, startNanos, failure);
        }
    }

    @Override
    protected void abandoned() {
        breaker.abandon(phase, startNanos);
    }
}
