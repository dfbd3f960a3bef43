package dev.nines.fallback.internal;

import dev.nines.AsyncCall;
import dev.nines.CallContext;
import dev.nines.FailureFilter;
import dev.nines.Next;
import dev.nines.fallback.FallbackFunction;
import dev.nines.internal.Exceptions;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.Outcome;
import dev.nines.metrics.PolicyKinds;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * The mechanics every fallback shares: run the rest of the chain, and when its exception or its
 * result is one the {@link FailureFilter} judges a failure, replace it with the function's result
 * (the function sees the exception, or {@code null} for a result), synchronously or by completing
 * a stage. Used by {@code Fallback} and by the {@code @WithFallback} handler. Stateless;
 * thread-safe.
 *
 * <p>When {@code producesStage} is set the function returns a {@link CompletionStage}: the async
 * path completes with it, the sync path waits for it.
 *
 * <p>A fallback that fails surfaces its own failure with the original one suppressed, unless it
 * is the original one (a fallback may rethrow what it cannot handle): that passes through as it
 * is. The async result always completes, whatever the filter or the function throws, and
 * cancelling it reaches the work inside (a cancel is not a failure: it is never replaced).
 *
 * <p>Where the call says what it returns (an {@code Invocation}), a replacement of the wrong type
 * fails here with an {@link IllegalStateException} naming the fallback and both types (see
 * {@code ResultType}), the original failure suppressed.
 */
public final class FallbackRunner {

    private FallbackRunner() {
    }

    /** Runs {@code call} through {@code next}, replacing an exception or a result judged a failure. */
    public static <T> T runSync(CallContext context, Callable<T> call, Next next, FailureFilter failures,
            FallbackFunction fn, boolean producesStage, MetricsSink metrics, String name) throws Exception {
        T result;
        try {
            result = next.call(context, call);
        } catch (Throwable failure) {
            if (failures.judge(failure) != FailureFilter.Verdict.FAILURE) {
                throw failure;
            }
            return replace(failure, context, call, fn, producesStage, metrics, name);
        }
        if (failures.judgesResults() && failures.judgeResult(result) == FailureFilter.Verdict.FAILURE) {
            return replace(null, context, call, fn, producesStage, metrics, name);
        }
        return result;
    }

    /** The replacement of {@code failure} ({@code null} for a failed result), synchronously. */
    @SuppressWarnings("unchecked")
    private static <T> T replace(Throwable failure, CallContext context, Callable<T> call, FallbackFunction fn,
            boolean producesStage, MetricsSink metrics, String name) throws Exception {
        Object value;
        try {
            value = fn.apply(failure, context);
            if (producesStage) {
                value = join((CompletionStage<Object>) value);
            }
            ResultType.check(value, call, false, name);
        } catch (Throwable fallbackFailure) {
            withSuppressed(fallbackFailure, failure);
            throw fallbackFailure;
        }
        metrics.onOutcome(name, PolicyKinds.FALLBACK, Outcome.FALLBACK, 0);
        return (T) value;
    }

    /**
     * Runs {@code call} through {@code next}; an exception or a result judged a failure completes
     * the result with the fallback. Cancelling the result cancels the call's stage (or, once the fallback runs, the
     * fallback's stage), so what the policies inside hold is given back; a cancel never runs the
     * fallback.
     */
    public static <T> CompletionStage<T> runAsync(CallContext context, AsyncCall<T> call, Next next,
            FailureFilter failures, FallbackFunction fn, boolean producesStage, MetricsSink metrics, String name) {
        Replacing<T> result = new Replacing<>();
        CompletionStage<T> source = next.callAsync(context, call);
        result.follow(source);
        source.whenComplete((value, thrown) -> {
            if (result.isDone()) {
                return; // cancelled by the caller: nobody waits for a replacement
            }
            Throwable failure = thrown == null ? null : Exceptions.unwrap(thrown);
            boolean replaced;
            try {
                replaced = failure != null ? failures.judge(failure) == FailureFilter.Verdict.FAILURE
                        : failures.judgesResults() && failures.judgeResult(value) == FailureFilter.Verdict.FAILURE;
            } catch (Throwable filterFailure) { // only a VirtualMachineError gets out of a filter
                result.completeExceptionally(withSuppressed(filterFailure, failure));
                return;
            }
            if (!replaced) {
                if (failure == null) {
                    result.complete(value);
                } else {
                    result.completeExceptionally(failure);
                }
                return;
            }
            apply(failure, context, call, fn, producesStage, result, metrics, name);
        });
        return result;
    }

