package dev.nines.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.benchmarks.report.OverloadSimulator.Point;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Overload scenarios from a properties file, and the report section drawn from them. */
class OverloadSectionTest {

    @TempDir
    Path dir;

    /**
     * A stand-in simulator with a closed form: goodput min(load, 1); a priority succeeds fully
     * while the load stays under its share, then in proportion share / load.
     */
    private static final OverloadSimulator STUB = settings -> {
        List<Double> shares = new OverloadScenario("stub", "", settings).doubles("shares");
        List<Point> points = new ArrayList<>();
        for (double load : new OverloadScenario("stub", "", settings).loads()) {
            List<Double> success = shares.stream().map(s -> Math.min(1.0, s / load)).toList();
            points.add(new Point("adaptive limit", load, Math.min(load, 1.0), success));
            points.add(new Point("no shedding", load, load <= 1 ? load : 1 / load, List.of(0.5, 0.5, 0.5, 0.5)));
        }
        return points;
    };

    private static List<OverloadScenario> scenarios(String text) throws Exception {
        Properties props = new Properties();
        props.load(new StringReader(text));
        return OverloadScenario.of(props);
    }

    @Test
    void scenarioKeysOverrideTopLevelKeys() throws Exception {
        List<OverloadScenario> s = scenarios("""
                scenarios = base, strict
                loads = 1, 2
                shares = 1.0, 0.9, 0.7, 0.5
                base.description = defaults
                strict.shares = 1.0, 0.8, 0.5, 0.3
                strict.loads = 2, 4
                """);
        assertEquals(List.of("base", "strict"), s.stream().map(OverloadScenario::name).toList());
        assertEquals("defaults", s.get(0).description());
        assertEquals(Map.of("loads", "1, 2", "shares", "1.0, 0.9, 0.7, 0.5"), s.get(0).settings());
        assertEquals(List.of(2.0, 4.0), s.get(1).loads());
        assertEquals(List.of(1.0, 0.8, 0.5, 0.3), s.get(1).doubles("shares"));
    }

    @Test
    void badScenarioFilesFailNamingKeyAndValue() {
        assertEquals("scenarios must name at least one scenario but was empty",
                assertThrows(IllegalArgumentException.class, () -> scenarios("loads = 1")).getMessage());
        assertEquals("a.loads must be set",
                assertThrows(IllegalArgumentException.class, () -> scenarios("scenarios = a")).getMessage());
        assertEquals("a.loads must be numbers separated by commas but was 1, x", assertThrows(
                IllegalArgumentException.class, () -> scenarios("scenarios = a\nloads = 1, x")).getMessage());
        assertEquals("a.loads must all be > 0 but held 0.0", assertThrows(
                IllegalArgumentException.class, () -> scenarios("scenarios = a\nloads = 0, 1")).getMessage());
    }

    @Test
    void reportShowsEveryScenarioWithTablesAndCharts() throws Exception {
        Path props = dir.resolve("overload.properties");
        Files.writeString(props, """
                scenarios = configured, strict
                loads = 0.5, 1, 2, 4
                shares = 1.0, 0.9, 0.7, 0.5
                strict.description = P3 shed earlier
                strict.shares = 1.0, 0.8, 0.5, 0.25
                """);
        Path out = dir.resolve("report");
        Report.write(Report.Options.parse(new String[] {"--out", out.toString(), "--overload", props.toString()}),
                Optional.of(STUB));

        String md = Files.readString(out.resolve("report.md"), StandardCharsets.UTF_8);
        // comparison at 2x and at the highest load: P3 gets share / load
        assertTrue(md.contains("| configured | adaptive limit | 4× | 1.00 | 25.0% | 22.5% | 17.5% | 12.5% |"), md);
        assertTrue(md.contains("| strict | adaptive limit | 4× | 1.00 | 25.0% | 20.0% | 12.5% | 6.3% |"), md);
        assertTrue(md.contains("| strict | adaptive limit | 2× | 1.00 | 50.0% | 40.0% | 25.0% | 12.5% |"), md);
        assertTrue(md.contains("### Scenario strict\n\nP3 shed earlier"), md);
        assertTrue(md.contains("- `shares = 1.0, 0.8, 0.5, 0.25`"), md);
        assertTrue(md.contains("| 2× | 0.50 | 50.0% | 50.0% | 50.0% | 50.0% |"), md); // no shedding at 2x
        for (String chart : List.of("overload-configured-goodput.svg", "overload-strict-adaptive-limit.svg",
                "overload-strict-no-shedding.svg")) {
            assertTrue(md.contains("(charts/" + chart + ")"), chart);
            String svg = Files.readString(out.resolve("charts").resolve(chart), StandardCharsets.UTF_8);
            assertTrue(svg.contains("<polyline"), chart);
        }
    }

    @Test
    void withoutASimulatorTheSectionSaysSo() throws Exception {
        Path props = dir.resolve("overload.properties");
        Files.writeString(props, "scenarios = a\nloads = 1\n");
        Path out = dir.resolve("report");
        Report.write(Report.Options.parse(new String[] {"--out", out.toString(), "--overload", props.toString()}),
                Optional.empty());
        assertTrue(Files.readString(out.resolve("report.md"), StandardCharsets.UTF_8)
                .contains("Not simulated: no overload simulator is on the classpath."));
    }
}
