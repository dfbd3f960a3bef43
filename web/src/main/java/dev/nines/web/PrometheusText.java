package dev.nines.web;

import dev.nines.Priority;
import dev.nines.circuitbreaker.CircuitState;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.InMemoryMetrics.PolicySnapshot;
import dev.nines.metrics.InMemoryMetrics.RequestSnapshot;
import dev.nines.metrics.LatencyBuckets;
import dev.nines.metrics.Outcome;
import dev.nines.metrics.PolicyKinds;
import dev.nines.metrics.RequestOutcome;
import dev.nines.shedding.Tier;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders an {@link InMemoryMetrics} in the Prometheus text exposition format (version 0.0.4).
 *
 * <table>
 *   <caption>Metric families</caption>
 *   <tr><th>name</th><th>type</th><th>labels</th></tr>
 *   <tr><td>{@code nines_calls_total}</td><td>counter</td><td>policy, kind, outcome; priority ({@code P0}..{@code P3})
 *       on outcomes reported with one (a load shedder's)</td></tr>
 *   <tr><td>{@code nines_call_duration_seconds}</td><td>histogram ({@code _bucket}, {@code _sum},
 *       {@code _count})</td><td>policy, kind, le</td></tr>
 *   <tr><td>{@code nines_gauge}</td><td>gauge; a rate a breaker has no value for yet (fewer calls
 *       than its minimum) is left out, its {@code buffered_calls} gauge still there</td><td>policy, kind, gauge</td></tr>
 *   <tr><td>{@code nines_state}</td><td>gauge: every state of the policy, 1 for the current one and 0 for the others</td><td>policy, kind, state</td></tr>
 *   <tr><td>{@code nines_requests_total}</td><td>counter: one per request or pipeline call
 *       ({@link dev.nines.metrics.MetricsSink#onRequest})</td><td>name, outcome ({@code fresh},
 *       {@code degraded}, {@code rejected}, {@code failed}, {@code timed_out}, {@code cancelled}),
 *       priority ({@code P0}..{@code P3}, or {@code none})</td></tr>
 *   <tr><td>{@code nines_request_duration_seconds}</td><td>histogram: latency of every request, whatever its outcome</td><td>name, le</td></tr>
 * </table>
 *
 * <p>Calls reported with a priority are counted in a series of their own per priority
 * ({@code outcome="shed",priority="P3"}); calls reported without one keep the series without a
 * {@code priority} label, so summing over {@code priority} counts every call exactly once.
 *
 * <p>Durations are histograms with the same {@code le} bounds everywhere (0.0005, 0.001, 0.0025,
 * 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5 and 10 seconds, and {@code +Inf}), so they
 * add up across instances: {@code histogram_quantile} over a {@code sum by (le)} gives a fleet's
 * percentile, which summary quantiles could not.
 *
 * <p>A breaker or shedder lists all its states ({@code CLOSED}, {@code OPEN}, ... or the tiers)
 * from the start: before its first transition the current state is read from its {@code state} or
 * {@code tier} gauge. A transition flips values rather than ending one series and starting
 * another. Policies of different kinds that share a name (a breaker and a bulkhead both
 * called {@code payments}) are separate series, told apart by the {@code kind} label. Stateless
 * and thread-safe: {@link #render} reads a snapshot each time.
 */
public final class PrometheusText {

    /** The content type Prometheus expects for this format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** The states a policy of each built-in kind can be in; other kinds show their current state only. */
    private static final Map<String, List<String>> STATES = Map.of(
            PolicyKinds.CIRCUIT_BREAKER, names(CircuitState.values()),
            PolicyKinds.LOAD_SHEDDER, names(Tier.values()));

    /** The {@code le} bounds of every duration histogram, in seconds, as printed. */
    static final String BOUNDS_TEXT = "0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10";

    private static final String[] LE = BOUNDS_TEXT.split(", ");
    private static final long[] BOUNDS_NANOS = java.util.Arrays.stream(LE)
            .mapToLong(s -> new java.math.BigDecimal(s).movePointRight(9).longValueExact()).toArray();

    /** Where each built-in kind publishes its current state as an ordinal, before any transition. */
    private static final Map<String, String> STATE_GAUGES = Map.of(
            PolicyKinds.CIRCUIT_BREAKER, "state",
            PolicyKinds.LOAD_SHEDDER, "tier");

    private PrometheusText() {
    }

    /** The whole exposition for {@code metrics}. */
    public static String render(InMemoryMetrics metrics) {
        List<PolicySnapshot> policies = metrics.snapshot();
        StringBuilder out = new StringBuilder();
        out.append("# HELP nines_calls_total Calls handled by a nines policy, by outcome.\n");
        out.append("# TYPE nines_calls_total counter\n");
        for (PolicySnapshot p : policies) {
            for (Map.Entry<Outcome, Long> e : p.counts().entrySet()) {
                String outcome = e.getKey().name().toLowerCase(Locale.ROOT);
                long withoutPriority = e.getValue();
                for (Map.Entry<Priority, Map<Outcome, Long>> byPriority : p.countsByPriority().entrySet()) {
                    long n = byPriority.getValue().getOrDefault(e.getKey(), 0L);
                    if (n > 0) {
                        out.append("nines_calls_total").append(labels(p, "outcome", outcome, "priority",
                                byPriority.getKey().name())).append(' ').append(n).append('\n');
                        withoutPriority -= n;
                    }
                }
                if (withoutPriority > 0) {
                    line(out, "nines_calls_total", p, "outcome", outcome, withoutPriority);
                }
            }
        }
        out.append("# HELP nines_call_duration_seconds Duration of calls a nines policy ran.\n");
        out.append("# TYPE nines_call_duration_seconds histogram\n");
        for (PolicySnapshot p : policies) {
            if (p.latency().count() == 0) {
                continue;
            }
            String base = labels(p, null, null);
            histogram(out, "nines_call_duration_seconds", base.substring(0, base.length() - 1),
                    metrics.latencyBuckets(p.policy(), p.kind(), BOUNDS_NANOS));
        }
        out.append("# HELP nines_gauge Gauges published by nines policies.\n");
        out.append("# TYPE nines_gauge gauge\n");
        for (PolicySnapshot p : policies) {
            for (Map.Entry<String, Long> g : p.gauges().entrySet()) {
                if (g.getValue() < 0 && g.getKey().endsWith("_percent")) {
                    continue; // "no rate yet": a sentinel, not a value; buffered_calls says why
                }
                line(out, "nines_gauge", p, "gauge", g.getKey(), g.getValue());
            }
        }
        out.append("# HELP nines_state The state of a stateful nines policy: 1 for the current state, 0 for the others.\n");
        out.append("# TYPE nines_state gauge\n");
        for (PolicySnapshot p : policies) {
            currentState(p).ifPresent(current -> {
                // every state of the kind, so a transition changes values instead of ending a series
                List<String> all = STATES.getOrDefault(p.kind(), List.of(current));
                for (String state : all) {
                    line(out, "nines_state", p, "state", state, state.equals(current) ? 1 : 0);
                }
                if (!all.contains(current)) {
                    line(out, "nines_state", p, "state", current, 1);
                }
            });
        }
        requests(out, metrics);
        return out.toString();
    }

    /** The last transition's state, else the one the policy's state gauge names, else none. */
    private static java.util.Optional<String> currentState(PolicySnapshot p) {
        if (p.state().isPresent()) {
            return p.state();
        }
        String gauge = STATE_GAUGES.get(p.kind());
        Long ordinal = gauge == null ? null : p.gauges().get(gauge);
        List<String> all = STATES.get(p.kind());
        if (ordinal == null || all == null || ordinal < 0 || ordinal >= all.size()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(all.get(ordinal.intValue()));
    }

    /** One histogram's {@code _bucket}, {@code _sum} and {@code _count} lines; {@code labels} lacks its closing brace. */
    private static void histogram(StringBuilder out, String name, String labels, LatencyBuckets b) {
        long[] counts = b.cumulativeCounts();
        for (int i = 0; i < LE.length; i++) {
            out.append(name).append("_bucket").append(labels).append(",le=\"").append(LE[i]).append("\"} ")
                    .append(counts[i]).append('\n');
        }
        out.append(name).append("_bucket").append(labels).append(",le=\"+Inf\"} ").append(b.count()).append('\n');
        out.append(name).append("_sum").append(labels).append("} ").append(seconds(b.sumNanos())).append('\n');
        out.append(name).append("_count").append(labels).append("} ").append(b.count()).append('\n');
    }

    /** The request events: only the series that counted something, so an idle name adds nothing. */
    private static void requests(StringBuilder out, InMemoryMetrics metrics) {
        List<RequestSnapshot> requests = metrics.requestSnapshot();
        out.append("# HELP nines_requests_total Requests and pipeline calls, by final outcome.\n");
        out.append("# TYPE nines_requests_total counter\n");
        for (RequestSnapshot r : requests) {
            for (Map.Entry<Priority, Map<RequestOutcome, Long>> byPriority : r.countsByPriority().entrySet()) {
                requestCounts(out, r.name(), byPriority.getKey().name(), byPriority.getValue());
            }
            requestCounts(out, r.name(), "none", r.counts());
        }
        out.append("# HELP nines_request_duration_seconds Latency of requests and pipeline calls, any outcome.\n");
        out.append("# TYPE nines_request_duration_seconds histogram\n");
        for (RequestSnapshot r : requests) {
            if (r.latency().count() == 0) {
                continue;
            }
            histogram(out, "nines_request_duration_seconds", "{name=\"" + escape(r.name()) + "\"",
                    metrics.requestLatencyBuckets(r.name(), BOUNDS_NANOS));
        }
    }

    private static void requestCounts(StringBuilder out, String name, String priority,
            Map<RequestOutcome, Long> counts) {
        for (Map.Entry<RequestOutcome, Long> e : counts.entrySet()) {
            if (e.getValue() > 0) {
                out.append("nines_requests_total{name=\"").append(escape(name)).append("\",outcome=\"")
                        .append(e.getKey().name().toLowerCase(Locale.ROOT)).append("\",priority=\"").append(priority)
                        .append("\"} ").append(e.getValue()).append('\n');
            }
        }
    }

    private static List<String> names(Enum<?>[] values) {
        return java.util.Arrays.stream(values).map(Enum::name).toList();
    }

    private static void line(StringBuilder out, String name, PolicySnapshot p, String label, String value, long v) {
        out.append(name).append(labels(p, label, value)).append(' ').append(v).append('\n');
    }

    private static String labels(PolicySnapshot p, String extraName, String extraValue) {
        return labels(p, extraName, extraValue, null, null);
    }

    private static String labels(PolicySnapshot p, String extraName, String extraValue, String moreName,
            String moreValue) {
        StringBuilder sb = new StringBuilder("{policy=\"").append(escape(p.policy()))
                .append("\",kind=\"").append(escape(p.kind())).append('"');
        if (extraName != null) {
            sb.append(',').append(extraName).append("=\"").append(escape(extraValue)).append('"');
        }
        if (moreName != null) {
            sb.append(',').append(moreName).append("=\"").append(escape(moreValue)).append('"');
        }
        return sb.append('}').toString();
    }

    private static String seconds(long nanos) {
        return Double.toString(nanos / 1e9);
    }

    /** Label values escape backslash, double quote and newline. */
    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
