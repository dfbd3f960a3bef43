package dev.nines.retry;

import dev.nines.Ticker;
import dev.nines.internal.PolicyWiring;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.MetricsSink;

/**
 * The validated, immutable settings of one {@link RetryBudget}, made by
 * {@link RetryBudgetBuilder#build()} and returned by {@link RetryBudget#config()}. Every default is
 * readable here and stated on its getter. Derive changed settings with
 * {@link RetryBudget#toBuilder()}. Immutable and thread-safe.
 */
public final class RetryBudgetConfig {

    /** Name, ticker and sink, as resolved and as configured (for toBuilder()). */
    final PolicyWiring wiring;
    final double retryRatio;
    final int minRetriesPerSecond;
    final int maxSavedRetries;

    RetryBudgetConfig(RetryBudgetBuilder b, PolicyWiring wiring) {
        this.wiring = wiring;
        this.retryRatio = b.retryRatio;
        this.minRetriesPerSecond = b.minRetriesPerSecond;
        this.maxSavedRetries = b.maxSavedRetries;
    }

    /** The budget's name, used by metrics and the registry ({@code @WithRetry(budget = ...)}). */
    public String name() {
        return wiring.name();
    }

    /** The share of first attempts that retries may add, a ratio in [0, 1000]: 0.1 is 10%. Default 0.1. */
    public double retryRatio() {
        return retryRatio;
    }

    /** Retries allowed per second regardless of traffic. Default 10. */
    public int minRetriesPerSecond() {
        return minRetriesPerSecond;
    }

    /** The most retries deposits can save up: the largest burst. Default 100. */
    public int maxSavedRetries() {
        return maxSavedRetries;
    }

    /** Refills the per-second floor. Default {@link Ticker#system()}. */
    public Ticker ticker() {
        return wiring.ticker();
    }

    /**
     * The sink the budget reports to (guarded): the one set, else {@link Metrics#getDefault()},
     * which forwards to the current default.
     */
    public MetricsSink metrics() {
        return wiring.metrics();
    }

    @Override
    public String toString() {
        return "RetryBudgetConfig[name=" + name() + ", retryRatio=" + retryRatio + ", minRetriesPerSecond="
                + minRetriesPerSecond + ", maxSavedRetries=" + maxSavedRetries + "]";
    }
}
