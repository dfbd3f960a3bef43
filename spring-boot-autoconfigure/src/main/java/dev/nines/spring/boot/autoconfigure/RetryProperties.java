package dev.nines.spring.boot.autoconfigure;

import dev.nines.retry.Jitter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code nines.retry.*} configuration: retries, as {@code defaults} and per-name
 * {@code instances}. Each instance is the defaults overridden by its own entries, built at startup
 * and registered in the application's {@link dev.nines.annotation.PolicyRegistry} under its name.
 * A key that is not listed here fails the startup. Unset values keep the builder's default. Not
 * thread-safe: bound once by Spring, then only read.
 */
@ConfigurationProperties(prefix = "nines.retry", ignoreUnknownFields = false)
public class RetryProperties {

    /** Settings every instance starts from. */
    private RetrySettings defaults = new RetrySettings();

    /**
     * The instances by name; a name with dots must be written in brackets:
     * {@code "[PaymentClient.charge]"}.
     */
    private Map<String, RetrySettings> instances = new LinkedHashMap<>();

    /** Created by Spring's binder. */
    public RetryProperties() {
    }

    /** @return the settings every instance starts from */
    public RetrySettings getDefaults() {
        return defaults;
    }

    /** @param defaults the settings every instance starts from */
    public void setDefaults(RetrySettings defaults) {
        this.defaults = defaults;
    }

    /** @return the instances by name */
    public Map<String, RetrySettings> getInstances() {
        return instances;
    }

    /** @param instances the instances by name */
    public void setInstances(Map<String, RetrySettings> instances) {
        this.instances = instances;
    }

    /** The settings of one instance; {@code null} means unset. Not thread-safe. */
    public static class RetrySettings {

        /** The most attempts, the first included; at least 1 (1 never retries). Default 3. */
        private Integer maxAttempts;

        /** No attempt starts this long after the first; 0 (the default) means no limit. */
        private Duration maxDuration;

        /** An attempt starts only if at least this remains before the call context's deadline. Default 0. */
        private Duration minAttemptTime;

        /** The wait before each retry. Default: exponential from 100ms, x2, up to 10s, full jitter. */
        private BackoffSettings backoff = new BackoffSettings();

        /** The name of a retry budget from nines.retry-budget.instances that this retry draws from; shared with every retry naming it. Default: none. */
        private String budget;

        /** Created by Spring's binder. */
        public RetrySettings() {
        }

        /** @return the max-attempts setting */
        public Integer getMaxAttempts() {
            return maxAttempts;
        }

        /** @param maxAttempts the max-attempts setting */
        public void setMaxAttempts(Integer maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        /** @return the max-duration setting */
        public Duration getMaxDuration() {
            return maxDuration;
        }

        /** @param maxDuration the max-duration setting */
        public void setMaxDuration(Duration maxDuration) {
            this.maxDuration = maxDuration;
        }

        /** @return the min-attempt-time setting */
        public Duration getMinAttemptTime() {
            return minAttemptTime;
        }

        /** @param minAttemptTime the min-attempt-time setting */
        public void setMinAttemptTime(Duration minAttemptTime) {
            this.minAttemptTime = minAttemptTime;
        }

        /** @return the backoff setting */
        public BackoffSettings getBackoff() {
            return backoff;
        }

        /** @param backoff the backoff setting */
        public void setBackoff(BackoffSettings backoff) {
            this.backoff = backoff;
        }

        /** @return the budget setting */
        public String getBudget() {
            return budget;
        }

        /** @param budget the budget setting */
        public void setBudget(String budget) {
            this.budget = budget;
        }
    }

    /** A backoff; {@code null} means unset. Not thread-safe. */
    public static class BackoffSettings {

        /** The schedule: none, fixed (delay) or exponential (delay, multiplier, max). Default exponential. */
        private BackoffType type;

        /** The fixed delay, or the first delay of an exponential backoff. */
        private Duration delay;

        /** How much each exponential delay grows, at least 1. */
        private Double multiplier;

        /** The longest exponential delay. */
        private Duration max;

        /** How delays are spread at random: none, full, equal or decorrelated. Default full. */
        private Jitter jitter;

        /** Created by Spring's binder. */
        public BackoffSettings() {
        }

        /** @return the type setting */
        public BackoffType getType() {
            return type;
        }

        /** @param type the type setting */
        public void setType(BackoffType type) {
            this.type = type;
        }

        /** @return the delay setting */
        public Duration getDelay() {
            return delay;
        }

        /** @param delay the delay setting */
        public void setDelay(Duration delay) {
            this.delay = delay;
        }

        /** @return the multiplier setting */
        public Double getMultiplier() {
            return multiplier;
        }

        /** @param multiplier the multiplier setting */
        public void setMultiplier(Double multiplier) {
            this.multiplier = multiplier;
        }

        /** @return the max setting */
        public Duration getMax() {
            return max;
        }

        /** @param max the max setting */
        public void setMax(Duration max) {
            this.max = max;
        }

        /** @return the jitter setting */
        public Jitter getJitter() {
            return jitter;
        }

        /** @param jitter the jitter setting */
        public void setJitter(Jitter jitter) {
            this.jitter = jitter;
        }
    }

    /** The schedules of {@link BackoffSettings#getType()}. */
    public enum BackoffType {
        /** Retries at once. */
        NONE,
        /** The same delay before every retry. */
        FIXED,
        /** Delays growing by a multiplier up to a maximum. */
        EXPONENTIAL
    }
}
