package dev.nines.retry;

import dev.nines.AsyncCall;
import dev.nines.CallContext;
import dev.nines.Next;
import dev.nines.Policy;
import dev.nines.Reconfigurable;
import dev.nines.internal.BuildRecorder;
import dev.nines.internal.Reconfiguration;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.Outcome;
import dev.nines.metrics.PolicyKinds;
import dev.nines.retry.internal.FloorBucket;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

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
 * for each retry it refuses. Every setting is readable on {@link #config()}. Thread-safe.
 *
 * <p>{@link #reconfigure} changes the ratio, the floor and the most saved retries for what comes
 * after, keeping the retries saved and the floor's tokens (see there).
 */
public final class RetryBudget implements Policy, Reconfigurable<RetryBudgetConfig> {

    /** Gauge: whole retries saved from deposits (the floor not included). */
    public static final String GAUGE_AVAILABLE = "available_retries";

    /** Fixed-point units per retry, so a ratio of 0.1 deposits exactly 100_000 units. */
    private static final long UNIT = 1_000_000L;

    private final String name;
    private final MetricsSink metrics;
    private final AtomicLong balance = new AtomicLong();
    private final ReentrantLock reconfiguring = new ReentrantLock(); // reconfigure only, never a call
    /** The settings in force: one volatile read per call, swapped whole by {@link #reconfigure}. */
    private volatile Settings settings;

    /** One configuration's derived values; the floor bucket is carried over, converted, by a change. */
    private record Settings(RetryBudgetConfig config, long depositUnits, long capUnits, FloorBucket floor) {
        static Settings of(RetryBudgetConfig c, FloorBucket floor) {
            return new Settings(c, Math.round(c.retryRatio * UNIT), c.maxSavedRetries * UNIT, floor);
        }
    }

    RetryBudget(RetryBudgetConfig c) {
        this.name = c.name();
        this.metrics = c.metrics();
        this.settings = Settings.of(c, c.minRetriesPerSecond == 0 ? null
                : new FloorBucket(c.minRetriesPerSecond, c.ticker().read()));
        BuildRecorder.record("RetryBudget", name, violations -> {
            long units = balance.get();
            Settings s = settings;
            if (units < 0 || units > s.capUnits) {
                violations.accept("saved retries must stay within [0, " + s.config.maxSavedRetries + "] but were "
                        + units / (double) UNIT);
            }
        });
    }

    RetryBudget registerGauges() {
        metrics.registerGauge(name, PolicyKinds.RETRY, GAUGE_AVAILABLE, this::savedRetries);
        return this;
    }

    /** Starts a builder for a budget with the given name. */
    public static RetryBudgetBuilder builder(String name) {
        return new RetryBudgetBuilder(name);
    }

    /**
     * A builder holding this budget's settings, to derive another (empty) one. What was never set
     * stays unset: without a {@code metrics} sink of its own, the derived budget takes
     * {@link Metrics#getDefault()}, the forwarding default.
     */
    public RetryBudgetBuilder toBuilder() {
        return new RetryBudgetBuilder(settings.config);
    }

    /** The settings in force: those built with, or the last ones given to {@link #reconfigure}. */
    @Override
    public RetryBudgetConfig config() {
        return settings.config;
    }

    /**
     * Takes {@code config}'s {@code retryRatio}, {@code minRetriesPerSecond} and
     * {@code maxSavedRetries} for the attempts that come after. The retries saved are kept (capped at
     * a lowered {@code maxSavedRetries}); the floor keeps the tokens it holds, capped at the new
     * second's worth, and refills at the new rate; a floor of 0 drops them, and a floor set again
     * starts full. A retry racing with the change may be refused by the floor it read, never granted
     * twice. The name, ticker and metrics sink cannot change. The counters the sink keeps are the
     * sink's and go on.
     *
     * @throws IllegalArgumentException naming what was refused; the current settings stay
     */
    @Override
    public void reconfigure(RetryBudgetConfig config) {
        Objects.requireNonNull(config, "config");
        reconfiguring.lock();
        try {
            Settings current = settings;
            Reconfiguration.of(current.config.wiring, config.wiring).throwIfRefused();
            long now = config.ticker().read();
            FloorBucket floor = config.minRetriesPerSecond == 0 ? null
                    : current.floor == null ? new FloorBucket(config.minRetriesPerSecond, now)
                    : current.floor.convert(config.minRetriesPerSecond, now);
            if (floor == null && current.floor != null) {
                current.floor.convert(1, now); // retired: a retry racing with the change finds it closed
            }
            Settings next = Settings.of(config, floor);
            settings = next;
            long seen = balance.get();
            while (seen > next.capUnits && !balance.compareAndSet(seen, next.capUnits)) {
                seen = balance.get(); // a lowered cap: what lies above it is dropped, withdrawals may race
            }
        } finally {
            reconfiguring.unlock();
            registerGauges(); // a budget built for a config registered its own gauge under this name: take it back
        }
        Reconfiguration.report(metrics, name);
    }

    @Override
    public String name() {
        return name;
    }

    /** The share of first attempts that retries may add: {@link RetryBudgetConfig#retryRatio()}. */
    public double retryRatio() {
        return settings.config.retryRatio;
    }

    /** Retries allowed per second regardless of traffic: {@link RetryBudgetConfig#minRetriesPerSecond()}. */
    public int minRetriesPerSecond() {
        return settings.config.minRetriesPerSecond;
    }

    /** The most retries deposits can save up: {@link RetryBudgetConfig#maxSavedRetries()}. */
    public int maxSavedRetries() {
        return settings.config.maxSavedRetries;
    }

    /** Records a first attempt, depositing {@code retryRatio} of a retry. Called by retry policies. */
    public void recordFirstAttempt() {
        Settings s = settings;
        long cap = s.capUnits;
        long seen = balance.get();
        while (seen < cap) {
            if (balance.compareAndSet(seen, Math.min(cap, seen + s.depositUnits))) {
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
        Settings s = settings;
        if (s.floor != null && s.floor.tryTake(s.config.ticker().read())) {
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
        RetryBudgetConfig config = settings.config;
        return "RetryBudget[" + name + ", ratio=" + config.retryRatio + ", floor=" + config.minRetriesPerSecond
                + "/s, saved=" + availableRetries() + "]";
    }
}
