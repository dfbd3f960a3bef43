package dev.nines.metrics;

import dev.nines.Priority;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * What the {@link InMemoryMetrics} keeps of one policy, a name and a kind: outcome counts (without
 * a priority, and per priority), a latency histogram, gauges and the last state. Recording
 * allocates nothing. Thread-safe.
 */
final class PolicyStats {

    final String name;
    final String kind;
    /** Outcomes reported without a priority. */
    private final LongAdder[] counts = new LongAdder[Outcome.values().length];
    /** Outcomes reported with one, by priority and then outcome. */
    private final LongAdder[][] byPriority = new LongAdder[Priority.values().length][Outcome.values().length];
    final LatencyHistogram latency = new LatencyHistogram();
    final ConcurrentHashMap<String, LongSupplier> gauges;
    volatile String state;

    PolicyStats(String name, String kind) {
        this(name, kind, new ConcurrentHashMap<>(), null);
    }

    private PolicyStats(String name, String kind, ConcurrentHashMap<String, LongSupplier> gauges, String state) {
        this.name = name;
        this.kind = kind;
        this.gauges = gauges;
        this.state = state;
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
        for (LongAdder[] ofPriority : byPriority) {
            for (int i = 0; i < ofPriority.length; i++) {
                ofPriority[i] = new LongAdder();
            }
        }
    }

    /** Counts an outcome reported without a priority, and times it unless it never ran. */
    void record(Outcome outcome, long durationNanos) {
        counts[outcome.ordinal()].increment();
        time(outcome, durationNanos);
    }

    /** Counts an outcome reported with {@code priority}, and times it unless it never ran. */
    void record(Priority priority, Outcome outcome, long durationNanos) {
        byPriority[priority.ordinal()][outcome.ordinal()].increment();
        time(outcome, durationNanos);
    }

    private void time(Outcome outcome, long durationNanos) {
        if (outcome != Outcome.REJECTED && outcome != Outcome.SHED) {
            latency.record(durationNanos);
        }
    }

    /** Every call that ended with {@code outcome}, with a priority or without. */
    long total(Outcome outcome) {
        long n = counts[outcome.ordinal()].sum();
        for (LongAdder[] ofPriority : byPriority) {
            n += ofPriority[outcome.ordinal()].sum();
        }
        return n;
    }

    /** The calls of {@code priority} that ended with {@code outcome}. */
    long count(Priority priority, Outcome outcome) {
        return byPriority[priority.ordinal()][outcome.ordinal()].sum();
    }

    /** A copy of everything known now; a gauge that throws reads -1 and counts as a sink failure. */
    InMemoryMetrics.PolicySnapshot snapshot() {
        Map<Priority, Map<Outcome, Long>> ofPriorities = new EnumMap<>(Priority.class);
        long[] totals = new long[Outcome.values().length];
        for (Priority p : Priority.values()) {
            Map<Outcome, Long> ofP = new EnumMap<>(Outcome.class);
            for (Outcome o : Outcome.values()) {
                long n = count(p, o);
                ofP.put(o, n);
                totals[o.ordinal()] += n;
            }
            ofPriorities.put(p, Collections.unmodifiableMap(ofP));
        }
        Map<Outcome, Long> all = new EnumMap<>(Outcome.class);
        for (Outcome o : Outcome.values()) {
            // the same readings as the priorities' counts: totals minus them is never negative
            all.put(o, totals[o.ordinal()] + counts[o.ordinal()].sum());
        }
        Map<String, Long> gaugeValues = new TreeMap<>();
        gauges.forEach((gauge, supplier) -> gaugeValues.put(gauge, readGauge(supplier)));
        return new InMemoryMetrics.PolicySnapshot(name, kind, Collections.unmodifiableMap(all), latency.snapshot(),
                Collections.unmodifiableMap(gaugeValues), Optional.ofNullable(state),
                Collections.unmodifiableMap(ofPriorities));
    }

    /** Fresh counters and latency, the same gauges and state. */
    PolicyStats cleared() {
        return new PolicyStats(name, kind, gauges, state);
    }

    private static long readGauge(LongSupplier supplier) {
        try {
            return supplier.getAsLong();
        } catch (RuntimeException e) {
            Metrics.recordFailure();
            return -1;
        }
    }
}
