package dev.nines.web;

import dev.nines.Priority;
import dev.nines.circuitbreaker.CircuitState;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.InMemoryMetrics.PolicySnapshot;
import dev.nines.metrics.InMemoryMetrics.RequestSnapshot;
import dev.nines.metrics.LatencySummary;
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
 *   <tr><td>{@code nines_call_duration_seconds}</td><td>summary</td><td>policy, kind, quantile</td></tr>
 *   <tr><td>{@code nines_gauge}</td><td>gauge</td><td>policy, kind, gauge</td></tr>
 *   <tr><td>{@code nines_state}</td><td>gauge: every state of the policy, 1 for the current one and 0 for the others</td><td>policy, kind, state</td></tr>
 *   <tr><td>{@code nines_requests_total}</td><td>counter: one per request or pipeline call
 *       ({@link dev.nines.metrics.MetricsSink#onRequest})</td><td>name, outcome ({@code fresh},
 *       {@code degraded}, {@code rejected}, {@code failed}, {@code timed_out}, {@code cancelled}),
 *       priority ({@code P0}..{@code P3}, or {@code none})</td></tr>
 *   <tr><td>{@code nines_request_duration_seconds}</td><td>summary: latency of every request, whatever its outcome</td><td>name, quantile</td></tr>
 * </table>
 *
 * <p>Calls reported with a priority are counted in a series of their own per priority
 * ({@code outcome="shed",priority="P3"}); calls reported without one keep the series without a
 * {@code priority} label, so summing over {@code priority} counts every call exactly once.
 *
 * <p>A breaker or shedder lists all its states ({@code CLOSED}, {@code OPEN}, ... or the tiers)
 * once it has a current one, so a transition flips values rather than ending one series and
 * starting another. Policies of different kinds that share a name (a breaker and a bulkhead both
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
        out.append("# TYPE nines_call_duration_seconds summary\n");
        for (PolicySnapshot p : policies) {
            LatencySummary l = p.latency();
            if (l.count() == 0) {
                continue;
            }
            quantile(out, p, "0.5", l.p50());
            quantile(out, p, "0.9", l.p90());
            quantile(out, p, "0.99", l.p99());
            quantile(out, p, "0.999", l.p999());
            out.append("nines_call_duration_seconds_sum").append(labels(p, null, null)).append(' ')
                    .append(seconds(l.mean() * l.count())).append('\n');
            out.append("nines_call_duration_seconds_count").append(labels(p, null, null)).append(' ')
                    .append(l.count()).append('\n');
        }
        out.append("# HELP nines_gauge Gauges published by nines policies.\n");
        out.append("# TYPE nines_gauge gauge\n");
        for (PolicySnapshot p : policies) {
            for (Map.Entry<String, Long> g : p.gauges().entrySet()) {
                line(out, "nines_gauge", p, "gauge", g.getKey(), g.getValue());
            }
        }
        out.append("# HELP nines_state The state of a stateful nines policy: 1 for the current state, 0 for the others.\n");
        out.append("# TYPE nines_state gauge\n");
        for (PolicySnapshot p : policies) {
            p.state().ifPresent(current -> {
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
        requests(out, metrics.requestSnapshot());
        return out.toString();
    }

    /** The request events: only the series that counted something, so an idle name adds nothing. */
    private static void requests(StringBuilder out, List<RequestSnapshot> requests) {
        out.append("# HELP nines_requests_total Requests and pipeline calls, by final outcome.\n");
        out.append("# TYPE nines_requests_total counter\n");
        for (RequestSnapshot r : requests) {
            for (Map.Entry<Priority, Map<RequestOutcome, Long>> byPriority : r.countsByPriority().entrySet()) {
                requestCounts(out, r.name(), byPriority.getKey().name(), byPriority.getValue());
            }
            requestCounts(out, r.name(), "none", r.counts());
        }
        out.append("# HELP nines_request_duration_seconds Latency of requests and pipeline calls, any outcome.\n");
        out.append("# TYPE nines_request_duration_seconds summary\n");
        for (RequestSnapshot r : requests) {
            LatencySummary l = r.latency();
            if (l.count() == 0) {
                continue;
            }
            String name = "{name=\"" + escape(r.name()) + "\"";
            String[][] quantiles = {{"0.5", seconds(l.p50())}, {"0.9", seconds(l.p90())}, {"0.99", seconds(l.p99())},
                    {"0.999", seconds(l.p999())}};
            for (String[] q : quantiles) {
                out.append("nines_request_duration_seconds").append(name).append(",quantile=\"").append(q[0])
                        .append("\"} ").append(q[1]).append('\n');
            }
            out.append("nines_request_duration_seconds_sum").append(name).append("} ")
                    .append(seconds(l.mean() * l.count())).append('\n');
            out.append("nines_request_duration_seconds_count").append(name).append("} ").append(l.count()).append('\n');
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

    private static void quantile(StringBuilder out, PolicySnapshot p, String q, long nanos) {
        out.append("nines_call_duration_seconds").append(labels(p, "quantile", q)).append(' ')
                .append(seconds(nanos)).append('\n');
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
