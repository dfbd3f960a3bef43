package dev.nines.slo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Writes SLOs in the Prometheus text exposition format (version 0.0.4), so a service without
 * Micrometer can serve them on its {@code /metrics} endpoint (with {@link #CONTENT_TYPE}).
 *
 * <table>
 *   <caption>The metrics written, one series per SLO (label {@code slo}) unless said otherwise</caption>
 *   <tr><th>name</th><th>type</th><th>value</th></tr>
 *   <tr><td>{@value #EVENTS_TOTAL}</td><td>counter</td><td>events counted since the SLO was created
 *       ({@link Slo#cumulative()})</td></tr>
 *   <tr><td>{@value #GOOD_EVENTS_TOTAL}</td><td>counter</td><td>good events among them</td></tr>
 *   <tr><td>{@value #OBJECTIVE}</td><td>gauge</td><td>the objective, a fraction ({@code 0.999})</td></tr>
 *   <tr><td>{@value #BUDGET_REMAINING}</td><td>gauge</td><td>the fraction of the window's error budget
 *       left ({@link SloStatus#budgetRemaining()}), negative when overspent</td></tr>
 *   <tr><td>{@value #BUDGET_REMAINING_EVENTS}</td><td>gauge</td><td>the bad events the budget still
 *       allows ({@link SloStatus#budgetRemainingEvents()})</td></tr>
 *   <tr><td>{@value #BURN_RATE}</td><td>gauge</td><td>the burn rate over each distinct window of the
 *       SLO's alert table, label {@code window} ({@code "5m"}, {@code "1h"}, {@code "3d"})</td></tr>
 *   <tr><td>{@value #ALERT_FIRING}</td><td>gauge</td><td>1 while an alert of the table fires, else 0;
 *       labels {@code alert} and {@code severity}</td></tr>
 * </table>
 *
 * <p>The counters are what a fleet should alert on: Prometheus sums them over the instances and
 * computes burn rates that survive restarts ({@link PrometheusRules} generates those rules). The
 * gauges are this process's view: its windows start empty when it starts.
 *
 * <p>Each write computes every SLO's {@link Slo#status()} once (a pass over its window's buckets) and
 * its {@link Slo#cumulative()} once; meant for a scrape, not a hot path. Stateless and thread-safe.
 */
public final class SloPrometheusText {

    /** The content type of the format, for the {@code Content-Type} header of a {@code /metrics} answer. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** Counter: events counted by the SLO since it was created. */
    public static final String EVENTS_TOTAL = "nines_slo_events_total";
    /** Counter: good events counted by the SLO since it was created. */
    public static final String GOOD_EVENTS_TOTAL = "nines_slo_good_events_total";
    /** Gauge: the SLO's objective, a fraction. */
    public static final String OBJECTIVE = "nines_slo_objective";
    /** Gauge: the fraction of the error budget left over the SLO's window. */
    public static final String BUDGET_REMAINING = "nines_slo_budget_remaining";
    /** Gauge: the bad events the error budget still allows over the SLO's window. */
    public static final String BUDGET_REMAINING_EVENTS = "nines_slo_budget_remaining_events";
    /** Gauge: the burn rate over a window of the alert table, label {@code window}. */
    public static final String BURN_RATE = "nines_slo_burn_rate";
    /** Gauge: 1 while a burn-rate alert fires, labels {@code alert} and {@code severity}. */
    public static final String ALERT_FIRING = "nines_slo_alert_firing";

    private SloPrometheusText() {
    }

    /** Writes the SLOs of {@code registry}, in the order they were added, to {@code out}. */
    public static void write(SloRegistry registry, Appendable out) throws IOException {
        write(Objects.requireNonNull(registry, "registry").all(), out);
    }

    /**
     * Writes {@code slos} to {@code out}: each metric's HELP and TYPE lines, then its series in the
     * order of {@code slos}. A metric without series (no SLOs, or no alert table) is left out.
     *
     * @throws IllegalArgumentException if two SLOs share a name (their series would collide)
     */
    public static void write(Collection<Slo> slos, Appendable out) throws IOException {
        Objects.requireNonNull(out, "out");
        List<Snapshot> snapshots = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>();
        for (Slo slo : slos) {
            if (!names.add(slo.name())) {
                throw new IllegalArgumentException("two SLOs are named " + slo.name());
            }
            snapshots.add(new Snapshot(slo.name(), slo.cumulative(), slo.status()));
        }
        if (snapshots.isEmpty()) {
            return;
        }
        family(out, EVENTS_TOTAL, "counter", "Events counted by the SLO since it was created (excluded requests"
                + " are not events).");
        for (Snapshot s : snapshots) {
            sample(out, EVENTS_TOTAL, s.name, s.cumulative.total());
        }
        family(out, GOOD_EVENTS_TOTAL, "counter", "Good events counted by the SLO since it was created.");
        for (Snapshot s : snapshots) {
            sample(out, GOOD_EVENTS_TOTAL, s.name, s.cumulative.good());
        }
        family(out, OBJECTIVE, "gauge", "The fraction of events that must be good.");
        for (Snapshot s : snapshots) {
            sample(out, OBJECTIVE, s.name, s.status.objective().doubleValue());
        }
        family(out, BUDGET_REMAINING, "gauge", "The fraction of the error budget left over the SLO's window in"
                + " this process: 1 untouched, 0 spent, negative overspent.");
        for (Snapshot s : snapshots) {
            sample(out, BUDGET_REMAINING, s.name, s.status.budgetRemaining());
        }
        family(out, BUDGET_REMAINING_EVENTS, "gauge", "The bad events the error budget still allows over the"
                + " SLO's window in this process.");
        for (Snapshot s : snapshots) {
            sample(out, BUDGET_REMAINING_EVENTS, s.name, s.status.budgetRemainingEvents());
        }
        writeBurnRates(out, snapshots);
        writeAlerts(out, snapshots);
    }

    /** Returns {@code slos} in the format, as {@link #write(Collection, Appendable)} writes them. */
    public static String toText(Collection<Slo> slos) {
        StringBuilder text = new StringBuilder();
        try {
            write(slos, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder does not throw
        }
        return text.toString();
    }

    private static void writeBurnRates(Appendable out, List<Snapshot> snapshots) throws IOException {
        boolean started = false;
        for (Snapshot s : snapshots) {
            // one series per distinct window, shortest first; an alert's two windows give its two rates
            TreeSet<Duration> windows = new TreeSet<>();
            for (SloStatus.AlertStatus a : s.status.alerts()) {
                windows.add(a.alert().longWindow());
                windows.add(a.alert().shortWindow());
            }
            for (Duration w : windows) {
                if (!started) {
                    family(out, BURN_RATE, "gauge", "The rate at which the error budget burns over the window in"
                            + " this process: the bad fraction divided by (1 - objective).");
                    started = true;
                }
                out.append(BURN_RATE).append("{slo=\"").append(escapeLabelValue(s.name))
                        .append("\",window=\"").append(escapeLabelValue(BurnRateAlert.label(w))).append("\"} ")
                        .append(number(burnRate(s.status, w))).append('\n');
            }
        }
    }

    private static double burnRate(SloStatus status, Duration window) {
        for (SloStatus.AlertStatus a : status.alerts()) {
            if (a.alert().longWindow().equals(window)) {
                return a.longBurnRate();
            }
            if (a.alert().shortWindow().equals(window)) {
                return a.shortBurnRate();
            }
        }
        throw new IllegalStateException("no alert of " + status.name() + " has the window " + window);
    }

    private static void writeAlerts(Appendable out, List<Snapshot> snapshots) throws IOException {
        boolean started = false;
        for (Snapshot s : snapshots) {
            for (SloStatus.AlertStatus a : s.status.alerts()) {
                if (!started) {
                    family(out, ALERT_FIRING, "gauge", "1 while the burn-rate alert fires in this process, else 0.");
                    started = true;
                }
                out.append(ALERT_FIRING).append("{slo=\"").append(escapeLabelValue(s.name))
                        .append("\",alert=\"").append(escapeLabelValue(a.alert().name()))
                        .append("\",severity=\"").append(escapeLabelValue(a.alert().severity())).append("\"} ")
                        .append(a.firing() ? "1" : "0").append('\n');
            }
        }
    }

    private static void family(Appendable out, String name, String type, String help) throws IOException {
        out.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(Appendable out, String name, String slo, double value) throws IOException {
        out.append(name).append("{slo=\"").append(escapeLabelValue(slo)).append("\"} ").append(number(value))
                .append('\n');
    }

    /** Escapes a label value of the text format: backslash, double quote and line feed. */
    static String escapeLabelValue(String value) {
        StringBuilder b = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** Escapes a HELP text of the text format: backslash and line feed. */
    static String escapeHelp(String text) {
        return text.replace("\\", "\\\\").replace("\n", "\\n");
    }

    /** Formats a sample value: whole numbers without a fraction, {@code NaN}, {@code +Inf}, {@code -Inf}. */
    static String number(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    private record Snapshot(String name, EventCounts cumulative, SloStatus status) {
    }
}
