package dev.nines.metrics;

import dev.nines.Priority;
import dev.nines.Ticker;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A sink that keeps counters, latency summaries, gauges and recent transitions in memory, for
 * tests, the demo and the web metrics endpoint to query.
 *
 * <p>Everything is kept per policy name <em>and</em> kind: a breaker and a bulkhead both named
 * {@code payments} (or the retry and breaker of one annotated method, which share its default
 * name) are two sets of counters. Queries that name a kind read one set; the shorter queries that
 * name only the policy add up (or, for a gauge or state, pick from) every kind of that name.
 *
 * <p>Outcomes reported with a {@link Priority} (a load shedder's) are also counted per priority:
 * {@link #count(String, String, Priority, Outcome)}, {@link PolicySnapshot#countsByPriority()}.
 * The other counts include them, so {@link #count(String, String, Outcome)} is every call either way.
 *
 * <p>Request events ({@link #onRequest}: one per pipeline call or endpoint request) are kept per
 * endpoint or pipeline name: counts per outcome and priority ({@link #requests}) and one latency
 * summary ({@link #requestLatency}), every outcome's latency included.
 *
 * <p>Recording an outcome or request for a name seen before allocates nothing. Transitions are kept up to a
 * bounded number (oldest dropped first). Thread-safe: record and query from any thread.
 */
public final class InMemoryMetrics implements MetricsSink {

    private static final int DEFAULT_TRANSITION_CAPACITY = 1024;
    private static final LatencySummary NO_LATENCY = new LatencySummary(0, 0, 0, 0, 0, 0, 0);

    private final Ticker ticker;
    /** By policy name, then by kind: two lookups that allocate nothing, unlike a composite key. */
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, PolicyStats>> policies =
            new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, RequestStats> requests = new ConcurrentHashMap<>();
    private final TransitionLog transitions;

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
        this.transitions = new TransitionLog(transitionCapacity);
    }

    @Override
    public void onOutcome(String policy, String kind, Outcome outcome, long durationNanos) {
        stats(policy, kind).record(outcome, durationNanos);
    }

    /** Counts the outcome under {@code priority} as well as in the policy's totals. Allocates nothing once the policy is known. */
    @Override
    public void onOutcome(String policy, String kind, Priority priority, Outcome outcome, long durationNanos) {
        stats(policy, kind).record(priority, outcome, durationNanos);
    }

    /** Counts the request under its name, outcome and priority, and records its latency. */
    @Override
    public void onRequest(String name, Priority priority, RequestOutcome outcome, String rejectedBy,
            String rejectedKind, long latencyNanos) {
        RequestStats stats = requests.get(name);
        if (stats == null) {
            stats = requests.computeIfAbsent(name, RequestStats::new);
        }
        stats.record(priority, outcome, latencyNanos);
    }

    /** How many requests of the endpoint or pipeline {@code name} ended with {@code outcome}, any priority or none. */
    public long requests(String name, RequestOutcome outcome) {
        RequestStats stats = requests.get(name);
        return stats == null ? 0 : stats.total(outcome);
    }

    /**
     * How many requests of the endpoint or pipeline {@code name} of {@code priority} ({@code null}:
     * those without one) ended with {@code outcome}.
     */
    public long requests(String name, Priority priority, RequestOutcome outcome) {
        RequestStats stats = requests.get(name);
        return stats == null ? 0 : stats.count(priority, outcome);
    }

    /**
     * Request latency of {@code name} as cumulative counts at {@code upperBoundsNanos}, for a
     * histogram export; all zero if nothing was recorded.
     */
    public LatencyBuckets requestLatencyBuckets(String name, long... upperBoundsNanos) {
        RequestStats stats = requests.get(name);
        return LatencyHistogram.bucketsOf(stats == null ? List.of() : List.of(stats.latency), upperBoundsNanos);
    }

    /** Latency of every request of the endpoint or pipeline {@code name}, whatever its outcome. */
    public LatencySummary requestLatency(String name) {
        RequestStats stats = requests.get(name);
        return stats == null ? NO_LATENCY : stats.latency.snapshot();
    }

    /** A copy of every endpoint's and pipeline's request counts, sorted by name, for exporters. */
    public List<RequestSnapshot> requestSnapshot() {
        List<RequestSnapshot> result = new ArrayList<>();
        for (RequestStats stats : requests.values()) {
            result.add(stats.snapshot());
        }
        result.sort(Comparator.comparing(RequestSnapshot::name));
        return result;
    }

    @Override
    public void onTransition(String policy, String kind, String fromState, String toState) {
        stats(policy, kind).state = toState;
        transitions.add(new Transition(policy, kind, fromState, toState, ticker.read()));
    }

    @Override
    public void registerGauge(String policy, String kind, String gauge, LongSupplier value) {
        stats(policy, kind).gauges.put(gauge, Objects.requireNonNull(value, "value"));
    }

    /** How many calls of the {@code kind} policy named {@code policy} ended with {@code outcome}; 0 if unknown. */
    public long count(String policy, String kind, Outcome outcome) {
        PolicyStats stats = find(policy, kind);
        return stats == null ? 0 : stats.total(outcome);
    }

    /**
     * How many calls of {@code priority} the {@code kind} policy named {@code policy} reported with
     * that priority and {@code outcome}; 0 if unknown.
     */
    public long count(String policy, String kind, Priority priority, Outcome outcome) {
        PolicyStats stats = find(policy, kind);
        return stats == null ? 0 : stats.count(priority, outcome);
    }

    /** How many calls of every policy named {@code policy}, of any kind, ended with {@code outcome}. */
    public long count(String policy, Outcome outcome) {
        long total = 0;
        for (PolicyStats stats : kindsOf(policy)) {
            total += stats.total(outcome);
        }
        return total;
    }

    /** Latency of the calls the {@code kind} policy named {@code policy} ran (rejected and shed calls excluded). */
    public LatencySummary latency(String policy, String kind) {
        PolicyStats stats = find(policy, kind);
        return stats == null ? NO_LATENCY : stats.latency.snapshot();
    }

    /**
     * Latency of the calls the {@code kind} policy named {@code policy} ran, as cumulative counts at
     * {@code upperBoundsNanos}, for a histogram export; all zero if nothing was recorded.
     */
    public LatencyBuckets latencyBuckets(String policy, String kind, long... upperBoundsNanos) {
        PolicyStats stats = find(policy, kind);
        return LatencyHistogram.bucketsOf(stats == null ? List.of() : List.of(stats.latency), upperBoundsNanos);
    }

    /** Latency of the calls every policy named {@code policy} ran, all kinds merged into one summary. */
    public LatencySummary latency(String policy) {
        List<LatencyHistogram> histograms = new ArrayList<>();
        for (PolicyStats stats : kindsOf(policy)) {
            histograms.add(stats.latency);
        }
        return LatencyHistogram.snapshotOf(histograms);
    }

    /** The current value of a gauge of the {@code kind} policy named {@code policy}, or empty if not registered. */
    public OptionalLong gauge(String policy, String kind, String gauge) {
        PolicyStats stats = find(policy, kind);
        LongSupplier supplier = stats == null ? null : stats.gauges.get(gauge);
        return supplier == null ? OptionalLong.empty() : OptionalLong.of(supplier.getAsLong());
    }

    /**
     * The current value of a gauge of a policy named {@code policy}, or empty if none registered
     * it. If policies of several kinds with that name registered the gauge, the kind first in
     * alphabetical order answers; name the kind to choose.
     */
    public OptionalLong gauge(String policy, String gauge) {
        for (PolicyStats stats : kindsOf(policy)) {
            LongSupplier supplier = stats.gauges.get(gauge);
            if (supplier != null) {
                return OptionalLong.of(supplier.getAsLong());
            }
        }
        return OptionalLong.empty();
    }

    /** The state the {@code kind} policy named {@code policy} last moved to, if it ever reported a transition. */
    public Optional<String> state(String policy, String kind) {
        PolicyStats stats = find(policy, kind);
        return stats == null ? Optional.empty() : Optional.ofNullable(stats.state);
    }

    /**
     * The state a policy named {@code policy} last moved to, if one ever reported a transition. If
     * policies of several kinds with that name did, the kind first in alphabetical order answers;
     * name the kind to choose.
     */
    public Optional<String> state(String policy) {
        for (PolicyStats stats : kindsOf(policy)) {
            String state = stats.state;
            if (state != null) {
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }

    /** Recent transitions of every policy, oldest first. */
    public List<Transition> transitions() {
        return transitions.all();
    }

    /** Recent transitions of every policy named {@code policy}, of any kind, oldest first. */
    public List<Transition> transitions(String policy) {
        return transitions.of(policy);
    }

    /** Recent transitions of the {@code kind} policy named {@code policy}, oldest first. */
    public List<Transition> transitions(String policy, String kind) {
        return transitions.of(policy, kind);
    }

    /**
     * A copy of everything known, one entry per policy name and kind, sorted by name and then
     * kind, for exporters.
     */
    public List<PolicySnapshot> snapshot() {
        List<PolicySnapshot> result = new ArrayList<>();
        for (ConcurrentHashMap<String, PolicyStats> byKind : policies.values()) {
            for (PolicyStats stats : byKind.values()) {
                result.add(stats.snapshot());
            }
        }
        result.sort(Comparator.comparing(PolicySnapshot::policy).thenComparing(PolicySnapshot::kind));
        return result;
    }

    /** Forgets everything recorded so far (registered gauges are kept). */
    public void reset() {
        for (ConcurrentHashMap<String, PolicyStats> byKind : policies.values()) {
            byKind.replaceAll((kind, old) -> old.cleared());
        }
        requests.clear();
        transitions.clear();
    }

    private PolicyStats stats(String policy, String kind) {
        ConcurrentHashMap<String, PolicyStats> byKind = policies.get(policy);
        if (byKind == null) {
            byKind = policies.computeIfAbsent(policy, p -> new ConcurrentHashMap<>(2));
        }
        PolicyStats stats = byKind.get(kind);
        return stats != null ? stats : byKind.computeIfAbsent(kind, k -> new PolicyStats(policy, k));
    }

    private PolicyStats find(String policy, String kind) {
        ConcurrentHashMap<String, PolicyStats> byKind = policies.get(policy);
        return byKind == null ? null : byKind.get(kind);
    }

    /** The stats of every kind named {@code policy}, in alphabetical order of kind. */
    private List<PolicyStats> kindsOf(String policy) {
        ConcurrentHashMap<String, PolicyStats> byKind = policies.get(policy);
        if (byKind == null) {
            return List.of();
        }
        List<PolicyStats> result = new ArrayList<>(byKind.values());
        result.sort(Comparator.comparing(stats -> stats.kind));
        return result;
    }

    /**
     * Everything known about one policy (a name and a kind) at one moment.
     *
     * @param policy  the policy's name
     * @param kind    the policy's kind
     * @param counts           calls per outcome, those reported with a priority included
     * @param latency          latency of the calls that ran
     * @param gauges           gauge values by name (-1 for a gauge that failed to read)
     * @param state            the last state reported through a transition, if any
     * @param countsByPriority of {@code counts}, the calls reported with each priority, per outcome
     *                         (every priority present, counts 0 when none)
     */
    public record PolicySnapshot(String policy, String kind, Map<Outcome, Long> counts, LatencySummary latency,
            Map<String, Long> gauges, Optional<String> state, Map<Priority, Map<Outcome, Long>> countsByPriority) {

        /** A snapshot of a policy that reported no priorities. */
        public PolicySnapshot(String policy, String kind, Map<Outcome, Long> counts, LatencySummary latency,
                Map<String, Long> gauges, Optional<String> state) {
            this(policy, kind, counts, latency, gauges, state, Map.of());
        }
    }

    /**
     * The requests of one endpoint or pipeline at one moment.
     *
     * @param name             the endpoint's or pipeline's name
     * @param counts           requests reported without a priority, per outcome (every outcome present)
     * @param countsByPriority requests reported with each priority, per outcome (every priority present)
     * @param latency          latency of every request, whatever its outcome
     */
    public record RequestSnapshot(String name, Map<RequestOutcome, Long> counts,
            Map<Priority, Map<RequestOutcome, Long>> countsByPriority, LatencySummary latency) {
    }
}
