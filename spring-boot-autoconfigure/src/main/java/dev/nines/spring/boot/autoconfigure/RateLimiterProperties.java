package dev.nines.spring.boot.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code nines.rate-limiter.*} configuration: rate limiters, as {@code defaults} and per-name
 * {@code instances}. Each instance is the defaults overridden by its own entries, built at startup
 * and registered in the application's {@link dev.nines.annotation.PolicyRegistry} under its name.
 * A key that is not listed here fails the startup. Unset values keep the builder's default. Not
 * thread-safe: bound once by Spring, then only read.
 */
@ConfigurationProperties(prefix = "nines.rate-limiter", ignoreUnknownFields = false)
public class RateLimiterProperties {

    /** Settings every instance starts from. */
    private RateLimiterSettings defaults = new RateLimiterSettings();

    /**
     * The instances by name; a name with dots must be written in brackets:
     * {@code "[PaymentClient.charge]"}.
     */
    private Map<String, RateLimiterSettings> instances = new LinkedHashMap<>();

    /** Created by Spring's binder. */
    public RateLimiterProperties() {
    }

    /** @return the settings every instance starts from */
    public RateLimiterSettings getDefaults() {
        return defaults;
    }

    /** @param defaults the settings every instance starts from */
    public void setDefaults(RateLimiterSettings defaults) {
        this.defaults = defaults;
    }

    /** @return the instances by name */
    public Map<String, RateLimiterSettings> getInstances() {
        return instances;
    }

    /** @param instances the instances by name */
    public void setInstances(Map<String, RateLimiterSettings> instances) {
        this.instances = instances;
    }

    /** The settings of one rate limiter; {@code null} means unset. Not thread-safe. */
    public static class RateLimiterSettings {

        /** The rate: permits per period, "100/1s", "100/s", "6000/1m" (periods as Spring durations: ms, s, m, h, d). */
        private String limit;

        /** The bucket's capacity: permits that may be taken at once after an idle spell. Default: the rate's permits. */
        private Long burst;

        /** Created by Spring's binder. */
        public RateLimiterSettings() {
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

    }
}