    @SuppressWarnings("unchecked")
    private static <T> void apply(Throwable failure, CallContext context, AsyncCall<T> call, FallbackFunction fn,
            boolean producesStage, Replacing<T> result, MetricsSink metrics, String name) {
        try {
            Object value = fn.apply(failure, context);
            if (!producesStage) {
                ResultType.check(value, call, true, name);
                metrics.onOutcome(name, PolicyKinds.FALLBACK, Outcome.FALLBACK, 0);
                result.complete((T) value);
                return;
            }
            CompletionStage<T> stage = (CompletionStage<T>) value;
            if (stage == null) {
                throw new NullPointerException("async fallback returned null instead of a CompletionStage");
            }
            result.follow(stage);
            stage.whenComplete((v, t) -> {
                if (t == null) {
                    try {
                        ResultType.check(v, call, true, name);
                    } catch (IllegalStateException mismatch) {
                        result.completeExceptionally(withSuppressed(mismatch, failure));
                        return;
                    }
                    try {
                        metrics.onOutcome(name, PolicyKinds.FALLBACK, Outcome.FALLBACK, 0);
                    } finally {
                        result.complete(v);
                    }
                } else {
                    result.completeExceptionally(withSuppressed(Exceptions.unwrap(t), failure));
                }
            });
        } catch (Throwable fallbackFailure) {
            result.completeExceptionally(withSuppressed(fallbackFailure, failure));
        }
    }

    /**
     * The stage an asynchronous fallback returns. Cancelling it passes the cancel to the stage it
     * currently follows: the call's, then the fallback's own. A stage is published before the
     * cancel is checked again, and a cancel reads it after cancelling, so a cancel racing with
     * {@link #follow} reaches the stage from one side or the other. Thread-safe.
     */
    private static final class Replacing<T> extends CompletableFuture<T> {
        private volatile CompletionStage<?> current;

        void follow(CompletionStage<?> stage) {
            current = stage;
            if (isCancelled()) {
                cancelCurrent(true);
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled) {
                cancelCurrent(mayInterruptIfRunning);
            }
            return cancelled;
        }

        private void cancelCurrent(boolean mayInterruptIfRunning) {
            CompletionStage<?> stage = current;
            if (stage instanceof Future) {
                ((Future<?>) stage).cancel(mayInterruptIfRunning);
            }
        }
    }

    /**
     * {@code surfaced}, carrying {@code original} as suppressed unless there is none (a failed
     * result), they are the same exception (which {@link Throwable#addSuppressed} refuses) or it
     * already carries it.
     */
    private static Throwable withSuppressed(Throwable surfaced, Throwable original) {
        if (original != null && surfaced != original) {
            for (Throwable s : surfaced.getSuppressed()) {
                if (s == original) {
                    return surfaced;
                }
            }
            surfaced.addSuppressed(original);
        }
        return surfaced;
    }

    private static Object join(CompletionStage<Object> stage) throws Exception {
        if (stage == null) {
            throw new NullPointerException("async fallback returned null instead of a CompletionStage");
        }
        try {
            return stage.toCompletableFuture().get();
        } catch (ExecutionException e) {
            Throwable cause = Exceptions.unwrap(e);
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw cause instanceof Exception ? (Exception) cause : e;
        }
    }
}
