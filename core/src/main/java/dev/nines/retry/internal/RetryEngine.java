package dev.nines.retry.internal;

import dev.nines.AsyncCall;
import dev.nines.CallContext;
import dev.nines.Next;
import dev.nines.Scheduler;
import dev.nines.Sleeper;
import dev.nines.Ticker;
import dev.nines.internal.Exceptions;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.Outcome;
import dev.nines.metrics.PolicyKinds;
import dev.nines.retry.Backoff;
import dev.nines.retry.RetryBudget;
import dev.nines.timeout.TimeoutExceededException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.DoubleSupplier;

/**
 * The engine of a {@link dev.nines.retry.Retry}: the loop of attempts, synchronous (waiting on the
 * {@link Sleeper}) and asynchronous (on the {@link Scheduler}), and the decision before each retry
 * (attempt count, {@code maxDuration}, the context's deadline, the budget). The public
 * {@code Retry} documents the behaviour; this class carries it out.
 *
 * <p>Times are ticker readings in nanoseconds, compared only as differences; the ticker is read
 * only when a time limit, a deadline or a metrics sink needs it. Immutable and thread-safe. Not
 * part of the public API.
 */
public final class RetryEngine {

    /** What {@link #plan} returns when the retry should stop. */
    static final long GIVE_UP = -1;

    private final String name;
    private final int maxAttempts;
    private final long maxDurationNanos;
    private final long minAttemptNanos;
    private final Backoff backoff;
    private final DoubleSupplier random;
    private final RetryRule rule;
    private final RetryBudget budget;
    private final Ticker ticker;
    private final Sleeper sleeper;
    private final Scheduler scheduler;
    private final MetricsSink metrics;

    /**
     * @param maxDurationNanos no attempt starts this long after the first; 0 for no limit
     * @param minAttemptNanos the least time before the deadline for an attempt to start
     * @param budget the shared budget, or {@code null}
     * @param metrics the resolved sink; outcomes are timed unless {@link Metrics#isNoop} says it drops them
     */
    public RetryEngine(String name, int maxAttempts, long maxDurationNanos, long minAttemptNanos, Backoff backoff,
            DoubleSupplier random, RetryRule rule, RetryBudget budget, Ticker ticker, Sleeper sleeper,
            Scheduler scheduler, MetricsSink metrics) {
        this.name = name;
        this.maxAttempts = maxAttempts;
        this.maxDurationNanos = maxDurationNanos;
        this.minAttemptNanos = minAttemptNanos;
        this.backoff = backoff;
        this.random = random;
        this.rule = rule;
        this.budget = budget;
        this.ticker = ticker;
        this.sleeper = sleeper;
        this.scheduler = scheduler;
        this.metrics = metrics;
    }

    /** Runs the synchronous loop of attempts; see {@link dev.nines.retry.Retry}. */
    public <T> T execute(CallContext context, Callable<T> call, Next next) throws Exception {
        if (context.hasDeadline()) {
            checkDeadline(context);
        }
        long start = startTime();
        long delay = 0;
        for (int attempt = 1; ; attempt++) {
            T result = null;
            Throwable failure = null;
            try {
                result = next.call(context.withAttempt(attempt), call);
            } catch (Throwable t) {
                failure = t;
            }
            boolean again;
            try {
                again = shouldRetry(result, failure) && (delay = plan(context, attempt, delay, start)) != GIVE_UP;
            } catch (Throwable t) {
                // a VirtualMachineError from a filter predicate ends the call as in the async form,
                // the attempt's own failure kept as suppressed
                if (failure != null && failure != t) {
                    t.addSuppressed(failure);
                }
                failure = t;
                result = null;
                again = false;
            }
            if (!again || !sleep(delay)) {
                finish(failure, start);
                if (failure != null) {
                    throw Exceptions.rethrow(failure);
                }
                return result;
            }
        }
    }

    /** Starts the asynchronous loop of attempts; cancelling the returned stage stops it. */
    public <T> CompletionStage<T> executeAsync(CallContext context, AsyncCall<T> call, Next next) {
        if (context.hasDeadline()) {
            try {
                checkDeadline(context);
            } catch (TimeoutExceededException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        AsyncRetry<T> run = new AsyncRetry<>(this, context, call, next, startTime());
        run.attempt();
        return run;
    }

    /** Refuses a call whose deadline leaves no time for an attempt to finish. */
    private void checkDeadline(CallContext context) {
        long remaining = remaining(context, ticker.read());
        if (remaining <= minAttemptNanos) {
            metrics.onOutcome(name, PolicyKinds.RETRY, Outcome.REJECTED, 0);
            throw TimeoutExceededException.beforeStart(name, remaining, minAttemptNanos);
        }
    }

    private long remaining(CallContext context, long now) {
        return context.deadlineTicker() == ticker ? context.remainingNanos(now) : context.remainingNanos();
    }

    /** A start time meaning the call was not timed: nothing needed the clock when it began. */
    static final long UNTIMED = Long.MIN_VALUE;

    /** Records the first attempt with the budget and reads the start time if anything needs it. */
    private long startTime() {
        if (budget != null) {
            budget.recordFirstAttempt();
        }
        return !Metrics.isNoop(metrics) || maxDurationNanos > 0 ? ticker.read() : UNTIMED;
    }

    /** Whether this outcome of an attempt is worth another attempt. */
    boolean shouldRetry(Object result, Throwable failure) {
        return rule.shouldRetry(result, failure);
    }

    /**
     * Decides whether attempt {@code attempt + 1} may run and after what delay: checks the attempt
     * count, the time limit and the deadline, then takes a retry from the budget.
     *
     * @return the delay in nanoseconds, or {@link #GIVE_UP}
     */
    long plan(CallContext context, int attempt, long previousDelay, long start) {
        if (attempt >= maxAttempts) {
            return GIVE_UP;
        }
        long delay = Math.max(0L, backoff.delayNanos(attempt, previousDelay, random.getAsDouble()));
        if (maxDurationNanos > 0 || context.hasDeadline()) {
            long now = ticker.read();
            if (maxDurationNanos > 0 && now + delay - start >= maxDurationNanos) {
                return GIVE_UP;
            }
            if (remaining(context, now) <= delay + minAttemptNanos) {
                return GIVE_UP; // after the backoff, too little time would be left for an attempt
            }
        }
        if (budget != null && !budget.tryAcquireRetry()) {
            return GIVE_UP;
        }
        metrics.onOutcome(name, PolicyKinds.RETRY, Outcome.RETRIED, 0);
        return delay;
    }

    /** Reports the end of a call. */
    void finish(Throwable failure, long start) {
        if (start != UNTIMED && !Metrics.isNoop(metrics)) {
            metrics.onOutcome(name, PolicyKinds.RETRY, failure == null ? Outcome.SUCCESS : Outcome.FAILURE,
                    ticker.read() - start);
        }
    }

    Scheduler scheduler() {
        return scheduler;
    }

    /** Waits {@code delay}; on interruption keeps the interrupt status and returns false. */
    private boolean sleep(long delay) {
        try {
            sleeper.sleep(delay);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
