package dev.nines.retry;

import dev.nines.FailureFilter;
import dev.nines.Scheduler;
import dev.nines.Sleeper;
import dev.nines.Ticker;
import dev.nines.internal.PolicyBuilder;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Configures a {@link Retry}: setters only store (rejecting {@code null} at once), and
 * {@link #build()} checks every setting and names each bad field with its value, all of them in
 * one {@link IllegalArgumentException}: {@code maxAttempts must be >= 1 but was 0}.
 *
 * <p>Its name, {@link #ticker(Ticker) ticker}, {@link #metrics(dev.nines.metrics.MetricsSink)
 * metrics} sink and {@link #scheduler(Scheduler) scheduler} are kept as every nines builder keeps
 * them: what was never set stays unset, also on a {@link Retry#toBuilder()} copy, and resolves to
 * its default at each {@code build()}. Every default is readable on {@link RetryConfig}.
 *
 * <p>Not thread-safe; the retry it builds is.
 */
@SuppressWarnings("exports") // the shared base is internal; its public setters are this builder's API
public final class RetryBuilder extends PolicyBuilder<RetryBuilder> {

    static final Backoff DEFAULT_BACKOFF = Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(10),
            Jitter.FULL);
    static final DoubleSupplier DEFAULT_RANDOM = () -> ThreadLocalRandom.current().nextDouble();

    int maxAttempts = 3;
    Duration maxDuration = Duration.ZERO;
    Duration minAttemptTime = Duration.ZERO;
    Backoff backoff = DEFAULT_BACKOFF;
    DoubleSupplier random = DEFAULT_RANDOM;
    FailureFilter failures = FailureFilter.exceptions();
    RetryBudget budget;
    Sleeper sleeper = Sleeper.system();

    RetryBuilder(String name) {
        super(name);
    }

    RetryBuilder(RetryConfig c) {
        super(c.wiring);
        maxAttempts = c.maxAttempts;
        maxDuration = c.maxDuration;
        minAttemptTime = c.minAttemptTime;
        backoff = c.backoff;
        random = c.random;
        failures = c.failures;
        budget = c.budget;
        sleeper = c.sleeper;
    }

    /** The most attempts, the first included; at least 1 (1 never retries). Default 3. */
    public RetryBuilder maxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
        return this;
    }

    /** No attempt starts this long after the first; zero (the default) means no limit. */
    public RetryBuilder maxDuration(Duration maxDuration) {
        this.maxDuration = Objects.requireNonNull(maxDuration, "maxDuration");
        return this;
    }

    /**
     * The least time an attempt needs: an attempt, the first included, starts only if more than
     * this remains before the context's deadline. Default zero: any time left will do.
     */
    public RetryBuilder minAttemptTime(Duration minAttemptTime) {
        this.minAttemptTime = Objects.requireNonNull(minAttemptTime, "minAttemptTime");
        return this;
    }

    /** The wait before each retry. Default: exponential from 100 ms, x2, up to 10 s, full jitter. */
    public RetryBuilder backoff(Backoff backoff) {
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        return this;
    }

    /** Values uniform in [0, 1) for jitter; fix it in tests. Default {@link ThreadLocalRandom}. */
    public RetryBuilder random(DoubleSupplier random) {
        this.random = Objects.requireNonNull(random, "random");
        return this;
    }

    /**
     * Which outcomes are worth another attempt: an exception or a result the filter judges a
     * {@link FailureFilter.Verdict#FAILURE} is retried (a result such as a response with status 503,
     * through {@link FailureFilter#failingResults}; when the retry gives up, the last result is
     * returned); an {@link FailureFilter.Verdict#IGNORED} exception ends the call at once, as does
     * one the filter judges a {@link FailureFilter.Verdict#SUCCESS}. An
     * {@link InterruptedException} is never retried, whatever the filter says. Default
     * {@link FailureFilter#exceptions()}: every {@link Exception} is retried, no {@link Error} and
     * no result.
     */
    public RetryBuilder failures(FailureFilter failures) {
        this.failures = Objects.requireNonNull(failures, "failures");
        return this;
    }

    /** Shares a budget with every other retry given the same one. Default: none. */
    public RetryBuilder budget(RetryBudget budget) {
        this.budget = Objects.requireNonNull(budget, "budget");
        return this;
    }

    /** Waits between synchronous attempts. Default {@link Sleeper#system()}. */
    public RetryBuilder sleeper(Sleeper sleeper) {
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        return this;
    }

    /**
     * Waits between asynchronous attempts, blocking no thread. It must keep the same time as the
     * {@link #ticker(Ticker) ticker}. Default {@link Scheduler#system()}.
     */
    @Override
    public RetryBuilder scheduler(Scheduler scheduler) {
        return super.scheduler(scheduler);
    }

    /**
     * Builds the policy.
     *
     * @throws IllegalArgumentException naming every invalid setting and its value
     */
    public Retry build() {
        validation()
                .atLeast("maxAttempts", maxAttempts, 1)
                .nonNegative("maxDuration", maxDuration)
                .nonNegative("minAttemptTime", minAttemptTime)
                .throwIfInvalid();
        return new Retry(new RetryConfig(this, wiring()));
    }
}
