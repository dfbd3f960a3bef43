package dev.nines.metrics;

import dev.nines.Ticker;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * A sink that keeps counters, latency summaries, gauges and recent transitions in memory, for
 * tests, the demo and the web metrics endpoint to query.
 *
 * <p>Recording an outcome for a policy seen before allocates nothing. Transitions are kept up to a
 * bounded number (oldest dropped first).
 */
public final class InMemoryMetrics implements MetricsSink {

    private static final int DEFAULT_TRANSITION_CAPACITY = 1024;

    private final Ticker ticker;
    private final int transitionCapacity;
    private final ConcurrentHashMap<String, PolicyStats> policies = new ConcurrentHashMap<>();
    private final ConcurrentLinkedDeque<Transition> transitions = new ConcurrentLinkedDeque<>();
    private final AtomicInteger transitionCount = new AtomicInteger();

    /** Keeps the last 1024 transitions, timed with the system ticker. */
    public InMemoryMetrics() {
        this(Ticker.system(), DEFAULT_TRANSITION_CAPACITY);
    }

    /**
     * @param ticker             times transitions
     * @param transitionCapacity how many recent transitions to keep; must be &gt;= 1
     */
    public InMemoryMetrics(Ticker ticker, int transitionCapacity) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        if (transitionCapacity < 1) {
            throw new IllegalArgumentException("transitionCapacity must be >= 1 but was " + transitionCapacity);
        }
        this.transitionCapacity = transitionCapacity;
    }

    @Override
    public void onOutcome(String policy, String kind, Outcome outcome, long durationNanos) {
        PolicyStats stats = stats(policy, kind);
        stats.counts[outcome.ordinal()].increment();
        if (outcome != Outcome.REJECTED && outcome != Outcome.SHED) {
            stats.latency.record(durationNanos);
        }
    }

    @Override
    public void onTransition(String policy, String kind, String fromState, String toState) {
        stats(policy, kind).state = toState;
        transitions.addLast(new Transition(policy, kind, fromState, toState, ticker.read()));
        if (transitionCount.incrementAndGet() > transitionCapacity) {
            transitions.pollFirst();
            transitionCount.decrementAndGet();
        }
    }

    @Override
    public void registerGauge(String policy, String kind, String gauge, LongSupplier value) {
        stats(policy, kind).gauges.put(gauge, Objects.requireNonNull(value, "value"));
    }

    /** How many calls of {@code policy} ended with {@code outcome}; 0 for an unknown policy. */
    public long count(String policy, Outcome outcome) {
        PolicyStats stats = policies.get(policy);
        return stats == null ? 0 : stats.counts[outcome.ordinal()].sum();
    }

    /** Latency of the calls {@code policy} ran (rejected and shed calls excluded). */
    public LatencySummary latency(String policy) {
        PolicyStats stats = policies.get(policy);
        return stats == null ? new LatencySummary(0, 0, 0, 0, 0, 0, 0) : stats.latency.snapshot();
    }

    /** The current value of a gauge, or empty if no such gauge was registered. */
    public OptionalLong gauge(String policy, String gauge) {
        PolicyStats stats = policies.get(policy);
        LongSupplier supplier = stats == null ? null : stats.gauges.get(gauge);
        return supplier == null ? OptionalLong.empty() : OptionalLong.of(supplier.getAsLong());
    }

    /** The state {@code policy} last moved to, if it ever reported a transition. */
    public Optional<String> state(String policy) {
        PolicyStats stats = policies.get(policy);
        return stats == null ? Optional.empty() : Optional.ofNullable(stats.state);
    }

    /** Recent transitions of every policy, oldest first. */
    public List<Transition> transitions() {
        return List.copyOf(transitions);
    }

    /** Recent transitions of one policy, oldest first. */
    public List<Transition> transitions(String policy) {
        List<Transition> result = new ArrayList<>();
        for (Transition t : transitions) {
            if (t.policy().equals(policy)) {
                result.add(t);
            }
        }
        return result;
    }

    /** A copy of everything known about every policy, for exporters. */
    public List<PolicySnapshot> snapshot() {
        List<PolicySnapshot> result = new ArrayList<>();
        for (PolicyStats s : policies.values()) {
            Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);
            for (Outcome o : Outcome.values()) {
                counts.put(o, s.counts[o.ordinal()].sum());
            }
            Map<String, Long> gauges = new java.util.TreeMap<>();
            s.gauges.forEach((name, supplier) -> gauges.put(name, readGauge(supplier)));
            result.add(new PolicySnapshot(s.name, s.kind, Collections.unmodifiableMap(counts),
                    s.latency.snapshot(), Collections.unmodifiableMap(gauges), Optional.ofNullable(s.state)));
        }
        result.sort((a, b) -> a.policy().compareTo(b.policy()));
        return result;
    }

    /** Forgets everything recorded so far (registered gauges are kept). */
    public void reset() {
        policies.replaceAll((name, old) -> old.cleared());
        transitions.clear();
        transitionCount.set(0);
    }

    private static long readGauge(LongSupplier supplier) {
        try {
            return supplier.getAsLong();
        } catch (RuntimeException e) {
            Metrics.recordFailure();
            return -1;
        }
    }

    private PolicyStats stats(String policy, String kind) {
        PolicyStats stats = policies.get(policy);
        return stats != null ? stats : policies.computeIfAbsent(policy, p -> new PolicyStats(p, kind));
    }

    /**
     * Everything known about one policy at one moment.
     *
     * @param policy  the policy's name
     * @param kind    the policy's kind
     * @param counts  calls per outcome
     * @param latency latency of the calls that ran
     * @param gauges  gauge values by name (-1 for a gauge that failed to read)
     * @param state   the last state reported through a transition, if any
     */
    public record PolicySnapshot(String policy, String kind, Map<Outcome, Long> counts, LatencySummary latency,
            Map<String, Long> gauges, Optional<String> state) {
    }

    private static final class PolicyStats {
        final String name;
        final String kind;
        final LongAdder[] counts = new LongAdder[Outcome.values().length];
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
        }

        PolicyStats cleared() {
            return new PolicyStats(name, kind, gauges, state);
        }
    }
}
