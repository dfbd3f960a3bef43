package dev.nines.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code nines.bulkhead.*} configuration: semaphore bulkheads, as {@code defaults} and per-name
 * {@code instances}. Each instance is the defaults overridden by its own entries, built at startup
 * and registered in the application's {@link dev.nines.annotation.PolicyRegistry} under its name.
 * A key that is not listed here fails the startup. Unset values keep the builder's default. Not
 * thread-safe: bound once by Spring, then only read.
 */
@ConfigurationProperties(prefix = "nines.bulkhead", ignoreUnknownFields = false)
public class BulkheadProperties {

    /** Settings every instance starts from. */
    private BulkheadSettings defaults = new BulkheadSettings();

    /**
     * The instances by name; a name with dots must be written in brackets:
     * {@code "[PaymentClient.charge]"}.
     */
    private Map<String, BulkheadSettings> instances = new LinkedHashMap<>();

    /** Created by Spring's binder. */
    public BulkheadProperties() {
    }

    /** @return the settings every instance starts from */
    public BulkheadSettings getDefaults() {
        return defaults;
    }

    /** @param defaults the settings every instance starts from */
    public void setDefaults(BulkheadSettings defaults) {
        this.defaults = defaults;
    }

    /** @return the instances by name */
    public Map<String, BulkheadSettings> getInstances() {
        return instances;
    }

    /** @param instances the instances by name */
    public void setInstances(Map<String, BulkheadSettings> instances) {
        this.instances = instances;
    }

    /** The settings of one semaphore bulkhead; {@code null} means unset. Not thread-safe. */
    public static class BulkheadSettings {

        /** The most calls that run at once, at least 1. Default 25. */
        private Integer maxConcurrent;

        /** How long a call waits for a permit; 0 (the default) means it does not wait. */
        private Duration maxWait;

        /** Created by Spring's binder. */
        public BulkheadSettings() {
        }

        /** @return the max-concurrent setting */
        public Integer getMaxConcurrent() {
            return maxConcurrent;
        }

        /** @param maxConcurrent the max-concurrent setting */
        public void setMaxConcurrent(Integer maxConcurrent) {
            this.maxConcurrent = maxConcurrent;
        }

        /** @return the max-wait setting */
        public Duration getMaxWait() {
            return maxWait;
        }

        /** @param maxWait the max-wait setting */
        public void setMaxWait(Duration maxWait) {
            this.maxWait = maxWait;
        }

    }
}
