package dev.nines.retry;

import dev.nines.FailureFilter;
import dev.nines.Scheduler;
import dev.nines.Sleeper;
import dev.nines.Ticker;
import dev.nines.internal.PolicyWiring;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.MetricsSink;
import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * The validated, immutable settings of one {@link Retry}, made by {@link RetryBuilder#build()} and
 * returned by {@link Retry#config()}. Every default is readable here and stated on its getter;
 * times are {@link Duration}s. Derive changed settings with {@link Retry#toBuilder()}. Immutable
 * and thread-safe.
 */
public final class RetryConfig {

    /** Name, ticker, scheduler and sink, as resolved and as configured (for toBuilder()). */
    final PolicyWiring wiring;
    final int maxAttempts;
    final Duration maxDuration;
    final Duration minAttemptTime;
    final Backoff backoff;
    final DoubleSupplier random;
    final FailureFilter failures;
    final RetryBudget budget;
    final Sleeper sleeper;

    RetryConfig(RetryBuilder b, PolicyWiring wiring) {
        this.wiring = wiring;
        this.maxAttempts = b.maxAttempts;
        this.maxDuration = b.maxDuration;
        this.minAttemptTime = b.minAttemptTime;
        this.backoff = b.backoff;
        this.random = b.random;
        this.failures = b.failures;
        this.budget = b.budget;
        this.sleeper = b.sleeper;
    }

    /** The policy's name, used by metrics and the registry. */
    public String name() {
        return wiring.name();
    }

    /** The most attempts, the first included. Default 3. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** No attempt starts this long after the first; zero means no limit. Default zero. */
    public Duration maxDuration() {
        return maxDuration;
    }

    /** The least time before the deadline for an attempt to start. Default zero. */
    public Duration minAttemptTime() {
        return minAttemptTime;
    }

    /** The wait before each retry. Default exponential from 100 ms, x2, up to 10 s, full jitter. */
    public Backoff backoff() {
        return backoff;
    }

    /** The source of jitter, uniform in [0, 1). Default {@link java.util.concurrent.ThreadLocalRandom}. */
    public DoubleSupplier random() {
        return random;
    }

    /**
     * Which outcomes are retried: those judged {@link FailureFilter.Verdict#FAILURE}. Default
     * {@link FailureFilter#exceptions()}. An {@link InterruptedException} is never retried.
     */
    public FailureFilter failures() {
        return failures;
    }

    /** The shared budget; empty (the default) when retries are not budgeted. */
    public Optional<RetryBudget> budget() {
        return Optional.ofNullable(budget);
    }

    /** Measures {@code maxDuration}, deadlines and call times. Default {@link Ticker#system()}. */
    public Ticker ticker() {
        return wiring.ticker();
    }

    /** Waits between synchronous attempts. Default {@link Sleeper#system()}. */
    public Sleeper sleeper() {
        return sleeper;
    }

    /** Waits between asynchronous attempts. Default {@link Scheduler#system()}. */
    public Scheduler scheduler() {
        return wiring.scheduler(Scheduler.system());
    }

    /**
     * The sink the retry reports to (guarded): the one set, else {@link Metrics#getDefault()},
     * which forwards to the current default.
     */
    public MetricsSink metrics() {
        return wiring.metrics();
    }

    @Override
    public String toString() {
        return "RetryConfig[name=" + name() + ", maxAttempts=" + maxAttempts + ", maxDuration=" + maxDuration
                + ", minAttemptTime=" + minAttemptTime + ", backoff=" + backoff + ", failures=" + failures
                + (budget != null ? ", budget=" + budget.name() : "") + "]";
    }
}
