package dev.nines.circuitbreaker;

import dev.nines.circuitbreaker.internal.FailureClassifier;
import dev.nines.circuitbreaker.internal.Phase;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * Completes one asynchronous call's permit exactly once: with the call's outcome when its stage
 * completes, or by giving the permit back when the caller cancels the stage the breaker returned
 * (then the call's later outcome is not counted). The flag this class extends decides which
 * happens first. Thread-safe.
 */
final class AsyncOutcome<T> extends AtomicBoolean implements BiConsumer<T, Throwable> {

    private static final long serialVersionUID = 1L;

    private final transient CircuitBreaker breaker;
    private final transient Phase phase;
    private final long startNanos;
    private final transient CompletableFuture<T> result = new CompletableFuture<>();

    AsyncOutcome(CircuitBreaker breaker, Phase phase, long startNanos) {
        this.breaker = breaker;
        this.phase = phase;
        this.startNanos = startNanos;
    }

    /** Watches {@code stage}; returns the stage the caller gets. */
    CompletableFuture<T> watch(CompletionStage<T> stage) {
        result.whenComplete((r, t) -> {
            if (result.isCancelled() && compareAndSet(false, true)) {
                breaker.abandon(phase, startNanos);
                if (stage instanceof Future) {
                    ((Future<?>) stage).cancel(true);
                }
            }
        });
        stage.whenComplete(this);
        return result;
    }

    @Override
    public void accept(T value, Throwable failure) {
        if (compareAndSet(false, true)) {
            if (failure == null) {
                breaker.completeWithResult(phase, startNanos, value);
            } else {
                breaker.completeExceptionally(phase, startNanos, failure);
            }
        }
        if (failure == null) {
            result.complete(value);
        } else {
            result.completeExceptionally(failure instanceof CompletionException
                    ? FailureClassifier.unwrap(failure) : failure);
        }
    }
}
