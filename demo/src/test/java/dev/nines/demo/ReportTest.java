package dev.nines.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.Priority;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        assertTrue(count(html, "<svg") >= 11, "two charts per golden signal, availability and the timeline");
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
        assertTrue(Files.readString(out.resolve(ReportFiles.MARKDOWN)).startsWith("# nines game day: spike"));
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
