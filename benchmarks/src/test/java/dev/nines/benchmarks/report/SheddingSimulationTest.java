package dev.nines.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.benchmarks.report.OverloadSimulator.Point;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report's adapter to the shedding module's simulator: settings in, points out. */
class SheddingSimulationTest {

    private static final Map<String, String> SHORT = Map.of(
            "loads", "0.5, 3", "warmup", "500ms", "measured", "PT1S", "workers", "50");

    private static Map<String, String> with(String key, String value) {
        Map<String, String> settings = new HashMap<>(SHORT);
        settings.put(key, value);
        return settings;
    }

    private static Point point(List<Point> points, String strategy, double load) {
        return points.stream().filter(p -> p.strategy().equals(strategy) && p.offeredLoad() == load).findFirst()
                .orElseThrow(() -> new AssertionError("no point " + strategy + " @" + load + " in " + points));
    }

    @Test
    void runsEveryStrategyAtEveryLoadDeterministically() {
        List<Point> points = new SheddingSimulation().run(SHORT);
        assertEquals(6, points.size());
        assertEquals(points, new SheddingSimulation().run(SHORT));
        // at 3x capacity, shedding keeps goodput near capacity and P0 ahead of P3; no shedding does not
        Point adaptive = point(points, "adaptive limit", 3.0);
        assertTrue(adaptive.goodput() > 0.8, adaptive.toString());
        assertTrue(adaptive.successByPriority().get(0) > adaptive.successByPriority().get(3), adaptive.toString());
        assertTrue(point(points, "no shedding", 3.0).goodput() < adaptive.goodput());
    }

    @Test
    void aThresholdInTheSettingsChangesTheResult() {
        Map<String, String> settings = with("strategies", "fixed");
        settings.put("fixedLimit", "10");
        Point small = point(new SheddingSimulation().run(settings), "fixed limit", 3.0);
        settings.put("fixedLimit", "50");
        Point full = point(new SheddingSimulation().run(settings), "fixed limit", 3.0);
        assertTrue(small.goodput() < 0.3 && full.goodput() > 0.8, small + " vs " + full);
    }

    @Test
    void theShedderSharesInTheSettingsChangeWhoIsShed() {
        Map<String, String> settings = with("strategies", "fixed");
        settings.put("fixedLimit", "50");
        Point narrow = point(new SheddingSimulation().run(settings), "fixed limit", 0.5);
        settings.put("shares", "1, 1, 1");
        Point flat = point(new SheddingSimulation().run(settings), "fixed limit", 0.5);
        // with every priority allowed the whole limit, P3 is no longer held to half of it
        assertTrue(flat.successByPriority().get(3) > narrow.successByPriority().get(3) + 0.05, narrow + " vs " + flat);
    }

    @Test
    void theCommittedScenarioFileHoldsOnlyKnownSettings() throws Exception {
        // the file a user edits to tune thresholds; a typo there would only show at report time
        java.nio.file.Path file = java.nio.file.Path.of("overload.properties");
        List<OverloadScenario> scenarios = OverloadScenario.load(file);
        assertTrue(scenarios.size() >= 2, "the configured thresholds and at least one alternative");
        for (OverloadScenario scenario : scenarios) {
            SheddingSimulation.checkKeys(scenario.settings());
            assertTrue(!scenario.loads().isEmpty(), scenario.name());
        }
    }

    @Test
    void unknownKeysAndBadValuesFailNamingThem() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> new SheddingSimulation().run(with("thresholds", "1, 0.9, 0.7, 0.5")));
        assertTrue(unknown.getMessage().startsWith("unknown overload settings [thresholds]; known: ["),
                unknown.getMessage());
        assertEquals("deadline must be a duration such as 500ms, 2s or PT2S but was soon", assertThrows(
                IllegalArgumentException.class, () -> new SheddingSimulation().run(with("deadline", "soon")))
                .getMessage());
        assertEquals("strategies must list adaptive, fixed or none but was adaptive, magic", assertThrows(
                IllegalArgumentException.class,
                () -> new SheddingSimulation().run(with("strategies", "adaptive, magic"))).getMessage());
        assertEquals("shares must hold 3 shares (P1, P2, P3) but was 1, 0.9, 0.7, 0.5", assertThrows(
                IllegalArgumentException.class,
                () -> new SheddingSimulation().run(with("shares", "1, 0.9, 0.7, 0.5"))).getMessage());
        IllegalArgumentException inverted = assertThrows(IllegalArgumentException.class,
                () -> new SheddingSimulation().run(with("shares", "0.5, 0.7, 0.9")));
        assertTrue(inverted.getMessage().contains("share of P2 must be <= share of P1 (0.5) but was 0.7"),
                inverted.getMessage());
        assertEquals("mix must hold 4 shares (P0..P3) but was 0.5, 0.5", assertThrows(
                IllegalArgumentException.class, () -> new SheddingSimulation().run(with("mix", "0.5, 0.5")))
                .getMessage());
    }
}
