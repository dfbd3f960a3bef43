package dev.nines.demo;

import static dev.nines.demo.MarkdownReport.burned;
import static dev.nines.demo.MarkdownReport.fmt;
import static dev.nines.demo.MarkdownReport.ms;
import static dev.nines.demo.MarkdownReport.pct;
import static dev.nines.demo.Svg.esc;

import dev.nines.Priority;
import dev.nines.slo.SloStatus;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the game day's HTML report: one self-contained page (inline CSS and SVG, no scripts, no
 * external resources) with the SLO table, latency percentiles, the four golden signals over time
 * for both runs side by side on the same scales, availability per priority over time, the error
 * budget burn rate per priority with the alert thresholds, and the breaker and tier timeline.
 */
final class HtmlReport {

    private static final Map<Priority, String> PRIORITY_COLORS = new EnumMap<>(Map.of(Priority.P0, "#1565c0",
            Priority.P1, "#2e7d32", Priority.P2, "#ef6c00", Priority.P3, "#8e24aa"));
    private static final Map<String, String> STATE_COLORS = Map.of("CLOSED", "#81c784", "HALF_OPEN", "#ffb74d",
            "OPEN", "#e57373", "FORCED_OPEN", "#c62828", "DISABLED", "#bdbdbd", "FULL", "#81c784", "REDUCED",
            "#fff176", "ESSENTIAL", "#ffb74d", "CRITICAL_ONLY", "#e57373");

    private HtmlReport() {
    }

    /** The whole page. */
    static String render(GameReport r) {
        StringBuilder s = new StringBuilder();
        s.append("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>");
        s.append("<title>nines game day: ").append(esc(r.config().scenario.flag())).append("</title>");
        s.append("<style>body{font-family:sans-serif;margin:24px;max-width:1120px;color:#222}"
                + "table{border-collapse:collapse;margin:8px 0 16px}td,th{border:1px solid #ccc;padding:3px 8px;"
                + "text-align:right}th{background:#f0f0f0}td:first-child,th:first-child{text-align:left}"
                + ".pair{display:flex;gap:16px;flex-wrap:wrap}.pair figure{margin:0}"
                + "figcaption{font-size:12px;color:#555}.ok{color:#2e7d32}.bad{color:#c62828}"
                + "pre{background:#f6f6f6;padding:8px;overflow:auto;font-size:12px}</style></head><body>\n");
        s.append("<h1>nines game day: ").append(esc(r.config().scenario.flag())).append("</h1>\n");
        s.append("<p>").append(esc(MarkdownReport.setup(r.config()))).append("</p>\n");
        slo(s, r);
        latency(s, r);
        signals(s, r);
        burnRates(s, r);
        timeline(s, r);
        outcomes(s, r);
        s.append("<h2>nines at work (protected run)</h2><ul>");
        r.nines().result().counters().forEach((k, v) -> s.append("<li>").append(esc(k)).append(": ").append(v)
                .append("</li>"));
        s.append(fmt("<li>calls that reached the catalog: %d with nines, %d without</li></ul>",
                r.nines().result().catalogCalls(), r.none().result().catalogCalls()));
        s.append("<p>The shop's <code>/health</code> at the end of the protected run:</p><pre>")
                .append(esc(r.nines().result().health())).append("</pre>\n");
        s.append("</body></html>\n");
        return s.toString();
    }

    private static void slo(StringBuilder s, GameReport r) {
        s.append("<h2>Availability against the SLO</h2><p>Share of the well-behaved clients' requests that got an "
                + "answer (200, fresh or degraded). Budget burned: the share of the error budget used up; over "
                + "100% misses the SLO.</p>");
        s.append("<table><tr><th>priority</th><th>endpoint</th><th>SLO</th><th>nines</th><th>budget burned</th>"
                + "<th>without nines</th><th>budget burned</th></tr>");
        for (Priority p : Priority.values()) {
            SloStatus a = r.nines().slos().status(p);
            SloStatus b = r.none().slos().status(p);
            s.append(fmt("<tr><td>%s</td><td>%s</td><td>%.1f%%</td>%s<td>%s</td>%s<td>%s</td></tr>", p,
                    Endpoint.of(p).path(), RunReport.SLO.get(p), cell(a), burned(MarkdownReport.budgetBurned(a)),
                    cell(b), burned(MarkdownReport.budgetBurned(b))));
        }
        s.append("</table>\n");
    }

