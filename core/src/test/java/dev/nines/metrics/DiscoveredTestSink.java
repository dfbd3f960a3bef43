package dev.nines.metrics;

import java.util.function.LongSupplier;

/** Registered in src/test/resources/META-INF/services to prove ServiceLoader discovery. */
public final class DiscoveredTestSink implements MetricsSink {

    static final InMemoryMetrics RECORDED = new InMemoryMetrics();

    @Override
    public void onOutcome(String policy, String kind, Outcome outcome, long durationNanos) {
        RECORDED.onOutcome(policy, kind, outcome, durationNanos);
    }

    @Override
    public void onTransition(String policy, String kind, String fromState, String toState) {
        RECORDED.onTransition(policy, kind, fromState, toState);
    }

    @Override
    public void registerGauge(String policy, String kind, String gauge, LongSupplier value) {
        RECORDED.registerGauge(policy, kind, gauge, value);
    }
}
