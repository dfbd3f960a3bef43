package dev.nines.demo;

import dev.nines.Priority;
import dev.nines.slo.SloStatus;
import java.util.Locale;
import java.util.Map;

/** Writes the game day's Markdown summary, and the short headline printed at the end of a run. */
final class MarkdownReport {

    private MarkdownReport() {
    }

    /** The availability table and verdict printed on the console when the game ends. */
    static String headline(GameReport r) {
        StringBuilder s = new StringBuilder();
        s.append("Availability of well-behaved clients' requests (SLO; with nines | without):\n");
        for (Priority p : Priority.values()) {
            RunReport.Stats a = r.nines().stats(p);
            RunReport.Stats b = r.none().stats(p);
            s.append(fmt("  %s %-17s SLO %5.1f%%   nines %7.2f%% (p99 %s)   none %7.2f%% (p99 %s)%n",
                    p, Endpoint.of(p).path(), RunReport.SLO.get(p), attainment(r.nines().slos().status(p)),
                    ms(a.latencyMillis(0.99)), attainment(r.none().slos().status(p)), ms(b.latencyMillis(0.99))));
        }
        RunReport.Stats abuseA = r.nines().abuser();
        RunReport.Stats abuseB = r.none().abuser();
        if (abuseA.sent() + abuseB.sent() > 0) {
            s.append(fmt("  abusive client: nines served %d of %d (%d rate-limited); none served %d of %d%n",
                    abuseA.served(), abuseA.sent(), abuseA.count(Result.RATE_LIMITED), abuseB.served(), abuseB.sent()));
        }
        return s.toString();
    }

    /** The whole summary. */
    static String render(GameReport r) {
        GameConfig c = r.config();
        StringBuilder s = new StringBuilder();
        s.append("# nines game day: ").append(c.scenario.flag()).append("\n\n");
        s.append(setup(c)).append("\n\n");
        s.append("## Availability against the SLO\n\n");
        s.append("Well-behaved clients' requests that got an answer (200, fresh or degraded); shed, rate-limited, ")
                .append("failed and timed-out requests count against it. Budget burned: the share of the SLO's error ")
                .append("budget this run used up (over 100% means the SLO was missed). Computed by nines-slo, one ")
                .append("availability SLO per priority over the whole run (see the burn rates below).\n\n");
        s.append("| priority | endpoint | SLO | nines | budget burned | without nines | budget burned |\n");
        s.append("|---|---|---:|---:|---:|---:|---:|\n");
        for (Priority p : Priority.values()) {
            SloStatus a = r.nines().slos().status(p);
            SloStatus b = r.none().slos().status(p);
            s.append(fmt("| %s | `%s` | %.1f%% | %s | %s | %s | %s |%n", p, Endpoint.of(p).path(), RunReport.SLO.get(p),
                    pct(attainment(a)) + mark(met(a)), burned(budgetBurned(a)),
                    pct(attainment(b)) + mark(met(b)), burned(budgetBurned(b))));
        }
        burnRates(s, r);
        s.append("\n## Latency of served requests (ms)\n\n");
        s.append("| priority | nines p50 | p90 | p99 | p99.9 | without p50 | p90 | p99 | p99.9 |\n");
        s.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Priority p : Priority.values()) {
            RunReport.Stats a = r.nines().stats(p);
            RunReport.Stats b = r.none().stats(p);
            s.append(fmt("| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", p, ms(a.latencyMillis(0.5)),
                    ms(a.latencyMillis(0.9)), ms(a.latencyMillis(0.99)), ms(a.latencyMillis(0.999)),
                    ms(b.latencyMillis(0.5)), ms(b.latencyMillis(0.9)), ms(b.latencyMillis(0.99)),
                    ms(b.latencyMillis(0.999))));
        }
        s.append("\n## What happened to every request\n\n");
        s.append("| run | client | sent | ok | degraded | shed (503) | rate-limited (429) | errors | timeouts |\n");
        s.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (RunReport run : new RunReport[] {r.nines(), r.none()}) {
            for (Priority p : Priority.values()) {
                s.append(outcomes(run.label(), p + " " + Endpoint.of(p).path(), run.stats(p)));
            }
            s.append(outcomes(run.label(), "abusive client", run.abuser()));
        }
        s.append("\n## The script (each run)\n\n").append(script(r.nines().result().script(), c));
        s.append("\n## nines at work (protected run)\n\n");
        for (Map.Entry<String, Long> e : r.nines().result().counters().entrySet()) {
            s.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
        s.append(fmt("- calls that reached the catalog: %d with nines, %d without%n",
                r.nines().result().catalogCalls(), r.none().result().catalogCalls()));
        s.append("\nBreaker and tier changes (seconds from the start of the run):\n\n");
        int shown = 0;
        for (RunResult.StateChange ch : r.nines().result().changes()) {
            if (shown++ == 40) {
                s.append("- ... (").append(r.nines().result().changes().size() - 40).append(" more)\n");
                break;
            }
            s.append(fmt("- %6.2f s  %-9s %s -> %s%n", ch.atNanos() / 1e9, ch.what(), ch.from(), ch.to()));
        }
        if (r.nines().result().changes().isEmpty()) {
            s.append("- none\n");
        }
        s.append("\nThe HTML report beside this file has the charts: the four golden signals over time, ")
                .append("availability per priority, the error budget burn rates, and the breaker and tier timeline.\n");
        return s.toString();
    }

