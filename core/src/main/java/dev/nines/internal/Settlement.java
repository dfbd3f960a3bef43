package dev.nines.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Settles what a policy holds for one asynchronous call (a permit, a probe slot) exactly once:
 * with the call's outcome when its stage completes, or as abandoned when the caller cancels the
 * stage the policy returned first. Cancelling that stage also cancels the call's own stage, so a
 * timeout outside the policy reaches the work. Without this, a policy returning
 * {@code stage.whenComplete(...)} would hold its permit until work nobody waits for ends, or
 * forever. Not part of the public API.
 *
 * @param <T> the call's result type
 */
public abstract class Settlement<T> extends AtomicBoolean {

    private static final long serialVersionUID = 1L;

    /** The call completed first: record {@code value} or {@code failure} and give back what is held. */
    protected abstract void completed(T value, Throwable failure);

    /** The caller cancelled first: give back what is held; the call's later outcome is not counted. */
    protected abstract void abandoned();

    /** Watches {@code source}; returns the stage the caller gets. */
    public final CompletableFuture<T> watch(CompletionStage<T> source) {
        CompletableFuture<T> result = new CompletableFuture<>();
        result.whenComplete((r, t) -> {
            if (result.isCancelled()) {
                if (compareAndSet(false, true)) {
                    abandoned();
                }
                if (source instanceof Future) {
                    ((Future<?>) source).cancel(true);
                }
            }
        });
        source.whenComplete((value, failure) -> {
            if (compareAndSet(false, true)) {
                completed(value, failure == null ? null : Exceptions.unwrap(failure));
            }
            if (failure == null) {
                result.complete(value);
            } else {
                result.completeExceptionally(Exceptions.unwrap(failure));
            }
        });
        return result;
    }
}
