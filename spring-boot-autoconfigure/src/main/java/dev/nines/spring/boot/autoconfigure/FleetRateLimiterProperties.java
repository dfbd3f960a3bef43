package dev.nines.spring.boot.autoconfigure;

import dev.nines.redis.WhenRedisDown;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code nines.fleet-rate-limiter.*} configuration: fleet-wide rate limiters on Redis (nines-redis), one limit shared by every instance of the service, as {@code defaults} and per-name
 * {@code instances}. Each instance is the defaults overridden by its own entries, built at startup
 * and registered in the application's {@link dev.nines.annotation.PolicyRegistry} under its name.
 * A key that is not listed here fails the startup. Unset values keep the builder's default. Not
 * thread-safe: bound once by Spring, then only read.
 */
@ConfigurationProperties(prefix = "nines.fleet-rate-limiter", ignoreUnknownFields = false)
public class FleetRateLimiterProperties {

    /** Settings every instance starts from. */
    private FleetRateLimiterSettings defaults = new FleetRateLimiterSettings();

    /**
     * The instances by name; a name with dots must be written in brackets:
     * {@code "[PaymentClient.charge]"}.
     */
    private Map<String, FleetRateLimiterSettings> instances = new LinkedHashMap<>();

    /** Created by Spring's binder. */
    public FleetRateLimiterProperties() {
    }

    /** @return the settings every instance starts from */
    public FleetRateLimiterSettings getDefaults() {
        return defaults;
    }

    /** @param defaults the settings every instance starts from */
    public void setDefaults(FleetRateLimiterSettings defaults) {
        this.defaults = defaults;
    }

    /** @return the instances by name */
    public Map<String, FleetRateLimiterSettings> getInstances() {
        return instances;
    }

    /** @param instances the instances by name */
    public void setInstances(Map<String, FleetRateLimiterSettings> instances) {
        this.instances = instances;
    }

    /** The settings of one instance; {@code null} means unset. Not thread-safe. */
    public static class FleetRateLimiterSettings {

        /** The rate shared by the fleet: permits per period, "100/1s", "100/s", "6000/1m". */
        private String limit;

        /** The bucket's capacity. Default: the rate's permits. */
        private Long burst;

        /** One bucket per key (a client) instead of one for all. Default false. */
        private Boolean keyed;

        /** Keyed only: the local leases and fallback buckets kept at once; at least 1, default 100,000. */
        private Long maxKeys;

        /** Prepended to the Redis keys. Default "nines:rl:". */
        private String keyPrefix;

        /** The longest a decision waits for Redis before when-down applies. Default 50ms. */
        private Duration timeout;

        /** What is decided while Redis does not answer: fail-open, fail-closed or local-fallback. Default local-fallback. */
        private WhenRedisDown whenDown;

        /** How many instances share the limit: the local fallback gives each the limit divided by this. Default 1. */
        private Integer expectedInstances;

        /** Leasing: a round trip takes up to this many permits (at least 2) that this instance then serves itself for at most lease-time. Unset: no leasing. */
        private Long leasePermits;

        /** Leasing: how long leased permits may be served locally; required with lease-permits. */
        private Duration leaseTime;

        /** Whether this limiter counts for readiness: while its Redis breaker is open the readiness group is DOWN. Default false. */
        private Boolean critical;

        /** Created by Spring's binder. */
        public FleetRateLimiterSettings() {
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

        /** @return the keyed setting */
        public Boolean getKeyed() {
            return keyed;
        }

        /** @param keyed the keyed setting */
        public void setKeyed(Boolean keyed) {
            this.keyed = keyed;
        }

        /** @return the max-keys setting */
        public Long getMaxKeys() {
            return maxKeys;
        }

        /** @param maxKeys the max-keys setting */
        public void setMaxKeys(Long maxKeys) {
            this.maxKeys = maxKeys;
        }

        /** @return the key-prefix setting */
        public String getKeyPrefix() {
            return keyPrefix;
        }

        /** @param keyPrefix the key-prefix setting */
        public void setKeyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }

        /** @return the timeout setting */
        public Duration getTimeout() {
            return timeout;
        }

        /** @param timeout the timeout setting */
        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        /** @return the when-down setting */
        public WhenRedisDown getWhenDown() {
            return whenDown;
        }

        /** @param whenDown the when-down setting */
        public void setWhenDown(WhenRedisDown whenDown) {
            this.whenDown = whenDown;
        }

        /** @return the expected-instances setting */
        public Integer getExpectedInstances() {
            return expectedInstances;
        }

        /** @param expectedInstances the expected-instances setting */
        public void setExpectedInstances(Integer expectedInstances) {
            this.expectedInstances = expectedInstances;
        }

        /** @return the lease-permits setting */
        public Long getLeasePermits() {
            return leasePermits;
        }

        /** @param leasePermits the lease-permits setting */
        public void setLeasePermits(Long leasePermits) {
            this.leasePermits = leasePermits;
        }

        /** @return the lease-time setting */
        public Duration getLeaseTime() {
            return leaseTime;
        }

        /** @param leaseTime the lease-time setting */
        public void setLeaseTime(Duration leaseTime) {
            this.leaseTime = leaseTime;
        }

        /** @return the critical setting */
        public Boolean getCritical() {
            return critical;
        }

        /** @param critical the critical setting */
        public void setCritical(Boolean critical) {
            this.critical = critical;
        }
    }
}