    private static String cell(SloStatus status) {
        return "<td class='" + (MarkdownReport.met(status) ? "ok" : "bad") + "'>"
                + pct(MarkdownReport.attainment(status)) + "</td>";
    }

    private static void burnRates(StringBuilder s, GameReport r) {
        s.append("<h2>Error budget burn rate</h2><p>").append(esc(BurnRateCharts.explanation())).append("</p>");
        s.append("<table><tr><th>alert</th><th>severity</th><th>burn rate</th><th>long window</th>"
                + "<th>short window</th><th>the workbook's windows</th></tr>");
        for (String[] row : BurnRateCharts.alertRows()) {
            s.append("<tr>");
            for (String cell : row) {
                s.append("<td>").append(esc(cell)).append("</td>");
            }
            s.append("</tr>");
        }
        s.append("</table>\n");
        int seconds = Math.max(r.nines().seconds(), r.none().seconds());
        List<Phase> phases = r.nines().result().script().phases();
        for (Priority p : Priority.values()) {
            s.append("<div class='pair'>");
            for (RunReport run : new RunReport[] {r.nines(), r.none()}) {
                s.append("<figure>").append(BurnRateCharts.chart(run, run == r.nines() ? "nines" : "without nines", p,
                        seconds, phases)).append("</figure>");
            }
            s.append("</div>\n");
        }
    }

    private static void latency(StringBuilder s, GameReport r) {
        s.append("<h2>Latency of served requests (ms)</h2><table><tr><th>priority</th>");
        for (String run : new String[] {"nines", "without nines"}) {
            for (String q : new String[] {"p50", "p90", "p99", "p99.9"}) {
                s.append("<th>").append(run).append(' ').append(q).append("</th>");
            }
        }
        s.append("</tr>");
        for (Priority p : Priority.values()) {
            s.append("<tr><td>").append(p).append("</td>");
            for (RunReport run : new RunReport[] {r.nines(), r.none()}) {
                for (double q : new double[] {0.5, 0.9, 0.99, 0.999}) {
                    s.append("<td>").append(ms(run.stats(p).latencyMillis(q))).append("</td>");
                }
            }
            s.append("</tr>");
        }
        s.append("</table>\n");
    }

    private static void signals(StringBuilder s, GameReport r) {
        s.append("<h2>The four golden signals</h2><p>Left: with nines. Right: the same shop without. Same scales; "
                + "the script's phases are shaded. Results count in the second they ended.</p>\n");
        int seconds = Math.max(r.nines().seconds(), r.none().seconds());
        pair(s, r, seconds, "Traffic (requests/s)", "req/s", 10, run -> List.of(
                new Svg.Line("offered", "#90a4ae", run.series().offered),
                new Svg.Line("served", "#2e7d32", run.series().served),
                new Svg.Line("degraded", "#f9a825", run.series().degraded)));
        pair(s, r, seconds, "Errors (requests/s)", "req/s", 10, run -> List.of(
                new Svg.Line("shed 503", "#ef6c00", run.series().shed),
                new Svg.Line("429", "#8e24aa", run.series().rateLimited),
                new Svg.Line("failed/timed out", "#c62828", run.series().failed)));
        pair(s, r, seconds, "Latency of served requests (ms)", "ms", 50, run -> List.of(
                new Svg.Line("p50", "#1565c0", run.series().p50),
                new Svg.Line("p99", "#c62828", run.series().p99)));
        pair(s, r, seconds, "Saturation: requests waiting for a thread", "requests", 10, run -> List.of(
                new Svg.Line("queued", "#6d4c41", tick(run, TickField.QUEUED)),
                new Svg.Line("busy workers", "#1565c0", tick(run, TickField.BUSY)),
                new Svg.Line("shedder limit", "#9e9e9e", tick(run, TickField.LIMIT))));
        List<Priority> ps = List.of(Priority.values());
        pair(s, r, seconds, "Availability per priority (% of requests ended)", "%", 100, run -> {
            List<Svg.Line> lines = new ArrayList<>();
            for (Priority p : ps) {
                lines.add(new Svg.Line(p.name(), PRIORITY_COLORS.get(p), run.series().successRate.get(p)));
            }
            return lines;
        });
    }

    private enum TickField { QUEUED, BUSY, LIMIT }

    private static double[] tick(RunReport run, TickField field) {
        double[] v = new double[run.seconds()];
        java.util.Arrays.fill(v, Double.NaN);
        for (Tick t : run.result().ticks()) {
            if (t.second() < v.length) {
                int value = field == TickField.QUEUED ? t.queued() : field == TickField.BUSY ? t.busy() : t.limit();
                v[t.second()] = value < 0 ? Double.NaN : value;
            }
        }
        return v;
    }

