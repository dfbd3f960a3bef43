package dev.nines.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code nines.adaptive-throttle.*} configuration: adaptive client-side throttles, as {@code defaults} and per-name
 * {@code instances}. Each instance is the defaults overridden by its own entries, built at startup
 * and registered in the application's {@link dev.nines.annotation.PolicyRegistry} under its name.
 * A key that is not listed here fails the startup. Unset values keep the builder's default. Not
 * thread-safe: bound once by Spring, then only read.
 */
@ConfigurationProperties(prefix = "nines.adaptive-throttle", ignoreUnknownFields = false)
public class AdaptiveThrottleProperties {

    /** Settings every instance starts from. */
    private AdaptiveThrottleSettings defaults = new AdaptiveThrottleSettings();

    /**
     * The instances by name; a name with dots must be written in brackets:
     * {@code "[PaymentClient.charge]"}.
     */
    private Map<String, AdaptiveThrottleSettings> instances = new LinkedHashMap<>();

    /** Created by Spring's binder. */
    public AdaptiveThrottleProperties() {
    }

    /** @return the settings every instance starts from */
    public AdaptiveThrottleSettings getDefaults() {
        return defaults;
    }

    /** @param defaults the settings every instance starts from */
    public void setDefaults(AdaptiveThrottleSettings defaults) {
        this.defaults = defaults;
    }

    /** @return the instances by name */
    public Map<String, AdaptiveThrottleSettings> getInstances() {
        return instances;
    }

    /** @param instances the instances by name */
    public void setInstances(Map<String, AdaptiveThrottleSettings> instances) {
        this.instances = instances;
    }

    /** The settings of one instance; {@code null} means unset. Not thread-safe. */
    public static class AdaptiveThrottleSettings {

        /** The multiplier K: larger is more lenient. At least 1; default 2. */
        private Double k;

        /** The highest local reject probability, a fraction in (0, 1]; default 1 (the formula alone). */
        private Double maxRejectProbability;

        /** The sliding window; default 2m. Recovery after an outage scales with it. */
        private Duration window;

        /** The buckets the window is kept in; default 20. */
        private Integer buckets;

        /** Created by Spring's binder. */
        public AdaptiveThrottleSettings() {
        }

        /** @return the k setting */
        public Double getK() {
            return k;
        }

        /** @param k the k setting */
        public void setK(Double k) {
            this.k = k;
        }

        /** @return the max-reject-probability setting */
        public Double getMaxRejectProbability() {
            return maxRejectProbability;
        }

        /** @param maxRejectProbability the max-reject-probability setting */
        public void setMaxRejectProbability(Double maxRejectProbability) {
            this.maxRejectProbability = maxRejectProbability;
        }

        /** @return the window setting */
        public Duration getWindow() {
            return window;
        }

        /** @param window the window setting */
        public void setWindow(Duration window) {
            this.window = window;
        }

        /** @return the buckets setting */
        public Integer getBuckets() {
            return buckets;
        }

        /** @param buckets the buckets setting */
        public void setBuckets(Integer buckets) {
            this.buckets = buckets;
        }
    }
}
