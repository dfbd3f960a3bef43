package dev.nines.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code nines.circuit-breaker.*} configuration: circuit breakers, as {@code defaults} and per-name
 * {@code instances}. Each instance is the defaults overridden by its own entries, built at startup
 * and registered in the application's {@link dev.nines.annotation.PolicyRegistry} under its name.
 * A key that is not listed here fails the startup. Unset values keep the builder's default. Not
 * thread-safe: bound once by Spring, then only read.
 */
@ConfigurationProperties(prefix = "nines.circuit-breaker", ignoreUnknownFields = false)
public class CircuitBreakerProperties {

    /** Settings every instance starts from. */
    private CircuitBreakerSettings defaults = new CircuitBreakerSettings();

    /**
     * The instances by name; a name with dots must be written in brackets:
     * {@code "[PaymentClient.charge]"}.
     */
    private Map<String, CircuitBreakerSettings> instances = new LinkedHashMap<>();

    /** Created by Spring's binder. */
    public CircuitBreakerProperties() {
    }

    /** @return the settings every instance starts from */
    public CircuitBreakerSettings getDefaults() {
        return defaults;
    }

    /** @param defaults the settings every instance starts from */
    public void setDefaults(CircuitBreakerSettings defaults) {
        this.defaults = defaults;
    }

    /** @return the instances by name */
    public Map<String, CircuitBreakerSettings> getInstances() {
        return instances;
    }

    /** @param instances the instances by name */
    public void setInstances(Map<String, CircuitBreakerSettings> instances) {
        this.instances = instances;
    }

    /** The settings of one circuit breaker; {@code null} means unset. Not thread-safe. */
    public static class CircuitBreakerSettings {

        /** The share of failed calls in the window, a fraction in (0, 1] (0.5 is 50%), at or above which the breaker opens. Default 0.5. */
        private Double failureRateThreshold;

        /** The share of slow calls in the window, a fraction in (0, 1], at or above which the breaker opens. Default 1.0. */
        private Double slowCallRateThreshold;

        /** A call lasting at least this long is slow. Default 60s. */
        private Duration slowCallDurationThreshold;

        /** Judge the last this many calls (1 to 1,048,575). Default 100; exclusive with time-window. */
        private Integer countWindow;

        /** Judge the calls of this last span (at least 1s) instead of a count of calls; exclusive with count-window. */
        private Duration timeWindow;

        /** Calls the window must hold before the breaker judges rates. Default 20. */
        private Integer minimumCalls;

        /** How long the breaker stays open before it lets probes through. Default 60s. */
        private Duration openDuration;

        /** Longer consecutive openings: each opening after failed probes lasts multiplier times the one before, up to max. Unset: constant. */
        private OpenDurationGrowth openDurationGrowth = new OpenDurationGrowth();

        /** Probe calls admitted in HALF_OPEN (1 to 1000). Default 10. */
        private Integer halfOpenProbes;

        /** How long a HALF_OPEN breaker waits for probe outcomes once every probe is out. Default 60s. */
        private Duration maxProbeDuration;

        /** End OPEN on the first request after the open duration instead of on a timer. Default false. */
        private Boolean halfOpenOnRequest;

        /** Whether this instance is critical to readiness: while it is down (a breaker open, a shedder shedding every priority, a fleet limiter that cannot reach Redis) the readiness group of the health endpoint is DOWN. Default false. */
        private Boolean critical;

        /** Created by Spring's binder. */
        public CircuitBreakerSettings() {
        }

        /** @return the failure-rate-threshold setting */
        public Double getFailureRateThreshold() {
            return failureRateThreshold;
        }

        /** @param failureRateThreshold the failure-rate-threshold setting */
        public void setFailureRateThreshold(Double failureRateThreshold) {
            this.failureRateThreshold = failureRateThreshold;
        }

        /** @return the slow-call-rate-threshold setting */
        public Double getSlowCallRateThreshold() {
            return slowCallRateThreshold;
        }

        /** @param slowCallRateThreshold the slow-call-rate-threshold setting */
        public void setSlowCallRateThreshold(Double slowCallRateThreshold) {
            this.slowCallRateThreshold = slowCallRateThreshold;
        }

        /** @return the slow-call-duration-threshold setting */
        public Duration getSlowCallDurationThreshold() {
            return slowCallDurationThreshold;
        }

        /** @param slowCallDurationThreshold the slow-call-duration-threshold setting */
        public void setSlowCallDurationThreshold(Duration slowCallDurationThreshold) {
            this.slowCallDurationThreshold = slowCallDurationThreshold;
        }

        /** @return the count-window setting */
        public Integer getCountWindow() {
            return countWindow;
        }

        /** @param countWindow the count-window setting */
        public void setCountWindow(Integer countWindow) {
            this.countWindow = countWindow;
        }

        /** @return the time-window setting */
        public Duration getTimeWindow() {
            return timeWindow;
        }

        /** @param timeWindow the time-window setting */
        public void setTimeWindow(Duration timeWindow) {
            this.timeWindow = timeWindow;
        }

        /** @return the minimum-calls setting */
        public Integer getMinimumCalls() {
            return minimumCalls;
        }

        /** @param minimumCalls the minimum-calls setting */
        public void setMinimumCalls(Integer minimumCalls) {
            this.minimumCalls = minimumCalls;
        }

        /** @return the open-duration setting */
        public Duration getOpenDuration() {
            return openDuration;
        }

        /** @param openDuration the open-duration setting */
        public void setOpenDuration(Duration openDuration) {
            this.openDuration = openDuration;
        }

        /** @return the open-duration-growth setting */
        public OpenDurationGrowth getOpenDurationGrowth() {
            return openDurationGrowth;
        }

        /** @param openDurationGrowth the open-duration-growth setting */
        public void setOpenDurationGrowth(OpenDurationGrowth openDurationGrowth) {
            this.openDurationGrowth = openDurationGrowth;
        }

        /** @return the half-open-probes setting */
        public Integer getHalfOpenProbes() {
            return halfOpenProbes;
        }

        /** @param halfOpenProbes the half-open-probes setting */
        public void setHalfOpenProbes(Integer halfOpenProbes) {
            this.halfOpenProbes = halfOpenProbes;
        }

        /** @return the max-probe-duration setting */
        public Duration getMaxProbeDuration() {
            return maxProbeDuration;
        }

        /** @param maxProbeDuration the max-probe-duration setting */
        public void setMaxProbeDuration(Duration maxProbeDuration) {
            this.maxProbeDuration = maxProbeDuration;
        }

        /** @return the half-open-on-request setting */
        public Boolean getHalfOpenOnRequest() {
            return halfOpenOnRequest;
        }

        /** @param halfOpenOnRequest the half-open-on-request setting */
        public void setHalfOpenOnRequest(Boolean halfOpenOnRequest) {
            this.halfOpenOnRequest = halfOpenOnRequest;
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

    /** How consecutive openings grow; {@code null} means unset. Not thread-safe. */
    public static class OpenDurationGrowth {

        /** Each consecutive opening lasts this many times the one before (at least 1.0). */
        private Double multiplier;

        /** The longest opening (at least open-duration). */
        private Duration max;

        /** Created by Spring's binder. */
        public OpenDurationGrowth() {
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

    }
}
