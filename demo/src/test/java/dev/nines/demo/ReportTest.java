package dev.nines.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.Priority;
import dev.nines.slo.Availability;
import dev.nines.slo.BurnRateAlert;
import dev.nines.slo.SloStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report model and writers, on a synthetic game (no server, no clock). */
class ReportTest {

    private static final long S = 1_000_000_000L;

    private final GameConfig config = GameConfig.builder().scenario(Scenario.SPIKE).runLength(Duration.ofSeconds(4))
            .build();

    /** A run where {@code failEvery}-th P0 request times out and the rest are served in 30 ms. */
    private RunResult run(String label, boolean nines, int failEvery) {
        Script script = config.script();
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            Priority p = Priority.ofLevel(i % 4);
            long sent = i * 10_000_000L;
            Result r = p == Priority.P0 && failEvery > 0 && i % (4 * failEvery) == 0 ? Result.TIMEOUT
                    : p == Priority.P3 && nines && i % 8 == 3 ? Result.SHED : Result.OK;
            samples.add(new Sample(sent, r == Result.TIMEOUT ? S : 30_000_000L, p, false, r));
        }
        samples.add(new Sample(S, 1_000_000L, Priority.P2, true, Result.RATE_LIMITED));
        List<Tick> ticks = new ArrayList<>();
        for (int s = 0; s < 5; s++) {
            ticks.add(new Tick(s, "spike", 4, nines ? 2 : 100 * s, nines ? 10 : -1, nines ? 12 : -1,
                    nines ? "REDUCED" : "-", nines ? Map.of("catalog", "CLOSED") : Map.of()));
        }
        List<RunResult.StateChange> changes = nines ? List.of(new RunResult.StateChange(S, "tier", "FULL", "REDUCED"),
                new RunResult.StateChange(2 * S, "catalog", "CLOSED", "OPEN")) : List.of();
        return new RunResult(label, nines, script, samples, ticks, changes, 123, Map.of("fallback answers", 5L),
                nines ? "{\"status\":\"UP\"}" : "");
    }

    private GameReport game() {
        return new GameReport(config, new RunReport(run("nines", true, 0), config),
                new RunReport(run("none", false, 2), config));
    }

    @Test
    void availabilityCountsServedRequestsOfWellBehavedClients() {
        GameReport g = game();
        assertEquals(100.0, g.nines().stats(Priority.P0).availability(), 1e-9);
        assertEquals(50.0, g.none().stats(Priority.P0).availability(), 1e-9);
        assertEquals(50.0, g.nines().stats(Priority.P3).availability(), 1e-9);
        assertEquals(1, g.nines().abuser().count(Result.RATE_LIMITED));
        assertEquals(400, g.nines().total().sent(), "the abusive client is counted apart");
    }

    @Test
    void budgetBurnedIsTheShareOfTheErrorBudgetUsed() {
        RunReport.Stats p0 = game().none().stats(Priority.P0);
        assertEquals(50.0 / 0.1 * 100, p0.budgetBurned(99.9), 1e-6);
        assertEquals(0.0, game().nines().stats(Priority.P0).budgetBurned(99.9), 1e-9);
    }

    @Test
    void latencyPercentilesAreOfServedRequests() {
        RunReport.Stats p0 = game().none().stats(Priority.P0);
        assertEquals(30.0, p0.latencyMillis(0.99), 1e-9);
        assertTrue(Double.isNaN(new RunReport.Stats().latencyMillis(0.5)));
    }

    @Test
    void htmlIsSelfContainedWithInlineSvgCharts() {
        String html = HtmlReport.render(game());
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertFalse(html.contains("http://"), "no http resources");
        assertFalse(html.contains("https://"), "no https resources");
        assertFalse(html.contains("<script"), "no scripts");
        assertFalse(Pattern.compile("\\b(src|href)\\s*=").matcher(html).find(), "no links to load");
        assertFalse(html.contains("url("), "no CSS resources");
        assertTrue(count(html, "<svg") >= 19, "two charts per golden signal, availability, burn rates and the timeline");
        assertEquals(count(html, "<svg"), count(html, "</svg>"));
        assertTrue(html.contains("<polyline"), "charts have lines");
        assertTrue(html.contains("Breakers and tier"));
        assertTrue(html.contains("50.00%"), "the unprotected P0 availability");
        assertTrue(html.endsWith("</html>\n"));
    }

    @Test
    void markdownHasTheSloTableBothRunsAndTheChanges() {
        String md = MarkdownReport.render(game());
        assertTrue(md.contains("| P0 | `/checkout` | 99.9% | 100.00% ✅ | 0% | 50.00% ❌ | 50000% |"), md);
        assertTrue(md.contains("| none | abusive client | 1 | 0 | 0 | 0 | 1 | 0 | 0 |"), md);
        assertTrue(md.contains("catalog   CLOSED -> OPEN"), md);
        assertTrue(md.contains("## Latency of served requests (ms)"));
    }

    @Test
    void bothFilesAreWritten(@TempDir Path dir) throws Exception {
        Path out = ReportFiles.write(game(), dir.resolve("nested"));
        assertTrue(Files.readString(out.resolve(ReportFiles.HTML)).contains("<svg"));
        String md = Files.readString(out.resolve(ReportFiles.MARKDOWN));
        assertTrue(md.startsWith("# nines game day: spike"));
        for (Priority p : Priority.values()) {
            for (String run : new String[] {"nines", "none"}) {
                String chart = BurnRateCharts.fileName(p, run);
                assertTrue(md.contains("](" + chart + ")"), "the Markdown shows " + chart);
                assertTrue(Files.readString(out.resolve(chart)).startsWith("<svg"), chart + " is written beside it");
            }
        }
    }

    @Test
    void theSloTableShowsTheFiguresOfNinesSloWhichEqualTheGameDaysOwnCounts() {
        GameReport g = game();
        String md = MarkdownReport.render(g);
        String html = HtmlReport.render(g);
        for (Priority p : Priority.values()) {
            double objective = RunReport.SLO.get(p);
            SloStatus a = g.nines().slos().status(p);
            SloStatus b = g.none().slos().status(p);
            for (RunReport run : new RunReport[] {g.nines(), g.none()}) {
                SloStatus status = run.slos().status(p);
                RunReport.Stats stats = run.stats(p);
                String where = run.label() + " " + p;
                assertEquals(stats.sent(), status.total(), where + ": every well-behaved request, no abusive one");
                assertEquals(stats.served(), status.good(), where);
                assertEquals(stats.availability(), 100 * status.attainment(), 1e-9, where);
                assertEquals(stats.budgetBurned(objective), 100 * (1 - status.budgetRemaining()), 1e-6, where);
                assertEquals(0, Availability.parse(objective + "%").compareTo(status.objective()), where);
            }
            String row = String.format(Locale.ROOT, "| %s | `%s` | %.1f%% | %.2f%% %s | %.0f%% | %.2f%% %s | %.0f%% |", p,
                    Endpoint.of(p).path(), objective, 100 * a.attainment(), a.budgetRemaining() >= 0 ? "✅" : "❌",
                    100 * (1 - a.budgetRemaining()), 100 * b.attainment(), b.budgetRemaining() >= 0 ? "✅" : "❌",
                    100 * (1 - b.budgetRemaining()));
            assertTrue(md.contains(row), row + "\n" + md);
            assertTrue(html.contains(String.format(Locale.ROOT, "<td>%.1f%%</td><td class='%s'>%.2f%%</td>", objective,
                    a.budgetRemaining() >= 0 ? "ok" : "bad", 100 * a.attainment())), p + " in the HTML table");
        }
        assertEquals(100, g.nines().slos().status(Priority.P2).total(), "the abusive client's P2 429 is not counted");
        assertEquals(0, g.nines().slos().status(Priority.P2).bad());
    }

    @Test
    void theAlertTableIsTheWorkbooksWithEveryWindowDividedByTheTimeScale() {
        assertEquals(List.of(
                new BurnRateAlert("page-fast", "page", 14.4, Duration.ofSeconds(3), Duration.ofMillis(250)),
                new BurnRateAlert("page-slow", "page", 6, Duration.ofSeconds(18), Duration.ofMillis(1500)),
                new BurnRateAlert("ticket", "ticket", 1, Duration.ofSeconds(216), Duration.ofSeconds(18))),
                RunSlos.ALERTS);
        assertEquals(Duration.ofMinutes(36), RunSlos.WINDOW, "the workbook's 30 days, scaled");
        assertTrue(RunSlos.WINDOW.compareTo(Duration.ofMinutes(30).plus(config.clientTimeout).plusSeconds(2)) > 0,
                "the longest run allowed (30 min) is one budget window");
        String md = MarkdownReport.render(game());
        assertTrue(md.contains("| page-fast | page | 14.4× | 3 s | 0.25 s | 1 h / 5 min |"), md);
        assertTrue(md.contains("| ticket | ticket | 1× | 216 s | 18 s | 3 d / 6 h |"), md);
    }

    @Test
    void eachBurnRateIsTheBadShareOfItsLongWindowOverTheShareTheObjectiveAllows() {
        GameReport g = game();
        for (RunReport run : new RunReport[] {g.nines(), g.none()}) {
            for (Priority p : Priority.values()) {
                double allowed = 1 - RunReport.SLO.get(p) / 100;
                for (int a = 0; a < RunSlos.ALERTS.size(); a++) {
                    long window = RunSlos.ALERTS.get(a).longWindow().toNanos();
                    double[] curve = run.slos().longBurnRate(p, a);
                    assertEquals(run.slos().steps(), curve.length);
                    for (int k = 0; k < curve.length; k++) {
                        long end = (k + 1) * 250_000_000L;
                        long total = 0;
                        long bad = 0;
                        for (Sample s : run.result().samples()) {
                            if (!s.abuser() && s.priority() == p && s.doneNanos() < end && s.doneNanos() >= end - window) {
                                total++;
                                bad += s.result().served() ? 0 : 1;
                            }
                        }
                        double expected = total == 0 ? 0 : bad / (double) total / allowed;
                        assertEquals(expected, curve[k], 1e-9 * Math.max(1, expected),
                                run.label() + " " + p + " " + RunSlos.ALERTS.get(a).name() + " at " + end / 1e9 + " s");
                    }
                }
            }
        }
    }

    @Test
    void alertsFireWhereTheBudgetBurnsFastEnoughAndOnlyThere() {
        GameReport g = game();
        // half of the unprotected run's P0 requests time out: 500x, far past every threshold
        assertFalse(g.none().slos().firedDuring(Priority.P0, 0).isEmpty(), "page-fast fires without nines");
        assertTrue(List.of(g.none().slos().states(Priority.P0)).contains("page"));
        // every P0 request of the protected run is served: no alert, ever
        for (int a = 0; a < RunSlos.ALERTS.size(); a++) {
            assertTrue(g.nines().slos().firedDuring(Priority.P0, a).isEmpty(), RunSlos.ALERTS.get(a).name());
        }
        assertEquals(Set.of("ok"), new HashSet<>(List.of(g.nines().slos().states(Priority.P0))));
        // half of P3 shed against a 95% objective burns at 10x: past page-slow's 6, short of page-fast's 14.4
        assertTrue(g.nines().slos().firedDuring(Priority.P3, 0).isEmpty(), "page-fast stays quiet at 10x");
        assertFalse(g.nines().slos().firedDuring(Priority.P3, 1).isEmpty(), "page-slow fires at 10x");
        assertTrue(List.of(g.nines().slos().states(Priority.P3)).contains("page"));
        // the requests stop at 4 s: by the end (6 s) page-slow's 1.5 s window is empty and it cleared, while
        // the ticket's 18 s window still holds them
        assertTrue(g.nines().slos().firedDuring(Priority.P3, 1).get(0).cleared());
        assertEquals("ticket", g.nines().slos().status(Priority.P3).state());
        String md = MarkdownReport.render(g);
        assertTrue(md.contains("| page-fast | never | "), md);
    }

    @Test
    void burnRateChartsDrawTheThresholdsOnALogScaleWithTheLegendBelowTheTitle() {
        GameReport g = game();
        String html = HtmlReport.render(g);
        String chart = BurnRateCharts.chart(g.none(), "without nines", Priority.P0, 6, config.script().phases());
        assertTrue(chart.contains(">page-fast 14.4×</text>") && chart.contains(">page-slow 6×</text>")
                && chart.contains(">ticket 1×</text>"), chart);
        assertTrue(chart.contains(">≤ 0.1×</text>") && chart.contains(">1000×</text>"),
                "P0 (99.9%) can burn at up to 1000x: the scale runs from 0.1 to 1000");
        assertEquals(1000, BurnRateCharts.yMax(Priority.P0));
        assertEquals(100, BurnRateCharts.yMax(Priority.P3), "95%: at most 20x");
        assertTrue(html.contains(chart), "the HTML shows the same chart");
        assertTrue(count(html, "<svg") >= 19, "and one per priority and run");
        // the title has its own row: no legend entry shares its baseline, however long the title
        Matcher svg = Pattern.compile("<svg.*?</svg>").matcher(html);
        int charts = 0;
        while (svg.find()) {
            charts++;
            assertEquals(1, count(svg.group(), "y='" + Svg.TITLE_Y + "'"), "only the title on the title's row: "
                    + svg.group().substring(0, Math.min(300, svg.group().length())));
        }
        assertTrue(charts >= 19);
    }

    private static int count(String text, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
