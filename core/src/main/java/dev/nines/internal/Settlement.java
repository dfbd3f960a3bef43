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
 * <p>On a cancel the call's stage is cancelled <em>before</em> {@link #abandoned()} gives back what
 * is held, so a policy nested inside (another timeout, a bulkhead) has stopped its work by the time
 * a new call can take the freed permit. The caller's stage completes on every path, even when
 * {@link #completed} throws; a throwable from it becomes the stage's failure, with the call's own
 * failure added as suppressed. Thread-safe: the settling is one compare-and-set.
 *
 * @param <T> the call's result type
 */
public abstract class Settlement<T> extends AtomicBoolean {

    private static final long serialVersionUID = 1L;

    /** The call completed first: record {@code value} or {@code failure} and give back what is held. */
    protected abstract void completed(T value, Throwable failure);

    /** The caller cancelled first: give back what is held; the call's later outcome is not counted. */
    protected abstract void abandoned();

    /**
     * Watches {@code source}; returns the stage the caller gets. If watching fails (it allocates),
     * what is held is given back as abandoned and the failure is thrown.
     */
    public final CompletableFuture<T> watch(CompletionStage<T> source) {
        try {
            CompletableFuture<T> result = new CompletableFuture<>();
            result.whenComplete((r, t) -> {
                if (result.isCancelled()) {
                    abandon(source);
                }
            });
            source.whenComplete((value, failure) -> settle(result, value, failure));
            return result;
        } catch (Throwable t) {
            abandon(source);
            throw t;
        }
    }

    /** The caller gave up: claim the settlement, stop the call's stage, then give back what is held. */
    private void abandon(CompletionStage<T> source) {
        // claimed first, so the source completing as cancelled just below is not taken for its outcome
        boolean mine = compareAndSet(false, true);
        try {
            if (source instanceof Future) {
                ((Future<?>) source).cancel(true);
            }
        } finally {
            if (mine) {
                abandoned();
            }
        }
    }

    private void settle(CompletableFuture<T> result, T value, Throwable failure) {
        Throwable cause = failure == null ? null : Exceptions.unwrap(failure);
        try {
            if (compareAndSet(false, true)) {
                completed(value, cause);
            }
        } catch (Throwable t) {
            // a throwing predicate or listener must not leave the caller waiting forever
            if (cause != null && cause != t) {
                t.addSuppressed(cause);
            }
            cause = t;
        } finally {
            if (cause == null) {
                result.complete(value);
            } else {
                result.completeExceptionally(cause);
            }
        }
    }
}
