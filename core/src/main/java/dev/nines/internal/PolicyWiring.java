package dev.nines.internal;

import dev.nines.Scheduler;
import dev.nines.Ticker;
import dev.nines.metrics.MetricsSink;

/**
 * The shared settings of one built policy, made by {@link PolicyBuilder#wiring()}: its name, ticker,
 * scheduler and metrics sink, both as resolved for use and as configured (so that
 * {@code toBuilder()} keeps what was unset unset). Immutable and thread-safe. Not part of the
 * public API.
 */
public final class PolicyWiring {

    private final String name;
    private final Ticker configuredTicker;
    private final Scheduler configuredScheduler;
    private final MetricsSink configuredMetrics;
    private final MetricsSink metrics;

    PolicyWiring(String name, Ticker configuredTicker, Scheduler configuredScheduler, MetricsSink configuredMetrics,
            MetricsSink metrics) {
        this.name = name;
        this.configuredTicker = configuredTicker;
        this.configuredScheduler = configuredScheduler;
        this.configuredMetrics = configuredMetrics;
        this.metrics = metrics;
    }

    /** The policy's name. */
    public String name() {
        return name;
    }

    /** The time source: the one set, or {@link Ticker#system()}. */
    public Ticker ticker() {
        return configuredTicker == null ? Ticker.system() : configuredTicker;
    }

    /** The scheduler that was set, or {@code orElse}, the policy's own default. */
    public Scheduler scheduler(Scheduler orElse) {
        return configuredScheduler == null ? orElse : configuredScheduler;
    }

    /** The sink to report to, guarded: the one set, or the forwarding {@code Metrics.getDefault()}. */
    public MetricsSink metrics() {
        return metrics;
    }

    /**
     * Whether reporting costs anything right now: {@code false} when the sink drops events (see
     * {@link dev.nines.metrics.Metrics#isNoop}). May change over the policy's life when it reports to
     * the default sink, so ask per call rather than once.
     */
    public boolean measured() {
        return !dev.nines.metrics.Metrics.isNoop(metrics);
    }

    Ticker configuredTicker() {
        return configuredTicker;
    }

    Scheduler configuredScheduler() {
        return configuredScheduler;
    }

    MetricsSink configuredMetrics() {
        return configuredMetrics;
    }
}
