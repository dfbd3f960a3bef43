package dev.nines.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code nines.thread-pool-bulkhead.*} configuration: thread-pool bulkheads, as {@code defaults} and per-name
 * {@code instances}. Each instance is the defaults overridden by its own entries, built at startup
 * and registered in the application's {@link dev.nines.annotation.PolicyRegistry} under its name.
 * A key that is not listed here fails the startup. Unset values keep the builder's default. Not
 * thread-safe: bound once by Spring, then only read.
 */
@ConfigurationProperties(prefix = "nines.thread-pool-bulkhead", ignoreUnknownFields = false)
public class ThreadPoolBulkheadProperties {

    /** Settings every instance starts from. */
    private ThreadPoolBulkheadSettings defaults = new ThreadPoolBulkheadSettings();

    /**
     * The instances by name; a name with dots must be written in brackets:
     * {@code "[PaymentClient.charge]"}.
     */
    private Map<String, ThreadPoolBulkheadSettings> instances = new LinkedHashMap<>();

    /** Created by Spring's binder. */
    public ThreadPoolBulkheadProperties() {
    }

    /** @return the settings every instance starts from */
    public ThreadPoolBulkheadSettings getDefaults() {
        return defaults;
    }

    /** @param defaults the settings every instance starts from */
    public void setDefaults(ThreadPoolBulkheadSettings defaults) {
        this.defaults = defaults;
    }

    /** @return the instances by name */
    public Map<String, ThreadPoolBulkheadSettings> getInstances() {
        return instances;
    }

    /** @param instances the instances by name */
    public void setInstances(Map<String, ThreadPoolBulkheadSettings> instances) {
        this.instances = instances;
    }

    /** The settings of one thread-pool bulkhead; {@code null} means unset. Not thread-safe. */
    public static class ThreadPoolBulkheadSettings {

        /** The most calls running at once, at least 1. Default: the number of processors. */
        private Integer maxThreads;

        /** The most calls waiting for a thread; 0 means none wait. Default 100. */
        private Integer queueCapacity;

        /** How long an idle thread lives. Default 60s. */
        private Duration keepAlive;

        /** Run calls on virtual threads (Java 21+). Default false. */
        private Boolean virtualThreads;

        /** Created by Spring's binder. */
        public ThreadPoolBulkheadSettings() {
        }

        /** @return the max-threads setting */
        public Integer getMaxThreads() {
            return maxThreads;
        }

        /** @param maxThreads the max-threads setting */
        public void setMaxThreads(Integer maxThreads) {
            this.maxThreads = maxThreads;
        }

        /** @return the queue-capacity setting */
        public Integer getQueueCapacity() {
            return queueCapacity;
        }

        /** @param queueCapacity the queue-capacity setting */
        public void setQueueCapacity(Integer queueCapacity) {
            this.queueCapacity = queueCapacity;
        }

        /** @return the keep-alive setting */
        public Duration getKeepAlive() {
            return keepAlive;
        }

        /** @param keepAlive the keep-alive setting */
        public void setKeepAlive(Duration keepAlive) {
            this.keepAlive = keepAlive;
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
