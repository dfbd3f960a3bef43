package dev.nines.spring.boot.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code nines.keyed-rate-limiter.*} configuration: keyed rate limiters (one bucket per key, such as a client), as {@code defaults} and per-name
 * {@code instances}. Each instance is the defaults overridden by its own entries, built at startup
 * and registered in the application's {@link dev.nines.annotation.PolicyRegistry} under its name.
 * A key that is not listed here fails the startup. Unset values keep the builder's default. Not
 * thread-safe: bound once by Spring, then only read.
 */
@ConfigurationProperties(prefix = "nines.keyed-rate-limiter", ignoreUnknownFields = false)
public class KeyedRateLimiterProperties {

    /** Settings every instance starts from. */
    private KeyedRateLimiterSettings defaults = new KeyedRateLimiterSettings();

    /**
     * The instances by name; a name with dots must be written in brackets:
     * {@code "[PaymentClient.charge]"}.
     */
    private Map<String, KeyedRateLimiterSettings> instances = new LinkedHashMap<>();

    /** Created by Spring's binder. */
    public KeyedRateLimiterProperties() {
    }

    /** @return the settings every instance starts from */
    public KeyedRateLimiterSettings getDefaults() {
        return defaults;
    }

    /** @param defaults the settings every instance starts from */
    public void setDefaults(KeyedRateLimiterSettings defaults) {
        this.defaults = defaults;
    }

    /** @return the instances by name */
    public Map<String, KeyedRateLimiterSettings> getInstances() {
        return instances;
    }

    /** @param instances the instances by name */
    public void setInstances(Map<String, KeyedRateLimiterSettings> instances) {
        this.instances = instances;
    }

    /** The settings of one keyed rate limiters; {@code null} means unset. Not thread-safe. */
    public static class KeyedRateLimiterSettings {

        /** The rate per key: permits per period, "100/1s", "100/s", "6000/1m". */
        private String limit;

        /** Each key's bucket capacity. Default: the rate's permits. */
        private Long burst;

        /** The most keys held at once; the least recently used go first. */
        private Long maxKeys;

        /** Created by Spring's binder. */
        public KeyedRateLimiterSettings() {
        }

        /** @return the limit setting */
        public String getLimit() {
            return limit;
        }

        /** @param limit the limit setting */
        public void setLimit(String limit) {
            this.limit = limit;
        }

        /** @return the burst setting */
        public Long getBurst() {
            return burst;
        }

        /** @param burst the burst setting */
        public void setBurst(Long burst) {
            this.burst = burst;
        }

        /** @return the max-keys setting */
        public Long getMaxKeys() {
            return maxKeys;
        }

        /** @param maxKeys the max-keys setting */
        public void setMaxKeys(Long maxKeys) {
            this.maxKeys = maxKeys;
        }

    }
}
