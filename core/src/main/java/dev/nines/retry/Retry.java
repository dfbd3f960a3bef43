package dev.nines.retry;

import dev.nines.AsyncCall;
import dev.nines.CallContext;
import dev.nines.Next;
import dev.nines.Policy;
import dev.nines.Scheduler;
import dev.nines.Sleeper;
import dev.nines.Ticker;
import dev.nines.internal.Validation;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.Outcome;
import dev.nines.metrics.PolicyKinds;
import dev.nines.retry.internal.RetryEngine;
import dev.nines.retry.internal.RetryRule;
import dev.nines.timeout.TimeoutExceededException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Predicate;

/**
 * Runs a call again when it fails in a way worth retrying.
 *
 * <p>Each attempt sees its number in {@link CallContext#attempt()}. After a retryable failure (by
 * default any {@link Exception}; see {@link Builder#retryOn}, {@link Builder#abortOn}) or a result
 * matching {@link Builder#retryIfResult}, the policy waits for the {@link Backoff} and tries again,
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
 * fails with {@link TimeoutExceededException} without a first attempt.
 * {@link InterruptedException} is never retried. Synchronous retries wait through the
 * {@link Sleeper}; asynchronous ones on the {@link Scheduler}, blocking no thread (cancelling the
 * returned stage stops them).
 *
 * <p>Defaults: 3 attempts, no time limit, exponential backoff from 100 ms doubling up to 10 s with
 * full jitter, no budget. Reports {@link PolicyKinds#RETRY} outcomes: {@link Outcome#RETRIED} per
 * retry, then {@link Outcome#SUCCESS} or {@link Outcome#FAILURE} for the call. A predicate
 * ({@code retryIf}, {@code abortIf}, {@code retryIfResult}) that throws ends the call with what it
 * threw, the attempt's own failure added as suppressed, in both forms. Immutable and thread-safe; a
 * call that succeeds at once allocates nothing and reads no clock unless a time limit
 * ({@code maxDuration}), a metrics sink, or a deadline in its context (checked before the first
 * attempt) needs one.
 */
public final class Retry implements Policy {

    private final String name;
    private final int maxAttempts;
    private final Duration maxDuration;
    private final Duration minAttemptTime;
    private final Backoff backoff;
    private final DoubleSupplier random;
    private final Class<?>[] retryOn;
    private final Class<?>[] abortOn;
    private final Predicate<? super Throwable> retryIf;
    private final Predicate<? super Throwable> abortIf;
    private final Predicate<Object> retryIfResult;
    private final RetryBudget budget;
    private final Ticker ticker;
    private final Sleeper sleeper;
    private final Scheduler scheduler;
    /** The sink the builder was given, {@code null} for the default: what {@link #toBuilder()} carries on. */
    private final MetricsSink configuredMetrics;
    /** The loop of attempts and the decision before each retry; called directly on every path. */
    private final RetryEngine engine;

    private Retry(Builder b) {
        this.name = b.name;
        this.maxAttempts = b.maxAttempts;
        this.maxDuration = b.maxDuration;
        this.minAttemptTime = b.minAttemptTime;
        this.backoff = b.backoff;
        this.random = b.random;
        this.retryOn = toArray(b.retryOn);
        this.abortOn = toArray(b.abortOn);
        this.retryIf = b.retryIf;
        this.abortIf = b.abortIf;
        this.retryIfResult = b.retryIfResult;
        this.budget = b.budget;
        this.ticker = b.ticker;
        this.sleeper = b.sleeper;
        this.scheduler = b.scheduler;
        this.configuredMetrics = b.metrics;
        this.engine = new RetryEngine(name, maxAttempts, Validation.nanos(maxDuration), Validation.nanos(minAttemptTime),
                backoff, random, new RetryRule(retryOn, abortOn, retryIf, abortIf, retryIfResult), budget, ticker,
                sleeper, scheduler, Metrics.resolve(b.metrics));
    }

    /** Starts a builder for a retry with the given name. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * A builder holding this policy's settings, to derive another one. What was never set stays
     * unset: without a {@code metrics} sink of its own, the derived policy takes
     * {@link Metrics#getDefault()} of its own {@code build()}.
     */
    public Builder toBuilder() {
        Builder b = new Builder(name).maxAttempts(maxAttempts).maxDuration(maxDuration)
                .minAttemptTime(minAttemptTime).backoff(backoff)
                .random(random).ticker(ticker).sleeper(sleeper).scheduler(scheduler);
        for (Class<?> type : retryOn) {
            b.retryOn.add(type.asSubclass(Throwable.class));
        }
        for (Class<?> type : abortOn) {
            b.abortOn.add(type.asSubclass(Throwable.class));
        }
        b.retryIf = retryIf;
        b.abortIf = abortIf;
        b.retryIfResult = retryIfResult;
        b.budget = budget;
        b.metrics = configuredMetrics; // unset stays unset: the default of the new build()
        return b;
    }

    @Override
    public String name() {
        return name;
    }

    /** The most attempts, the first included. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** No attempt starts this long after the first; zero means no limit. */
    public Duration maxDuration() {
        return maxDuration;
    }

    /** The least time before the deadline for an attempt to start. */
    public Duration minAttemptTime() {
        return minAttemptTime;
    }

