package dev.nines.metrics;

import dev.nines.Priority;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/** Forwards to several sinks; each is guarded so one failing sink does not starve the others. */
final class CompositeSink implements MetricsSink {

    private final MetricsSink[] sinks;

    private CompositeSink(MetricsSink[] sinks) {
        this.sinks = sinks;
    }

    static MetricsSink of(MetricsSink... sinks) {
        Objects.requireNonNull(sinks, "sinks");
        List<MetricsSink> real = new ArrayList<>();
        for (int i = 0; i < sinks.length; i++) {
            MetricsSink s = sinks[i];
            if (s == null) {
                throw new NullPointerException("sinks[" + i + "] is null");
            }
            if (s != MetricsSink.noop()) {
                real.add(Metrics.quietGuard(s));
            }
        }
        if (real.isEmpty()) {
            return MetricsSink.noop();
        }
        if (real.size() == 1) {
            return real.get(0);
        }
        return new CompositeSink(real.toArray(new MetricsSink[0]));
    }

    /**
     * This composite with every {@code forwarding} member (at any depth) replaced by
     * {@code replacement}: how {@code Metrics.setDefault(composite(getDefault(), mine))} adds a sink
     * to the current one instead of making the default forward to itself.
     */
    MetricsSink replacing(MetricsSink forwarding, MetricsSink replacement) {
        MetricsSink[] replaced = new MetricsSink[sinks.length];
        for (int i = 0; i < sinks.length; i++) {
            MetricsSink s = sinks[i];
            replaced[i] = s == forwarding ? replacement
                    : s instanceof CompositeSink ? ((CompositeSink) s).replacing(forwarding, replacement) : s;
        }
        return of(replaced);
    }

    @Override
    public void onOutcome(String policy, String kind, Outcome outcome, long durationNanos) {
        for (MetricsSink s : sinks) {
            s.onOutcome(policy, kind, outcome, durationNanos);
        }
    }

    @Override
    public void onOutcome(String policy, String kind, Priority priority, Outcome outcome, long durationNanos) {
        for (MetricsSink s : sinks) {
            s.onOutcome(policy, kind, priority, outcome, durationNanos);
        }
    }

    @Override
    public void onRequest(String name, Priority priority, RequestOutcome outcome, String rejectedBy,
            String rejectedKind, long latencyNanos) {
        for (MetricsSink s : sinks) {
            s.onRequest(name, priority, outcome, rejectedBy, rejectedKind, latencyNanos);
        }
    }

    @Override
    public void onTransition(String policy, String kind, String fromState, String toState) {
        for (MetricsSink s : sinks) {
            s.onTransition(policy, kind, fromState, toState);
        }
    }

    @Override
    public void registerGauge(String policy, String kind, String gauge, LongSupplier value) {
        for (MetricsSink s : sinks) {
            s.registerGauge(policy, kind, gauge, value);
        }
    }

    @Override
    public String toString() {
        return "MetricsSink.composite" + List.of(sinks);
    }
}
