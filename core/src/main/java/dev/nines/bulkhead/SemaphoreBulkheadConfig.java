package dev.nines.bulkhead;

import dev.nines.Ticker;
import dev.nines.internal.PolicyWiring;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.MetricsSink;
import java.time.Duration;

/**
 * The validated, immutable settings of one {@link SemaphoreBulkhead}, made by
 * {@link SemaphoreBulkheadBuilder#build()}: read them back here, derive changed settings with
 * {@link SemaphoreBulkhead#toBuilder()}. Every default is resolved, so what is read here is what
 * the bulkhead uses. Thread-safe.
 */
public final class SemaphoreBulkheadConfig {

    /** The default of {@link #maxConcurrent()}: 25 calls. */
    public static final int DEFAULT_MAX_CONCURRENT = 25;

    final PolicyWiring wiring;
    final int maxConcurrent;
    final Duration maxWait;

    SemaphoreBulkheadConfig(PolicyWiring wiring, int maxConcurrent, Duration maxWait) {
        this.wiring = wiring;
        this.maxConcurrent = maxConcurrent;
        this.maxWait = maxWait;
    }

    /** The bulkhead's name, used by metrics, the registry and its rejections. */
    public String name() {
        return wiring.name();
    }

    /** The most calls that run at once, in calls, at least 1. Default {@link #DEFAULT_MAX_CONCURRENT} (25). */
    public int maxConcurrent() {
        return maxConcurrent;
    }

    /**
     * How long a synchronous call waits for a permit (never past its context's deadline), &gt;= 0;
     * zero rejects at once. Default {@link Duration#ZERO}. Asynchronous calls never wait.
     */
    public Duration maxWait() {
        return maxWait;
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
        return "SemaphoreBulkheadConfig[name=" + name() + ", maxConcurrent=" + maxConcurrent + ", maxWait="
                + maxWait + "]";
    }
}
