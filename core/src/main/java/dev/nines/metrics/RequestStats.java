package dev.nines.metrics;

import dev.nines.Priority;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@link MetricsSink#onRequest} events of one endpoint or pipeline name, as the
 * {@link InMemoryMetrics} keeps them: counts per priority (or none) and outcome, and one latency
 * summary. Recording allocates nothing. Thread-safe.
 */
final class RequestStats {

    private static final int NO_PRIORITY = Priority.values().length;

    final String name;
    /** By priority ordinal (the last row: no priority), then outcome ordinal. */
    private final LongAdder[][] counts = new LongAdder[Priority.values().length + 1][RequestOutcome.values().length];
    final LatencyHistogram latency = new LatencyHistogram();

    RequestStats(String name) {
        this.name = name;
        for (LongAdder[] row : counts) {
            for (int i = 0; i < row.length; i++) {
                row[i] = new LongAdder();
            }
        }
    }

    void record(Priority priority, RequestOutcome outcome, long latencyNanos) {
        counts[row(priority)][outcome.ordinal()].increment();
        latency.record(latencyNanos);
    }

    long count(Priority priority, RequestOutcome outcome) {
        return counts[row(priority)][outcome.ordinal()].sum();
    }

    long total(RequestOutcome outcome) {
        long n = 0;
        for (LongAdder[] row : counts) {
            n += row[outcome.ordinal()].sum();
        }
        return n;
    }

    InMemoryMetrics.RequestSnapshot snapshot() {
        Map<Priority, Map<RequestOutcome, Long>> byPriority = new EnumMap<>(Priority.class);
        for (Priority p : Priority.values()) {
            byPriority.put(p, outcomes(p));
        }
        return new InMemoryMetrics.RequestSnapshot(name, outcomes(null), Collections.unmodifiableMap(byPriority),
                latency.snapshot());
    }

    private Map<RequestOutcome, Long> outcomes(Priority priority) {
        Map<RequestOutcome, Long> result = new EnumMap<>(RequestOutcome.class);
        for (RequestOutcome o : RequestOutcome.values()) {
            result.put(o, count(priority, o));
        }
        return Collections.unmodifiableMap(result);
    }

    private static int row(Priority priority) {
        return priority == null ? NO_PRIORITY : priority.ordinal();
    }
}