    /** The error-budget section: the scaled alert table, then per priority the charts and when each alert fired. */
    private static void burnRates(StringBuilder s, GameReport r) {
        s.append("\n## Error budget burn rate\n\n").append(BurnRateCharts.explanation()).append("\n\n");
        s.append("| alert | severity | burn rate | long window | short window | the workbook's windows |\n");
        s.append("|---|---|---:|---:|---:|---|\n");
        for (String[] row : BurnRateCharts.alertRows()) {
            s.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        for (Priority p : Priority.values()) {
            s.append(fmt("%n### %s `%s`, objective %.1f%%%n%n", p, Endpoint.of(p).path(), RunReport.SLO.get(p)));
            s.append(fmt("![%s burn rate, nines](%s) ![%s burn rate, without nines](%s)%n%n", p,
                    BurnRateCharts.fileName(p, r.nines().label()), p, BurnRateCharts.fileName(p, r.none().label())));
            s.append("| alert | fired with nines | fired without nines |\n|---|---|---|\n");
            for (int a = 0; a < RunSlos.ALERTS.size(); a++) {
                s.append(fmt("| %s | %s | %s |%n", RunSlos.ALERTS.get(a).name(), BurnRateCharts.fired(r.nines(), p, a),
                        BurnRateCharts.fired(r.none(), p, a)));
            }
        }
    }

    /** The share of good requests in percent, as nines-slo counted them. */
    static double attainment(SloStatus status) {
        return 100.0 * status.attainment();
    }

    /** The share of the error budget used, in percent: over 100 misses the SLO. */
    static double budgetBurned(SloStatus status) {
        return 100.0 * (1 - status.budgetRemaining());
    }

    /** Whether the SLO was met: no more than its budget failed. */
    static boolean met(SloStatus status) {
        return status.budgetRemaining() >= 0;
    }

    /** One paragraph on what was played. */
    static String setup(GameConfig c) {
        return fmt("Each run played the `%s` script for %d s: %s. The shop has %d workers × %d ms of service time "
                + "(+%d ms dependency latency), about %.0f requests/s; normal load is %.0f requests/s from %d clients, "
                + "the spike %.0f×, the abusive client %.0f requests/s; the client timeout is %d ms. With nines: "
                + "per-client rate limit %d/s, load shedder limit %d in flight (P3 admitted up to 35%%, P2 50%%, "
                + "P1 75%%, P0 100%%), and every dependency call through Fallback(Retry(CircuitBreaker(Timeout %d ms)))."
                + " Without nines: the same shop, a plain pool with an unbounded queue.",
                c.scenario.flag(), c.runLength.toSeconds(), c.scenario.description(), c.workers,
                c.serviceTime.toMillis(), c.dependencyLatency.toMillis(), c.capacity(), c.normalRate, c.clients,
                c.spikeFactor, c.abuseRate, c.clientTimeout.toMillis(), c.clientLimitPerSecond, c.shedderLimit,
                c.dependencyTimeout.toMillis());
    }

    private static String script(Script script, GameConfig c) {
        StringBuilder s = new StringBuilder("| phase | from | to | legitimate load | abusive client | catalog |\n");
        s.append("|---|---:|---:|---:|---|---|\n");
        for (Phase p : script.phases()) {
            s.append(fmt("| %s | %.1f s | %.1f s | %.0f req/s | %s | %s |%n", p.name(), p.startNanos() / 1e9,
                    p.endNanos() / 1e9, c.normalRate * p.load(), p.abuse() ? fmt("%.0f req/s", c.abuseRate) : "-",
                    p.catalog().name().toLowerCase(Locale.ROOT)));
        }
        return s.toString();
    }

    private static String outcomes(String run, String who, RunReport.Stats st) {
        return fmt("| %s | %s | %d | %d | %d | %d | %d | %d | %d |%n", run, who, st.sent(), st.count(Result.OK),
                st.count(Result.DEGRADED), st.count(Result.SHED), st.count(Result.RATE_LIMITED),
                st.count(Result.ERROR), st.count(Result.TIMEOUT));
    }

    static String pct(double v) {
        return fmt("%.2f%%", v);
    }

    static String ms(double v) {
        return Double.isNaN(v) ? "-" : v >= 100 ? fmt("%.0f", v) : fmt("%.1f", v);
    }

    static String burned(double v) {
        return fmt("%.0f%%", v);
    }

    private static String mark(boolean met) {
        return met ? " ✅" : " ❌";
    }

    static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
