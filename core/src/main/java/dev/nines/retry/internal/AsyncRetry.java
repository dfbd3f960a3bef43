package dev.nines.retry.internal;

import dev.nines.AsyncCall;
import dev.nines.CallContext;
import dev.nines.Next;
import dev.nines.internal.Exceptions;
import dev.nines.internal.Contexts;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;

/**
 * One asynchronous call under a retry: the stage the caller holds, and the loop of attempts that
 * completes it. Each attempt starts when the previous one's stage completes (and
 * its backoff, on the scheduler, ends), so the fields below are written by one thread at a time
 * with a happens-before edge between attempts; a cancel may come from any thread and reads only
 * volatile fields, so the class is thread-safe. Cancelling this stage cancels the running
 * attempt's stage and stops further attempts, also when the cancel comes while the next attempt
 * is being started: each attempt is published before the cancel is looked at again.
 */
final class AsyncRetry<T> extends CompletableFuture<T> {

    private final RetryEngine policy;
    private final CallContext context;
    private final AsyncCall<T> call;
    private final Next next;
    private final long start;
    /** The next attempt, run on the scheduler with the caller's context: captured here, on the caller. */
    private final Runnable retryOnCaller = Contexts.capture(this::attempt);
    private int attempt = 1;
    private long delay;
    private volatile Future<?> backoff;
    private volatile CompletionStage<T> current;

    AsyncRetry(RetryEngine policy, CallContext context, AsyncCall<T> call, Next next, long start) {
        this.policy = policy;
        this.context = context;
        this.call = call;
        this.next = next;
        this.start = start;
    }

    /** Starts the current attempt unless the caller has cancelled. */
    void attempt() {
        if (isDone()) {
            return;
        }
        CompletionStage<T> stage;
        try {
            stage = next.callAsync(context.withAttempt(attempt), call);
        } catch (Throwable t) {
            onAttempt(null, t); // a call that throws instead of returning a stage failed this attempt
            return;
        }
        // publish, then look again: a cancel that came after the check above read the previous
        // attempt's stage, so stopping this one falls to us (both sides use volatile accesses, so
        // at least one of them sees the other)
        current = stage;
        if (isDone()) {
            stop(stage, true);
            return;
        }
        stage.whenComplete(this::onAttempt);
    }

    private void onAttempt(T result, Throwable failure) {
        Throwable cause = failure == null ? null : Exceptions.unwrap(failure);
        if (isDone()) {
            return;
        }
        try {
            if (policy.shouldRetry(result, cause)) {
                long wait = policy.plan(context, attempt, delay, start);
                if (wait != RetryEngine.GIVE_UP) {
                    delay = wait;
                    attempt++;
                    Future<?> pending = policy.scheduler().schedule(retryOnCaller, wait);
                    backoff = pending;
                    if (isDone()) {
                        pending.cancel(false); // cancelled meanwhile: the attempt would not start anyway
                    }
                    return;
                }
            }
        } catch (Throwable t) {
            // a VirtualMachineError from a filter predicate, or a scheduler refusing the backoff,
            // ends the call, never hangs it
            if (cause != null && cause != t) {
                t.addSuppressed(cause);
            }
            cause = t;
            result = null;
        }
        policy.finish(cause, start);
        if (cause == null) {
            complete(result);
        } else {
            completeExceptionally(cause);
        }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        Future<?> pending = backoff;
        if (pending != null) {
            pending.cancel(false);
        }
        CompletionStage<T> attemptStage = current;
        if (attemptStage != null) {
            stop(attemptStage, mayInterruptIfRunning);
        }
        return cancelled;
    }

    private static void stop(CompletionStage<?> attemptStage, boolean mayInterruptIfRunning) {
        try {
            attemptStage.toCompletableFuture().cancel(mayInterruptIfRunning);
        } catch (UnsupportedOperationException notCancellable) {
            // the attempt runs on; its outcome is ignored
        }
    }
}
