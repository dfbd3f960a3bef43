package dev.nines.bulkhead;

import dev.nines.Ticker;
import dev.nines.internal.PolicyWiring;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.MetricsSink;
import java.time.Duration;

/**
 * The validated, immutable settings of one {@link ThreadPoolBulkhead}, made by
 * {@link ThreadPoolBulkheadBuilder#build()}: read them back here, derive changed settings with
 * {@link ThreadPoolBulkhead#toBuilder()}. Every default is resolved, so what is read here is what
 * the bulkhead uses. Thread-safe.
 */
public final class ThreadPoolBulkheadConfig {

    /** The default of {@link #queueCapacity()}: 100 calls. */
    public static final int DEFAULT_QUEUE_CAPACITY = 100;
    /** The default of {@link #keepAlive()}: 60 seconds. */
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(60);

    final PolicyWiring wiring;
    /** The {@code maxThreads} the builder was given, {@code null} for the default: what toBuilder() carries on. */
    final Integer configuredMaxThreads;
    final int maxThreads;
    final int queueCapacity;
    final Duration keepAlive;
    final boolean virtualThreads;

    ThreadPoolBulkheadConfig(PolicyWiring wiring, Integer configuredMaxThreads, int maxThreads, int queueCapacity,
            Duration keepAlive, boolean virtualThreads) {
        this.virtualThreads = virtualThreads;
        this.wiring = wiring;
        this.configuredMaxThreads = configuredMaxThreads;
        this.maxThreads = maxThreads;
        this.queueCapacity = queueCapacity;
        this.keepAlive = keepAlive;
    }

    /** The bulkhead's name, used by metrics, the registry, its threads' names and its rejections. */
    public String name() {
        return wiring.name();
    }

    /**
     * The most calls running at once, in threads, at least 1. Default: the number of processors at
     * {@code build()} (a builder from {@link ThreadPoolBulkhead#toBuilder()} keeps it unset, so it
     * counts them again).
     */
    public int maxThreads() {
        return maxThreads;
    }

    /** The most calls waiting for a thread, in calls, &gt;= 0; 0 means none wait. Default {@link #DEFAULT_QUEUE_CAPACITY} (100). */
    public int queueCapacity() {
        return queueCapacity;
    }

    /** How long an idle thread lives, &gt; 0. Default {@link #DEFAULT_KEEP_ALIVE} (60 seconds). */
    public Duration keepAlive() {
        return keepAlive;
    }

    /** Whether the pool's threads are virtual threads (Java 21+). Default {@code false}. */
    public boolean virtualThreads() {
        return virtualThreads;
    }

    /** Times calls for metrics; read only when a sink is configured. Default {@link Ticker#system()}. */
    public Ticker ticker() {
        return wiring.ticker();
    }

    /**
     * The sink the bulkhead reports to, guarded: the one set on the builder, or
     * {@link Metrics#getDefault()}, which forwards to the current default.
     */
    public MetricsSink metrics() {
        return wiring.metrics();
    }

    @Override
    public String toString() {
        return "ThreadPoolBulkheadConfig[name=" + name() + ", maxThreads=" + maxThreads + ", queueCapacity="
                + queueCapacity + ", keepAlive=" + keepAlive + ", virtualThreads=" + virtualThreads + "]";
    }
}
