package dev.nines.metrics;

import dev.nines.Priority;
import dev.nines.internal.NinesEvents;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The sink every policy built without one reports to: forwards each event to whatever sink is the
 * default at that moment, so a sink set after a policy was built still sees its calls. One volatile
 * read per event, no lock, no allocation. Gauges are kept (one per policy, kind and gauge name,
 * the latest registration winning) and replayed to each new target.
 */
final class DefaultSink implements MetricsSink {

    private volatile MetricsSink target;
    private final Map<GaugeKey, LongSupplier> gauges = new ConcurrentHashMap<>();

    DefaultSink(MetricsSink initial) {
        this.target = initial;
    }

    MetricsSink target() {
        return target;
    }

    /**
     * Points this sink at {@code next} and replays every gauge registered so far to it. A gauge
     * registered concurrently reaches {@code next} at least once (from here or from its own
     * registration); a second registration only replaces the first.
     */
    void retarget(MetricsSink next) {
        target = next;
        gauges.forEach((k, v) -> next.registerGauge(k.policy, k.kind, k.gauge, v));
    }

    @Override
    public void onOutcome(String policy, String kind, Outcome outcome, long durationNanos) {
        NinesEvents.outcome(policy, kind, null, outcome);
        target.onOutcome(policy, kind, outcome, durationNanos);
    }

    @Override
    public void onOutcome(String policy, String kind, Priority priority, Outcome outcome, long durationNanos) {
        NinesEvents.outcome(policy, kind, priority, outcome);
        target.onOutcome(policy, kind, priority, outcome, durationNanos);
    }

    @Override
    public void onRequest(String name, Priority priority, RequestOutcome outcome, String rejectedBy,
            String rejectedKind, long latencyNanos) {
        target.onRequest(name, priority, outcome, rejectedBy, rejectedKind, latencyNanos);
    }

    @Override
    public void onTransition(String policy, String kind, String fromState, String toState) {
        NinesEvents.transition(policy, kind, fromState, toState);
        target.onTransition(policy, kind, fromState, toState);
    }

    @Override
    public void registerGauge(String policy, String kind, String gauge, LongSupplier value) {
        gauges.put(new GaugeKey(policy, kind, gauge), value);
        target.registerGauge(policy, kind, gauge, value);
    }

    @Override
    public String toString() {
        return "Metrics.getDefault() -> " + target;
    }

    /** Identifies one gauge of one policy. */
    private record GaugeKey(String policy, String kind, String gauge) {
    }
}
