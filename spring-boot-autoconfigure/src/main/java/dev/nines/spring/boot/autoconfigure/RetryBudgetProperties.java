package dev.nines.spring.boot.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code nines.retry-budget.*} configuration: retry budgets, as {@code defaults} and per-name
 * {@code instances}. Each instance is the defaults overridden by its own entries, built at startup
 * and registered in the application's {@link dev.nines.annotation.PolicyRegistry} under its name.
 * A key that is not listed here fails the startup. Unset values keep the builder's default. Not
 * thread-safe: bound once by Spring, then only read.
 */
@ConfigurationProperties(prefix = "nines.retry-budget", ignoreUnknownFields = false)
public class RetryBudgetProperties {

    /** Settings every instance starts from. */
    private RetryBudgetSettings defaults = new RetryBudgetSettings();

    /**
     * The instances by name; a name with dots must be written in brackets:
     * {@code "[PaymentClient.charge]"}.
     */
    private Map<String, RetryBudgetSettings> instances = new LinkedHashMap<>();

    /** Created by Spring's binder. */
    public RetryBudgetProperties() {
    }

    /** @return the settings every instance starts from */
    public RetryBudgetSettings getDefaults() {
        return defaults;
    }

    /** @param defaults the settings every instance starts from */
    public void setDefaults(RetryBudgetSettings defaults) {
        this.defaults = defaults;
    }

    /** @return the instances by name */
    public Map<String, RetryBudgetSettings> getInstances() {
        return instances;
    }

    /** @param instances the instances by name */
    public void setInstances(Map<String, RetryBudgetSettings> instances) {
        this.instances = instances;
    }

    /** The settings of one retry budget; {@code null} means unset. Not thread-safe. */
    public static class RetryBudgetSettings {

        /** The share of first attempts retries may add, a ratio from 0 to 1000 (0.1 adds at most 10%). Default 0.1. */
        private Double retryRatio;

        /** Retries allowed per second regardless of traffic, 0 to 1,000,000,000. Default 10. */
        private Integer minRetriesPerSecond;

        /** The most retries deposits can save up, 1 to 1,000,000: the largest burst. Default 100. */
        private Integer maxSavedRetries;

        /** Created by Spring's binder. */
        public RetryBudgetSettings() {
        }

        /** @return the retry-ratio setting */
        public Double getRetryRatio() {
            return retryRatio;
        }

        /** @param retryRatio the retry-ratio setting */
        public void setRetryRatio(Double retryRatio) {
            this.retryRatio = retryRatio;
        }

        /** @return the min-retries-per-second setting */
        public Integer getMinRetriesPerSecond() {
            return minRetriesPerSecond;
        }

        /** @param minRetriesPerSecond the min-retries-per-second setting */
        public void setMinRetriesPerSecond(Integer minRetriesPerSecond) {
            this.minRetriesPerSecond = minRetriesPerSecond;
        }

        /** @return the max-saved-retries setting */
        public Integer getMaxSavedRetries() {
            return maxSavedRetries;
        }

        /** @param maxSavedRetries the max-saved-retries setting */
        public void setMaxSavedRetries(Integer maxSavedRetries) {
            this.maxSavedRetries = maxSavedRetries;
        }

    }
}
