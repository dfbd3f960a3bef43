package dev.nines.retry;

import dev.nines.Ticker;
import dev.nines.internal.PolicyBuilder;

/**
 * Configures a {@link RetryBudget}: setters only store (rejecting {@code null} at once), and
 * {@link #build()} checks every setting and names each bad field with its value, all of them in
 * one {@link IllegalArgumentException}: {@code maxSavedRetries must be in [1, 1000000] but was 0}.
 *
 * <p>Its name, {@link #ticker(Ticker) ticker} and {@link #metrics(dev.nines.metrics.MetricsSink)
 * metrics} sink are kept as every nines builder keeps them: what was never set stays unset, also on
 * a {@link RetryBudget#toBuilder()} copy, and resolves to its default at each {@code build()}.
 * Every default is readable on {@link RetryBudgetConfig}.
 *
 * <p>Not thread-safe; the budget it builds is.
 */
@SuppressWarnings("exports") // the shared base is internal; its public setters are this builder's API
public final class RetryBudgetBuilder extends PolicyBuilder<RetryBudgetBuilder> {

    /** The most floor retries per second: above it the floor's interval would round to 0 ns, unlimited. */
    static final int MAX_FLOOR = 1_000_000_000;

    double retryRatio = 0.1;
    int minRetriesPerSecond = 10;
    int maxSavedRetries = 100;

    RetryBudgetBuilder(String name) {
        super(name);
    }

    RetryBudgetBuilder(RetryBudgetConfig c) {
        super(c.wiring);
        retryRatio = c.retryRatio;
        minRetriesPerSecond = c.minRetriesPerSecond;
        maxSavedRetries = c.maxSavedRetries;
    }

    /**
     * The share of first attempts retries may add, a ratio from 0 to 1000: 0.1 means retries may add
     * 10% to the first attempts, 2.0 that they may double them twice over. Default 0.1.
     */
    public RetryBudgetBuilder retryRatio(double retryRatio) {
        this.retryRatio = retryRatio;
        return this;
    }

    /** Retries allowed per second regardless of traffic, 0 to 1,000,000,000. Default 10. */
    public RetryBudgetBuilder minRetriesPerSecond(int minRetriesPerSecond) {
        this.minRetriesPerSecond = minRetriesPerSecond;
        return this;
    }

    /** The most retries deposits can save up, 1 to 1,000,000: the largest burst. Default 100. */
    public RetryBudgetBuilder maxSavedRetries(int maxSavedRetries) {
        this.maxSavedRetries = maxSavedRetries;
        return this;
    }

    /**
     * Builds the budget, starting with no deposits and a full floor.
     *
     * @throws IllegalArgumentException naming every invalid setting and its value
     */
    public RetryBudget build() {
        validation()
                .check(retryRatio >= 0.0 && retryRatio <= 1000.0, "retryRatio", "in [0.0, 1000.0]", retryRatio)
                .atLeast("minRetriesPerSecond", minRetriesPerSecond, 0)
                .check(minRetriesPerSecond <= MAX_FLOOR, "minRetriesPerSecond", "<= " + MAX_FLOOR
                        + " (one per nanosecond)", minRetriesPerSecond)
                .between("maxSavedRetries", maxSavedRetries, 1, 1_000_000)
                .throwIfInvalid();
        return new RetryBudget(new RetryBudgetConfig(this, wiring())).registerGauges();
    }
}
