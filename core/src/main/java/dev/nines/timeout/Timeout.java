package dev.nines.timeout;

import dev.nines.AsyncCall;
import dev.nines.CallContext;
import dev.nines.Cancellation;
import dev.nines.Next;
import dev.nines.Policy;
import dev.nines.Reconfigurable;
import dev.nines.Scheduler;
import dev.nines.Ticker;
import dev.nines.internal.BuildRecorder;
import dev.nines.internal.Exceptions;
import dev.nines.internal.Contexts;
import dev.nines.internal.Reconfiguration;
import dev.nines.internal.Validation;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.Outcome;
import dev.nines.metrics.PolicyKinds;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bounds how long a call may take. When the limit passes, the caller gets a
 * {@link TimeoutExceededException} at once, even if the work ignores interruption; the work is
 * interrupted (sync) or its stage cancelled (async), and its context reports
 * {@link CallContext#isCancelled()} so that long work can stop cooperatively. The flag is raised
 * before the caller is released, so code that sees the exception also sees the flag.
 *
 * <p>The work sees the deadline in its context ({@link CallContext#remaining()}), to pass the
 * remaining time downstream. The limit is the sooner of {@code timeout} and a deadline the
 * context already carries; a call whose deadline has already passed fails without running
 * ({@link TimeoutExceededException#beforeStart}), and one cut short by the caller's sooner deadline
 * fails with a message and {@link TimeoutExceededException#timeout()} stating that shorter limit.
 *
 * <p><b>Where it goes decides what it bounds.</b> In {@code Pipeline.of(timeout, retry, ...)} it
 * bounds the whole call, every attempt and backoff included (a total timeout); in
 * {@code Pipeline.of(retry, ..., timeout)} it bounds each attempt and the retry sees each
 * {@link TimeoutExceededException} as a retryable failure (a per-attempt timeout).
 *
 * <p>The synchronous form runs the rest of the chain on an executor (by default a shared pool of
 * daemon threads, or a new virtual thread per call with {@link TimeoutBuilder#virtualThreads(boolean)})
 * while the caller waits, every policy after this one included; the work gets the call context and
 * the caller's thread-bound context through the {@link dev.nines.context.ContextPropagator} in use
 * (a copy of the SLF4J MDC by default; tracing, security and any registered {@code ThreadLocal}
 * with {@code nines-micrometer}), the worker's own put back afterwards. An
 * interrupted caller cancels the work and gets {@link InterruptedException} with its interrupt
 * status set again. Cancelling the asynchronous form's stage passes inward like the timeout
 * itself: the work's stage is cancelled, its context reports {@link CallContext#isCancelled()} and
 * the timer is stopped. Stages that depend on a timed-out async stage may run on the scheduler's
 * thread (with the caller's context, as above); keep them short or use the {@code ...Async} stage methods.
 *
 * <p>Built by {@link TimeoutBuilder}; settings and defaults in {@link TimeoutConfig} (default limit
 * 1 second, scheduler {@link Scheduler#system()}). Reports {@link PolicyKinds#TIMEOUT} outcomes:
 * {@link Outcome#SUCCESS}, {@link Outcome#FAILURE}, {@link Outcome#TIMED_OUT} (a call not started
 * for lack of time included), {@link Outcome#IGNORED} (an async call its caller cancelled). Immutable and
 * thread-safe.
 */
public final class Timeout implements Policy, Reconfigurable<TimeoutConfig> {

    /** The settings in force, read once by each call at its start. */
    private volatile Current current;
    private final ReentrantLock reconfiguring = new ReentrantLock(); // reconfigure only, never a call
    private final String name;
    private final Ticker ticker;
    private final Scheduler scheduler;
    private final ExecutorService executor;
    private final MetricsSink metrics;
    /** Executor threads running a synchronous call now, timed out or not (abandoned ones stay counted). */
    private final AtomicInteger working = new AtomicInteger();

    /**
     * One configuration and its timeout in nanoseconds.
     *
     * @param config the settings
     * @param timeoutNanos {@code config.timeout()}, saturated
     */
    private record Current(TimeoutConfig config, long timeoutNanos) {
    }

    Timeout(TimeoutConfig config) {
        this.current = new Current(config, Validation.nanos(config.timeout()));
        this.name = config.name();
        this.ticker = config.ticker();
        this.scheduler = config.scheduler();
        this.executor = config.executor();
        this.metrics = config.metrics();
        BuildRecorder.record("Timeout", name, violations -> {
            int n = working.get();
            if (n != 0) {
                violations.accept("no executor thread may still run a call at rest but " + n + " did (a timed-out call "
                        + "that ignores interruption keeps its thread)");
            }
        });
    }

    /** Starts a builder for a timeout with the given name. */
    public static TimeoutBuilder builder(String name) {
        return new TimeoutBuilder(name);
    }

    /**
     * A builder holding this timeout's settings, to derive another one. What was never set stays
     * unset: without a {@code metrics} sink of its own, the derived timeout takes
     * {@link Metrics#getDefault()}, the forwarding default.
     */
    public TimeoutBuilder toBuilder() {
        return new TimeoutBuilder(current.config);
    }

    /** This timeout's settings, every default resolved. */
    @Override
    public TimeoutConfig config() {
        return current.config;
    }

    /**
     * Takes {@code config}'s timeout for the calls that start after this returns; a call already
     * running keeps the limit it started with. The name, ticker, scheduler, executor (and
     * {@code virtualThreads}) and metrics sink cannot change.
     *
     * @throws IllegalArgumentException naming what was refused; the current timeout stays
     */
    @Override
    public void reconfigure(TimeoutConfig config) {
        Objects.requireNonNull(config, "config");
        reconfiguring.lock();
        try {
            TimeoutConfig now = current.config;
            Reconfiguration.of(now.wiring, config.wiring)
                    .fixed("executor", now.configuredExecutor, config.configuredExecutor)
                    .fixed("virtualThreads", now.virtualThreads, config.virtualThreads)
                    .throwIfRefused();
            current = new Current(config, Validation.nanos(config.timeout()));
        } finally {
            reconfiguring.unlock();
        }
        Reconfiguration.report(metrics, name);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public <T> T execute(CallContext context, Callable<T> call, Next next) throws Exception {
        long start = ticker.read();
        Current cur = current;
        long limit = limitNanos(cur.timeoutNanos, context, start);
        if (limit <= 0) {
            throw notStarted(limit);
        }
        Cancellation cancellation = new Cancellation();
        CallContext ctx = context.withDeadline(cur.config.timeout(), ticker).withCancellation(cancellation);
        Watch<T> watch = new Watch<>(cancellation, start, limit, cur.timeoutNanos);
        watch.work = executor.submit(Contexts.capture(() -> watch.runSync(next, ctx, call)));
        Future<?> timer = scheduler.schedule(watch::fire, limit);
        try {
            T result = watch.get();
            record(Outcome.SUCCESS, start);
            return result;
        } catch (ExecutionException e) {
            Throwable failure = Exceptions.unwrap(e);
            record(failure == watch.fired ? Outcome.TIMED_OUT : Outcome.FAILURE, start);
            throw Exceptions.rethrow(failure);
        } catch (InterruptedException e) {
            watch.stop();
            Thread.currentThread().interrupt();
            throw e;
        } finally {
            timer.cancel(false);
        }
    }

    @Override
    public <T> CompletionStage<T> executeAsync(CallContext context, AsyncCall<T> call, Next next) {
        long start = ticker.read();
        Current cur = current;
        long limit = limitNanos(cur.timeoutNanos, context, start);
        if (limit <= 0) {
            return CompletableFuture.failedFuture(notStarted(limit));
        }
        Cancellation cancellation = new Cancellation();
        CallContext ctx = context.withDeadline(cur.config.timeout(), ticker).withCancellation(cancellation);
        Watch<T> watch = new Watch<>(cancellation, start, limit, cur.timeoutNanos);
        CompletionStage<T> source = next.callAsync(ctx, call);
        watch.source = source;
        Future<?> timer = scheduler.schedule(Contexts.capture(() -> {
            if (watch.fire()) {
                record(Outcome.TIMED_OUT, start);
            }
        }), limit);
        watch.timer = timer;
        source.whenComplete((value, failure) -> {
            timer.cancel(false);
            boolean won = watch.settle(value, failure == null ? null : Exceptions.unwrap(failure));
            if (won) {
                record(failure == null ? Outcome.SUCCESS : Outcome.FAILURE, start);
            }
        });
        return watch;
    }

    /** The time the call may take: the timeout, or less if the context's deadline is sooner. */
    private long limitNanos(long timeoutNanos, CallContext context, long now) {
        if (!context.hasDeadline()) {
            return timeoutNanos;
        }
        long remaining = context.deadlineTicker() == ticker ? context.remainingNanos(now) : context.remainingNanos();
        return Math.min(timeoutNanos, remaining);
    }

    /** The caller's deadline left no time ({@code remaining <= 0}): the call is not started. */
    private TimeoutExceededException notStarted(long remaining) {
        metrics.onOutcome(name, PolicyKinds.TIMEOUT, Outcome.TIMED_OUT, 0);
        return TimeoutExceededException.beforeStart(name, remaining, 0);
    }

    /** The exception for a call that ran out of {@code limit}, which names the limit it had. */
    private TimeoutExceededException timedOut(long limit, long timeoutNanos) {
        return limit < timeoutNanos ? TimeoutExceededException.cutShort(name, limit, timeoutNanos)
                : new TimeoutExceededException(name, timeoutNanos);
    }

    private void record(Outcome outcome, long start) {
        metrics.onOutcome(name, PolicyKinds.TIMEOUT, outcome, ticker.read() - start);
    }

    @Override
    public String toString() {
        return "Timeout[" + name + ", " + current.config.timeout() + "]";
    }

    /**
     * The result of one call under watch: completed by the work or by the timer, whichever claims
     * it first. The loser's completion is ignored. The timer raises the cancellation flag after
     * claiming and before completing, so whoever sees the timeout also finds the work's context
     * cancelled, and a call the work finished first never has it raised. Cancelling it passes
     * inward like a timeout does: it raises the cancellation flag, cancels the work and stops the
     * timer.
     */
    private final class Watch<T> extends CompletableFuture<T> {
        private final AtomicBoolean claimed = new AtomicBoolean();
        private final Cancellation cancellation;
        private final long start;
        private final long limit;
        private final long timeoutNanos; // the timeout of the call's start, for the exception's message
        volatile Future<?> work;
        volatile CompletionStage<T> source;
        volatile Future<?> timer;
        /** Set before the timer completes the call, so the waiter can tell its own timeout apart. */
        volatile TimeoutExceededException fired;

        Watch(Cancellation cancellation, long start, long limit, long timeoutNanos) {
            this.cancellation = cancellation;
            this.start = start;
            this.limit = limit;
            this.timeoutNanos = timeoutNanos;
        }

        void runSync(Next next, CallContext ctx, Callable<T> call) {
            working.incrementAndGet();
            T value;
            try {
                value = next.call(ctx, call);
            } catch (Throwable t) {
                settle(null, t);
                return;
            } finally {
                working.decrementAndGet();
            }
            settle(value, null);
        }

        /** The work ended: completes the call unless the timer claimed it first (or the caller cancelled). */
        boolean settle(T value, Throwable failure) {
            if (!claimed.compareAndSet(false, true)) {
                return false;
            }
            return failure == null ? complete(value) : completeExceptionally(failure);
        }

        /**
         * The timer fired: unless the work ended first, raise the flag, fail the call, then stop
         * the work. The flag goes up before the caller can be released, so a caller that catches
         * the timeout (or a stage depending on it) finds {@link CallContext#isCancelled()} set.
         */
        boolean fire() {
            if (isDone() || !claimed.compareAndSet(false, true)) {
                return false;
            }
            TimeoutExceededException e = timedOut(limit, timeoutNanos);
            fired = e;
            cancellation.cancel();
            if (!completeExceptionally(e)) {
                return false; // the caller cancelled meanwhile, and has stopped the work itself
            }
            stop();
            return true;
        }

        /**
         * The caller, or a policy outside this one (a total timeout, a retry giving up), cancelled
         * the call: stop the work as a timeout would, so nothing outside mistakes a cancelled call
         * for finished work that still runs. Reported as {@link Outcome#IGNORED}.
         */
        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled) {
                try {
                    stop();
                } finally {
                    Future<?> t = timer;
                    if (t != null) {
                        t.cancel(false);
                    }
                    record(Outcome.IGNORED, start);
                }
            }
            return cancelled;
        }

        /** Raises the cancellation flag, interrupts sync work and cancels an async source. */
        void stop() {
            cancellation.cancel();
            Future<?> w = work;
            if (w != null) {
                w.cancel(true);
            }
            CompletionStage<T> s = source;
            if (s != null) {
                try {
                    s.toCompletableFuture().cancel(true);
                } catch (UnsupportedOperationException notCancellable) {
                    // a stage that cannot be cancelled runs on; the flag is all it gets
                }
            }
        }
    }
}
