package dev.nines.retry;

import dev.nines.AsyncCall;
import dev.nines.CallContext;
import dev.nines.Next;
import dev.nines.Policy;
import dev.nines.Ticker;
import dev.nines.internal.Validation;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.Outcome;
import dev.nines.metrics.PolicyKinds;
import dev.nines.retry.internal.FloorBucket;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Caps the extra load retries put on a dependency: retries may add at most {@code retryRatio}
 * of the first attempts, plus {@code minRetriesPerSecond} so that a quiet service can still retry.
 * Every {@link Retry} given the same budget shares it. When the budget is spent, a retry
 * policy gives up at once and the failure goes straight to its caller: this is what keeps a
 * struggling dependency from receiving three times its load.
 *
 * <p>Accounting: each first attempt deposits {@code retryRatio} of a retry, up to
 * {@code maxSavedRetries}; each retry withdraws one whole retry, from the deposits first and from
 * the per-second floor (a bucket of {@code minRetriesPerSecond}, refilled continuously on the
 * ticker) second. So over any period, retries granted &lt;= retryRatio × first attempts +
 * minRetriesPerSecond × (seconds + 1). Lock-free: one compare-and-set per deposit until the
 * budget is full, then a read only.
 *
 * <p>A budget is also a {@link Policy} only so that a {@link dev.nines.annotation.PolicyRegistry}
 * can share it by name ({@code @WithRetry(budget = "payments")}); placed in a pipeline it passes calls
 * through unchanged. Defaults: ratio 0.1, floor 10 per second, 100 saved retries. Reports the gauge
 * {@value #GAUGE_AVAILABLE} and a {@link Outcome#REJECTED} outcome (kind {@link PolicyKinds#RETRY})
 * for each retry it refuses. Thread-safe.
 */
public final class RetryBudget implements Policy {

    /** Gauge: whole retries saved from deposits (the floor not included). */
    public static final String GAUGE_AVAILABLE = "available_retries";

    /** The most floor retries per second: above it the floor's interval would round to 0 ns, unlimited. */
    private static final int MAX_FLOOR = 1_000_000_000;

    /** Fixed-point units per retry, so a ratio of 0.1 deposits exactly 100_000 units. */
    private static final long UNIT = 1_000_000L;

    private final String name;
    private final double retryRatio;
    private final int minRetriesPerSecond;
    private final int maxSavedRetries;
    private final Ticker ticker;
    private final MetricsSink metrics;
    /** The sink the builder was given, {@code null} for the default: what {@link #toBuilder()} carries on. */
    private final MetricsSink configuredMetrics;
    private final long depositUnits;
    private final long capUnits;
    private final AtomicLong balance = new AtomicLong();
    private final FloorBucket floor;

    private RetryBudget(Builder b) {
        this.name = b.name;
        this.retryRatio = b.retryRatio;
        this.minRetriesPerSecond = b.minRetriesPerSecond;
        this.maxSavedRetries = b.maxSavedRetries;
        this.ticker = b.ticker;
        this.metrics = Metrics.resolve(b.metrics);
        this.configuredMetrics = b.metrics;
        this.depositUnits = Math.round(retryRatio * UNIT);
        this.capUnits = maxSavedRetries * UNIT;
        this.floor = minRetriesPerSecond == 0 ? null : new FloorBucket(minRetriesPerSecond, ticker.read());
    }

    private RetryBudget registerGauges() {
        metrics.registerGauge(name, PolicyKinds.RETRY, GAUGE_AVAILABLE, this::savedRetries);
        return this;
    }

    /** Starts a builder for a budget with the given name. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * A builder holding this budget's settings, to derive another (empty) one. What was never set
     * stays unset: without a {@code metrics} sink of its own, the derived budget takes
     * {@link Metrics#getDefault()} of its own {@code build()}.
     */
    public Builder toBuilder() {
        Builder b = new Builder(name).retryRatio(retryRatio).minRetriesPerSecond(minRetriesPerSecond)
                .maxSavedRetries(maxSavedRetries).ticker(ticker);
        b.metrics = configuredMetrics; // unset stays unset: the default of the new build()
        return b;
    }

    @Override
    public String name() {
        return name;
    }

    /** The share of first attempts that retries may add. */
    public double retryRatio() {
        return retryRatio;
    }

    /** Retries allowed per second regardless of traffic. */
    public int minRetriesPerSecond() {
        return minRetriesPerSecond;
    }

    /** The most retries deposits can save up. */
    public int maxSavedRetries() {
        return maxSavedRetries;
    }

    /** Records a first attempt, depositing {@code retryRatio} of a retry. Called by retry policies. */
    public void recordFirstAttempt() {
        long seen = balance.get();
        while (seen < capUnits) {
            if (balance.compareAndSet(seen, Math.min(capUnits, seen + depositUnits))) {
                return;
            }
            seen = balance.get();
        }
    }

    /**
     * Withdraws one retry if the budget allows it. Reads the ticker only when the deposits are
     * spent and the floor must decide.
     */
    public boolean tryAcquireRetry() {
        long seen = balance.get();
        while (seen >= UNIT) {
            if (balance.compareAndSet(seen, seen - UNIT)) {
                return true;
            }
            seen = balance.get();
        }
        if (floor != null && floor.tryTake(ticker.read())) {
            return true;
        }
        metrics.onOutcome(name, PolicyKinds.RETRY, Outcome.REJECTED, 0);
        return false;
    }

    /** Retries saved from deposits, fractional (the floor not included). */
    public double availableRetries() {
        return balance.get() / (double) UNIT;
    }

    private long savedRetries() {
        return balance.get() / UNIT;
    }

    /** Passes the call through: a budget is a policy only so a registry can share it by name. */
    @Override
    public <T> T execute(CallContext context, Callable<T> call, Next next) throws Exception {
        return next.call(context, call);
    }

    /** Passes the call through: a budget is a policy only so a registry can share it by name. */
    @Override
    public <T> CompletionStage<T> executeAsync(CallContext context, AsyncCall<T> call, Next next) {
        return next.callAsync(context, call);
    }

    @Override
    public String toString() {
        return "RetryBudget[" + name + ", ratio=" + retryRatio + ", floor=" + minRetriesPerSecond + "/s, saved="
                + availableRetries() + "]";
    }

    /**
     * Configures a {@link RetryBudget}. {@link #build()} checks every setting and names each bad
     * field with its value; setters reject only {@code null}. Not thread-safe.
     */
    public static final class Builder {
        private final String name;
        private double retryRatio = 0.1;
        private int minRetriesPerSecond = 10;
        private int maxSavedRetries = 100;
        private Ticker ticker = Ticker.system();
        private MetricsSink metrics;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** The share of first attempts retries may add, 0 to 1000; 0.1 means 10%. Default 0.1. */
        public Builder retryRatio(double retryRatio) {
            this.retryRatio = retryRatio;
            return this;
        }

        /** Retries allowed per second regardless of traffic, 0 to 1,000,000,000. Default 10. */
        public Builder minRetriesPerSecond(int minRetriesPerSecond) {
            this.minRetriesPerSecond = minRetriesPerSecond;
            return this;
        }

        /** The most retries deposits can save up, 1 to 1,000,000: the largest burst. Default 100. */
        public Builder maxSavedRetries(int maxSavedRetries) {
            this.maxSavedRetries = maxSavedRetries;
            return this;
        }

        /** Refills the per-second floor. Default {@link Ticker#system()}. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** Where the gauge and refusals go. Default {@link Metrics#getDefault()}. */
        public Builder metrics(MetricsSink metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /**
         * Builds the budget, starting with no deposits and a full floor.
         *
         * @throws IllegalArgumentException naming every invalid setting and its value
         */
        public RetryBudget build() {
            new Validation().name(name)
                    .check(retryRatio >= 0.0 && retryRatio <= 1000.0, "retryRatio", "in [0.0, 1000.0]", retryRatio)
                    .atLeast("minRetriesPerSecond", minRetriesPerSecond, 0)
                    .check(minRetriesPerSecond <= MAX_FLOOR, "minRetriesPerSecond", "<= " + MAX_FLOOR
                            + " (one per nanosecond)", minRetriesPerSecond)
                    .between("maxSavedRetries", maxSavedRetries, 1, 1_000_000)
                    .throwIfInvalid();
            return new RetryBudget(this).registerGauges();
        }
    }
}
