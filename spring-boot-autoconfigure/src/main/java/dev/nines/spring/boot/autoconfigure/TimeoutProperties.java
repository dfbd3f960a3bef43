package dev.nines.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code nines.timeout.*} configuration: timeouts, as {@code defaults} and per-name
 * {@code instances}. Each instance is the defaults overridden by its own entries, built at startup
 * and registered in the application's {@link dev.nines.annotation.PolicyRegistry} under its name.
 * A key that is not listed here fails the startup. Unset values keep the builder's default. Not
 * thread-safe: bound once by Spring, then only read.
 */
@ConfigurationProperties(prefix = "nines.timeout", ignoreUnknownFields = false)
public class TimeoutProperties {

    /** Settings every instance starts from. */
    private TimeoutSettings defaults = new TimeoutSettings();

    /**
     * The instances by name; a name with dots must be written in brackets:
     * {@code "[PaymentClient.charge]"}.
     */
    private Map<String, TimeoutSettings> instances = new LinkedHashMap<>();

    /** Created by Spring's binder. */
    public TimeoutProperties() {
    }

    /** @return the settings every instance starts from */
    public TimeoutSettings getDefaults() {
        return defaults;
    }

    /** @param defaults the settings every instance starts from */
    public void setDefaults(TimeoutSettings defaults) {
        this.defaults = defaults;
    }

    /** @return the instances by name */
    public Map<String, TimeoutSettings> getInstances() {
        return instances;
    }

    /** @param instances the instances by name */
    public void setInstances(Map<String, TimeoutSettings> instances) {
        this.instances = instances;
    }

    /** The settings of one timeout; {@code null} means unset. Not thread-safe. */
    public static class TimeoutSettings {

        /** The time limit, more than 0. Default 1s. */
        private Duration timeout;

        /** Run synchronous calls on virtual threads (Java 21+). Default false. */
        private Boolean virtualThreads;

        /** Created by Spring's binder. */
        public TimeoutSettings() {
        }

        /** @return the timeout setting */
        public Duration getTimeout() {
            return timeout;
        }

        /** @param timeout the timeout setting */
        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        /** @return the virtual-threads setting */
        public Boolean getVirtualThreads() {
            return virtualThreads;
        }

        /** @param virtualThreads the virtual-threads setting */
        public void setVirtualThreads(Boolean virtualThreads) {
            this.virtualThreads = virtualThreads;
        }

    }
}
