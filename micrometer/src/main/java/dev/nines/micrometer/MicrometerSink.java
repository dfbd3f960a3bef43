package dev.nines.micrometer;

import dev.nines.Priority;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.Outcome;
import dev.nines.metrics.RequestOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A {@link MetricsSink} that records nines' events as Micrometer meters in a {@link MeterRegistry}.
 *
 * <table>
 * <caption>The meters</caption>
 * <tr><th>Name</th><th>Type</th><th>Tags</th><th>What it records</th></tr>
 * <tr><td>{@value #POLICY_CALLS}</td><td>timer</td><td>policy, kind, outcome, priority</td>
 *     <td>each call's outcome under one policy, and how long it ran</td></tr>
 * <tr><td>{@value #REQUESTS}</td><td>timer</td><td>endpoint, priority, outcome, policy, kind</td>
 *     <td>each whole request (pipeline or web endpoint), once, after every policy; {@code policy}
 *     and {@code kind} name the policy that rejected it or cut it short</td></tr>
 * <tr><td>{@value #TRANSITIONS}</td><td>counter</td><td>policy, kind, from, to</td>
 *     <td>state changes: a breaker opening, a shedder's tier dropping</td></tr>
 * <tr><td>{@code nines.policy.<gauge>}</td><td>gauge</td><td>policy, kind</td>
 *     <td>each gauge a policy registers, underscores turned to dots: {@code nines.policy.state},
 *     {@code nines.policy.in.flight}, {@code nines.policy.limit}, {@code nines.policy.tier},
 *     {@code nines.policy.available.permits}, ...</td></tr>
 * </table>
 *
 * <p>Every meter of one name has the same tag keys (Prometheus requires it): a tag that has no
 * value for an event (no priority, no rejecting policy) carries {@value #NONE}. Tag values are the
 * enum names in lower case ({@code timed_out}, {@code p0}). Timers publish histogram buckets by
 * default, which Prometheus and other backends can sum across instances before taking a quantile
 * (see {@link MicrometerSinkBuilder}).
 *
 * <p>Each meter is created once, on the first event with its tag set, and cached: recording an
 * event allocates nothing (a few map lookups and the timer's own record). Thread-safe.
 *
 * <p>Like every sink, it does not catch what the registry throws: policies reach their sink through
 * {@link dev.nines.metrics.Metrics#guard(MetricsSink)}, which keeps a failing registry from ever
 * breaking a protected call.
 */
public final class MicrometerSink implements MetricsSink {

    /** The timer of every policy outcome. */
    public static final String POLICY_CALLS = "nines.policy.calls";
    /** The timer of every whole request. */
    public static final String REQUESTS = "nines.requests";
    /** The counter of state transitions. */
    public static final String TRANSITIONS = "nines.transitions";
    /** What a policy's gauge name is prefixed with, its underscores turned to dots. */
    public static final String GAUGE_PREFIX = "nines.policy.";
    /** The value of a tag that has none for an event: no priority, no rejecting policy. */
    public static final String NONE = "none";

    private static final Outcome[] OUTCOMES = Outcome.values();
    private static final RequestOutcome[] REQUEST_OUTCOMES = RequestOutcome.values();
    private static final Priority[] PRIORITIES = Priority.values();
    /** Columns of a timer grid: {@link #NONE} first, then one per priority. */
    private static final int COLUMNS = PRIORITIES.length + 1;
    private static final String[] OUTCOME_TAGS = lowerCase(OUTCOMES);
    private static final String[] REQUEST_OUTCOME_TAGS = lowerCase(REQUEST_OUTCOMES);
    private static final String[] PRIORITY_TAGS = priorityTags();

    private final MeterRegistry registry;
    private final boolean percentileHistogram;
    private final Duration minimumExpectedValue;
    private final Duration maximumExpectedValue;

    /** policy, kind: the policy's outcome timers. */
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, TimerGrid>> policyTimers =
            new ConcurrentHashMap<>();
    /** endpoint, rejecting policy (or NONE), its kind (or NONE): the request timers. */
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, ConcurrentHashMap<String, TimerGrid>>>
            requestTimers = new ConcurrentHashMap<>();
    /** policy, kind, from, to: transitions are rare, so a list key is allocated per event. */
    private final ConcurrentHashMap<List<String>, Counter> transitions = new ConcurrentHashMap<>();
    /** policy, kind, gauge: what each registered gauge reads, replaceable. */
    private final ConcurrentHashMap<List<String>, AtomicReference<LongSupplier>> gauges = new ConcurrentHashMap<>();

    MicrometerSink(MeterRegistry registry, boolean percentileHistogram, Duration minimumExpectedValue,
            Duration maximumExpectedValue) {
        this.registry = registry;
        this.percentileHistogram = percentileHistogram;
        this.minimumExpectedValue = minimumExpectedValue;
        this.maximumExpectedValue = maximumExpectedValue;
    }

    /** A sink recording into {@code registry}, its timers publishing histogram buckets. */
    public static MicrometerSink of(MeterRegistry registry) {
        return builder(registry).build();
    }

    /** Starts configuring a sink recording into {@code registry}. */
    public static MicrometerSinkBuilder builder(MeterRegistry registry) {
        return new MicrometerSinkBuilder(Objects.requireNonNull(registry, "registry"));
    }

    @Override
    public void onOutcome(String policy, String kind, Outcome outcome, long durationNanos) {
        recordOutcome(policy, kind, 0, outcome, durationNanos);
    }

    @Override
    public void onOutcome(String policy, String kind, Priority priority, Outcome outcome, long durationNanos) {
        recordOutcome(policy, kind, column(priority), outcome, durationNanos);
    }

    private void recordOutcome(String policy, String kind, int column, Outcome outcome, long durationNanos) {
        TimerGrid grid = child(child(policyTimers, policy, ConcurrentHashMap::new), kind, MicrometerSink::policyGrid);
        int row = outcome.ordinal();
        Timer timer = grid.get(row, column);
        if (timer == null) {
            timer = grid.publish(row, column, timer(POLICY_CALLS, "Calls under a nines policy, by outcome",
                    Tags.of("policy", policy, "kind", kind, "outcome", OUTCOME_TAGS[row],
                            "priority", PRIORITY_TAGS[column])));
        }
        timer.record(durationNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void onRequest(String name, Priority priority, RequestOutcome outcome, String rejectedBy,
            String rejectedKind, long latencyNanos) {
        String by = rejectedBy == null ? NONE : rejectedBy;
        String byKind = rejectedKind == null ? NONE : rejectedKind;
        TimerGrid grid = child(child(child(requestTimers, name, ConcurrentHashMap::new), by, ConcurrentHashMap::new),
                byKind, MicrometerSink::requestGrid);
        int row = outcome.ordinal();
        int column = column(priority);
        Timer timer = grid.get(row, column);
        if (timer == null) {
            timer = grid.publish(row, column, timer(REQUESTS, "Whole requests through nines, by final outcome",
                    Tags.of("endpoint", name, "priority", PRIORITY_TAGS[column], "outcome", REQUEST_OUTCOME_TAGS[row],
                            "policy", by, "kind", byKind)));
        }
        timer.record(latencyNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void onTransition(String policy, String kind, String fromState, String toState) {
        String from = fromState.toLowerCase(Locale.ROOT);
        String to = toState.toLowerCase(Locale.ROOT);
        transitions.computeIfAbsent(List.of(policy, kind, from, to), key -> Counter.builder(TRANSITIONS)
                .description("State transitions of nines policies")
                .tags("policy", policy, "kind", kind, "from", from, "to", to)
                .register(registry))
                .increment();
    }

    @Override
    public void registerGauge(String policy, String kind, String gauge, LongSupplier value) {
        Objects.requireNonNull(value, "value");
        gauges.computeIfAbsent(List.of(policy, kind, gauge), key -> {
            AtomicReference<LongSupplier> current = new AtomicReference<>(value);
            Gauge.builder(GAUGE_PREFIX + gauge.replace('_', '.').toLowerCase(Locale.ROOT), current,
                            ref -> ref.get().getAsLong())
                    .description("A nines policy's " + gauge.replace('_', ' '))
                    .tags("policy", policy, "kind", kind)
                    .strongReference(true)
                    .register(registry);
            return current;
        }).set(value);
    }

    private Timer timer(String name, String description, Tags tags) {
        Timer.Builder builder = Timer.builder(name).description(description).tags(tags)
                .publishPercentileHistogram(percentileHistogram);
        if (minimumExpectedValue != null) {
            builder.minimumExpectedValue(minimumExpectedValue);
        }
        if (maximumExpectedValue != null) {
            builder.maximumExpectedValue(maximumExpectedValue);
        }
        return builder.register(registry);
    }

    private static int column(Priority priority) {
        return priority == null ? 0 : 1 + priority.ordinal();
    }

    private static TimerGrid policyGrid() {
        return new TimerGrid(OUTCOMES.length);
    }

    private static TimerGrid requestGrid() {
        return new TimerGrid(REQUEST_OUTCOMES.length);
    }

    /** The value under {@code key}, created on first use; the hit path allocates nothing. */
    private static <V> V child(ConcurrentHashMap<String, V> map, String key, Supplier<V> factory) {
        V value = map.get(key);
        return value != null ? value : map.computeIfAbsent(key, k -> factory.get());
    }

    private static String[] lowerCase(Enum<?>[] values) {
        String[] tags = new String[values.length];
        for (Enum<?> value : values) {
            tags[value.ordinal()] = value.name().toLowerCase(Locale.ROOT);
        }
        return tags;
    }

    private static String[] priorityTags() {
        String[] tags = new String[COLUMNS];
        tags[0] = NONE;
        System.arraycopy(lowerCase(PRIORITIES), 0, tags, 1, PRIORITIES.length);
        return tags;
    }

    @Override
    public String toString() {
        return "MicrometerSink[" + registry.getClass().getSimpleName() + "]";
    }

    /**
     * The timers of one tag prefix, by outcome (row) and priority (column), filled in on first use.
     * The registry returns the same timer for the same tags, so two threads racing to fill a cell
     * store the same timer.
     */
    private static final class TimerGrid {
        private final AtomicReferenceArray<Timer> cells;

        TimerGrid(int rows) {
            this.cells = new AtomicReferenceArray<>(rows * COLUMNS);
        }

        Timer get(int row, int column) {
            return cells.get(row * COLUMNS + column);
        }

        Timer publish(int row, int column, Timer timer) {
            cells.set(row * COLUMNS + column, timer);
            return timer;
        }
    }
}
