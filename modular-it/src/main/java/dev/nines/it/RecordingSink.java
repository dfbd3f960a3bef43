package dev.nines.it;

import dev.nines.Priority;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.Outcome;
import dev.nines.metrics.RequestOutcome;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The metrics sink this module {@code provides}: records every event into one shared
 * {@link InMemoryMetrics}, so a test can see what reached the sink that {@link java.util.ServiceLoader}
 * created. Thread-safe.
 */
public final class RecordingSink implements MetricsSink {

    private static final InMemoryMetrics SEEN = new InMemoryMetrics();
    private static final AtomicInteger CREATED = new AtomicInteger();

    /** For {@link java.util.ServiceLoader}. */
    public RecordingSink() {
        CREATED.incrementAndGet();
    }

    /** What every instance recorded. */
    public static InMemoryMetrics seen() {
        return SEEN;
    }

    /** How many instances were created. */
    public static int created() {
        return CREATED.get();
    }

    @Override
    public void onOutcome(String policy, String kind, Outcome outcome, long durationNanos) {
        SEEN.onOutcome(policy, kind, outcome, durationNanos);
    }

    @Override
    public void onOutcome(String policy, String kind, Priority priority, Outcome outcome, long durationNanos) {
        SEEN.onOutcome(policy, kind, priority, outcome, durationNanos);
    }

    @Override
    public void onRequest(String name, Priority priority, RequestOutcome outcome, String rejectedBy,
            String rejectedKind, long latencyNanos) {
        SEEN.onRequest(name, priority, outcome, rejectedBy, rejectedKind, latencyNanos);
    }

    @Override
    public void onTransition(String policy, String kind, String fromState, String toState) {
        SEEN.onTransition(policy, kind, fromState, toState);
    }

    @Override
    public void registerGauge(String policy, String kind, String gauge, LongSupplier value) {
        SEEN.registerGauge(policy, kind, gauge, value);
    }

    @Override
    public String toString() {
        return "RecordingSink";
    }
}