    private static void pair(StringBuilder s, GameReport r, int seconds, String title, String unit, double floor,
            java.util.function.Function<RunReport, List<Svg.Line>> lines) {
        List<Svg.Line> a = lines.apply(r.nines());
        List<Svg.Line> b = lines.apply(r.none());
        List<Svg.Line> both = new ArrayList<>(a);
        both.addAll(b);
        double max = Svg.niceMax(floor, both);
        List<Phase> phases = r.nines().result().script().phases();
        s.append("<div class='pair'>");
        s.append("<figure>").append(Svg.lineChart(title + ", nines", unit, a, max, seconds, phases))
                .append("</figure>");
        s.append("<figure>").append(Svg.lineChart(title + ", without nines", unit, b, max, seconds, phases))
                .append("</figure>");
        s.append("</div>\n");
    }

    private static void timeline(StringBuilder s, GameReport r) {
        RunResult run = r.nines().result();
        int seconds = r.nines().seconds();
        List<Svg.Row> rows = new ArrayList<>();
        rows.add(row("tier", "FULL", run, seconds));
        for (String dep : new String[] {Downstream.PAYMENTS, Downstream.INVENTORY, Downstream.CATALOG}) {
            rows.add(row(dep, "CLOSED", run, seconds));
        }
        s.append("<h2>Breakers and degradation tier (with nines)</h2><p>Green: closed / full service; yellow: "
                + "reduced (P3 shed); orange: half-open / essential only (P2 and P3 shed); red: open / critical only."
                + " The unprotected shop has neither: it serves everything it can, as long as it takes.</p>");
        s.append(Svg.timeline("Breakers and tier, nines", rows, seconds, run.script().phases())).append('\n');
    }

    private static Svg.Row row(String what, String initial, RunResult run, int seconds) {
        List<Svg.Band> bands = new ArrayList<>();
        double from = 0;
        String state = initial;
        for (RunResult.StateChange c : run.changes()) {
            if (c.what().equals(what)) {
                double at = c.atNanos() / 1e9;
                bands.add(new Svg.Band(from, at, state, STATE_COLORS.getOrDefault(state, "#bdbdbd")));
                from = at;
                state = c.to();
            }
        }
        bands.add(new Svg.Band(from, seconds, state, STATE_COLORS.getOrDefault(state, "#bdbdbd")));
        return new Svg.Row(what, bands);
    }

    private static void outcomes(StringBuilder s, GameReport r) {
        s.append("<h2>What happened to every request</h2><table><tr><th>run</th><th>client</th><th>sent</th>"
                + "<th>ok</th><th>degraded</th><th>shed (503)</th><th>rate-limited (429)</th><th>errors</th>"
                + "<th>timeouts</th></tr>");
        for (RunReport run : new RunReport[] {r.nines(), r.none()}) {
            for (Priority p : Priority.values()) {
                outcomeRow(s, run.label(), p + " " + Endpoint.of(p).path(), run.stats(p));
            }
            outcomeRow(s, run.label(), "abusive client", run.abuser());
        }
        s.append("</table>\n<h2>The script (each run)</h2><table><tr><th>phase</th><th>from</th><th>to</th>"
                + "<th>legitimate load</th><th>abusive client</th><th>catalog</th></tr>");
        GameConfig c = r.config();
        for (Phase p : r.nines().result().script().phases()) {
            s.append(fmt("<tr><td>%s</td><td>%.1f s</td><td>%.1f s</td><td>%.0f req/s</td><td>%s</td><td>%s</td>"
                    + "</tr>", esc(p.name()), p.startNanos() / 1e9, p.endNanos() / 1e9, c.normalRate * p.load(),
                    p.abuse() ? fmt("%.0f req/s", c.abuseRate) : "-", p.catalog().name().toLowerCase(
                            java.util.Locale.ROOT)));
        }
        s.append("</table>\n");
    }

    private static void outcomeRow(StringBuilder s, String run, String who, RunReport.Stats st) {
        s.append(fmt("<tr><td>%s</td><td>%s</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td>"
                + "<td>%d</td></tr>", run, esc(who), st.sent(), st.count(Result.OK), st.count(Result.DEGRADED),
                st.count(Result.SHED), st.count(Result.RATE_LIMITED), st.count(Result.ERROR),
                st.count(Result.TIMEOUT)));
    }
}