    /** The wait before each retry. */
    public Backoff backoff() {
        return backoff;
    }

    /** The shared budget, or {@code null} when retries are not budgeted. */
    public RetryBudget budget() {
        return budget;
    }

    @Override
    public <T> T execute(CallContext context, Callable<T> call, Next next) throws Exception {
        return engine.execute(context, call, next);
    }

    @Override
    public <T> CompletionStage<T> executeAsync(CallContext context, AsyncCall<T> call, Next next) {
        return engine.executeAsync(context, call, next);
    }

    private static Class<?>[] toArray(List<Class<? extends Throwable>> types) {
        return types.toArray(new Class<?>[0]);
    }

    @Override
    public String toString() {
        return "Retry[" + name + ", maxAttempts=" + maxAttempts + ", " + backoff
                + (budget != null ? ", budget=" + budget.name() : "") + "]";
    }

    /**
     * Configures a {@link Retry}. {@link #build()} checks every setting and names each bad
     * field with its value; setters reject only {@code null}. Not thread-safe.
     */
    public static final class Builder {
        private final String name;
        private int maxAttempts = 3;
        private Duration maxDuration = Duration.ZERO;
        private Duration minAttemptTime = Duration.ZERO;
        private Backoff backoff = Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(10), Jitter.FULL);
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
        private final List<Class<? extends Throwable>> retryOn = new ArrayList<>();
        private final List<Class<? extends Throwable>> abortOn = new ArrayList<>();
        private Predicate<? super Throwable> retryIf;
        private Predicate<? super Throwable> abortIf;
        private Predicate<Object> retryIfResult;
        private RetryBudget budget;
        private Ticker ticker = Ticker.system();
        private Sleeper sleeper = Sleeper.system();
        private Scheduler scheduler = Scheduler.system();
        private MetricsSink metrics;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** The most attempts, the first included; at least 1 (1 never retries). Default 3. */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** No attempt starts this long after the first; zero (the default) means no limit. */
        public Builder maxDuration(Duration maxDuration) {
            this.maxDuration = Objects.requireNonNull(maxDuration, "maxDuration");
            return this;
        }

        /**
         * The least time an attempt needs: an attempt, the first included, starts only if more than
         * this remains before the context's deadline. Default zero: any time left will do.
         */
        public Builder minAttemptTime(Duration minAttemptTime) {
            this.minAttemptTime = Objects.requireNonNull(minAttemptTime, "minAttemptTime");
            return this;
        }

        /** The wait before each retry. Default: exponential from 100 ms, x2, up to 10 s, full jitter. */
        public Builder backoff(Backoff backoff) {
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /** Values uniform in [0, 1) for jitter; fix it in tests. Default {@link ThreadLocalRandom}. */
        public Builder random(DoubleSupplier random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** Retries failures of these types (and their subtypes). Replaces the default "any Exception". */
        @SafeVarargs
        public final Builder retryOn(Class<? extends Throwable>... types) {
            Objects.requireNonNull(types, "retryOn");
            for (Class<? extends Throwable> type : types) {
                retryOn.add(Objects.requireNonNull(type, "retryOn type"));
            }
            return this;
        }

        /** Retries failures matching {@code predicate}. Replaces the default "any Exception". */
        public Builder retryIf(Predicate<? super Throwable> predicate) {
            this.retryIf = Objects.requireNonNull(predicate, "retryIf");
            return this;
        }

        /** Never retries failures of these types, even if {@link #retryOn} matches. */
        @SafeVarargs
        public final Builder abortOn(Class<? extends Throwable>... types) {
            Objects.requireNonNull(types, "abortOn");
            for (Class<? extends Throwable> type : types) {
                abortOn.add(Objects.requireNonNull(type, "abortOn type"));
            }
            return this;
        }

        /** Never retries failures matching {@code predicate}, even if {@link #retryOn} matches. */
        public Builder abortIf(Predicate<? super Throwable> predicate) {
            this.abortIf = Objects.requireNonNull(predicate, "abortIf");
            return this;
        }

        /**
         * Retries successful results matching {@code predicate}, such as a response with status 503.
         * When the retry gives up, the last result is returned.
         */
        public Builder retryIfResult(Predicate<Object> predicate) {
            this.retryIfResult = Objects.requireNonNull(predicate, "retryIfResult");
            return this;
        }

        /** Shares a budget with every other retry given the same one. Default: none. */
        public Builder budget(RetryBudget budget) {
            this.budget = Objects.requireNonNull(budget, "budget");
            return this;
        }

        /** Measures {@code maxDuration}, deadlines and call times. Default {@link Ticker#system()}. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** Waits between synchronous attempts. Default {@link Sleeper#system()}. */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** Waits between asynchronous attempts. Default {@link Scheduler#system()}. */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Where outcomes go. Default {@link Metrics#getDefault()}. */
        public Builder metrics(MetricsSink metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /**
         * Builds the policy.
         *
         * @throws IllegalArgumentException naming every invalid setting and its value
         */
        public Retry build() {
            new Validation().name(name)
                    .atLeast("maxAttempts", maxAttempts, 1)
                    .nonNegative("maxDuration", maxDuration)
                    .nonNegative("minAttemptTime", minAttemptTime)
                    .throwIfInvalid();
            return new Retry(this);
        }
    }
}
