package dev.nines.retry;

import dev.nines.AsyncCall;
import dev.nines.CallContext;
import dev.nines.FailureFilter;
import dev.nines.Next;
import dev.nines.Policy;
import dev.nines.Reconfigurable;
import dev.nines.Scheduler;
import dev.nines.Sleeper;
import dev.nines.internal.Reconfiguration;
import dev.nines.internal.Validation;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.Outcome;
import dev.nines.metrics.PolicyKinds;
import dev.nines.retry.internal.RetryEngine;
import dev.nines.retry.internal.RetryRule;
import dev.nines.timeout.TimeoutExceededException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs a call again when it fails in a way worth retrying.
 *
 * <pre>{@code
 * Retry retry = Retry.builder("payments").maxAttempts(4)
 *         .failures(FailureFilter.on(IOException.class).ignoring(FileNotFoundException.class))
 *         .build();
 * }</pre>
 *
 * <p>Each attempt sees its number in {@link CallContext#attempt()}. After an exception or a result
 * that its {@link FailureFilter} ({@link RetryBuilder#failures}) judges a failure (by default any
 * {@link Exception}, no result), the policy waits for the {@link Backoff} and tries again,
 * until one of these stops it, and then the last failure is rethrown unchanged (or the last result
 * returned):
 * <ul>
 *   <li>{@code maxAttempts} attempts have run;</li>
 *   <li>the next attempt would start at or after {@code maxDuration} from the first;</li>
 *   <li>the context's deadline would pass before the backoff ends, or leave less than
 *       {@code minAttemptTime} after it: no backoff sleeps past the deadline and no attempt
 *       starts that could not finish before it;</li>
 *   <li>the shared {@link RetryBudget} refuses the retry;</li>
 *   <li>the thread is interrupted during the backoff: the retry stops and the interrupt status is
 *       kept.</li>
 * </ul>
 * A call whose deadline already leaves less than {@code minAttemptTime} (by default: has passed)
 * fails with {@link TimeoutExceededException} without a first attempt. An exception the filter
 * ignores, or does not count as a failure, ends the call at once. {@link InterruptedException} is
 * never retried, whatever the filter says. Synchronous retries wait through the
 * {@link Sleeper}; asynchronous ones on the {@link Scheduler}, blocking no thread (cancelling the
 * returned stage stops them).
 *
 * <p>Defaults: 3 attempts, no time limit, exponential backoff from 100 ms doubling up to 10 s with
 * full jitter, no budget. Reports {@link PolicyKinds#RETRY} outcomes: {@link Outcome#RETRIED} per
 * retry, then {@link Outcome#SUCCESS} or {@link Outcome#FAILURE} for the call. A predicate of the
 * filter that throws makes the outcome a failure, which is retried (the filter's rule, logged
 * once); only a {@link VirtualMachineError} from it ends the call, with the attempt's own failure
 * added as suppressed, in both forms. Every setting is readable on {@link #config()}; {@link #reconfigure} replaces them
 * for the calls that start after. Thread-safe; a
 * call that succeeds at once allocates nothing and reads no clock unless a time limit
 * ({@code maxDuration}), a metrics sink, or a deadline in its context (checked before the first
 * attempt) needs one.
 */
public final class Retry implements Policy, Reconfigurable<RetryConfig> {

    /** The settings in force and their engine, swapped whole: a call reads it once, at its start. */
    private volatile Current current;
    private final ReentrantLock reconfiguring = new ReentrantLock(); // reconfigure only, never a call

    /**
     * One configuration and the loop of attempts it drives.
     *
     * @param config the settings
     * @param engine the loop of attempts and the decision before each retry; called directly on every path
     */
    private record Current(RetryConfig config, RetryEngine engine) {
        static Current of(RetryConfig c) {
            return new Current(c, new RetryEngine(c.name(), c.maxAttempts, Validation.nanos(c.maxDuration),
                    Validation.nanos(c.minAttemptTime), c.backoff, c.random, new RetryRule(c.failures), c.budget,
                    c.ticker(), c.sleeper, c.scheduler(), c.metrics()));
        }
    }

    Retry(RetryConfig c) {
        this.current = Current.of(c);
    }

    /**
     * Takes {@code config}'s attempts, durations, backoff, jitter source, failure filter and budget
     * for the calls that start after this returns; a call already running finishes its attempts under
     * the settings it started with. The name, ticker, scheduler, sleeper and metrics sink cannot change.
     *
     * @throws IllegalArgumentException naming what was refused; the current settings stay
     */
    @Override
    public void reconfigure(RetryConfig config) {
        Objects.requireNonNull(config, "config");
        reconfiguring.lock();
        try {
            RetryConfig now = current.config;
            Reconfiguration.of(now.wiring, config.wiring).fixed("sleeper", now.sleeper, config.sleeper)
                    .throwIfRefused();
            current = Current.of(config);
        } finally {
            reconfiguring.unlock();
        }
        Reconfiguration.report(config.metrics(), config.name());
    }

    /** Starts a builder for a retry with the given name. */
    public static RetryBuilder builder(String name) {
        return new RetryBuilder(name);
    }

    /**
     * A builder holding this policy's settings, to derive another one. What was never set stays
     * unset: without a {@code metrics} sink of its own, the derived policy takes
     * {@link Metrics#getDefault()}, the forwarding default.
     */
    public RetryBuilder toBuilder() {
        return new RetryBuilder(current.config);
    }

    /** The settings in force: those built with, or the last ones given to {@link #reconfigure}. */
    @Override
    public RetryConfig config() {
        return current.config;
    }

    @Override
    public String name() {
        return current.config.name();
    }

    /** The most attempts, the first included: {@link RetryConfig#maxAttempts()}. */
    public int maxAttempts() {
        return current.config.maxAttempts;
    }

    /** No attempt starts this long after the first; zero means no limit: {@link RetryConfig#maxDuration()}. */
    public Duration maxDuration() {
        return current.config.maxDuration;
    }

    /** The least time before the deadline for an attempt to start: {@link RetryConfig#minAttemptTime()}. */
    public Duration minAttemptTime() {
        return current.config.minAttemptTime;
    }

    /** The wait before each retry: {@link RetryConfig#backoff()}. */
    public Backoff backoff() {
        return current.config.backoff;
    }

    /** The shared budget, or {@code null} when retries are not budgeted: {@link RetryConfig#budget()}. */
    public RetryBudget budget() {
        return current.config.budget;
    }

    @Override
    public <T> T execute(CallContext context, Callable<T> call, Next next) throws Exception {
        return current.engine.execute(context, call, next);
    }

    @Override
    public <T> CompletionStage<T> executeAsync(CallContext context, AsyncCall<T> call, Next next) {
        return current.engine.executeAsync(context, call, next);
    }

    @Override
    public String toString() {
        RetryConfig config = current.config;
        return "Retry[" + config.name() + ", maxAttempts=" + config.maxAttempts + ", " + config.backoff
                + (config.budget != null ? ", budget=" + config.budget.name() : "") + "]";
    }
}
