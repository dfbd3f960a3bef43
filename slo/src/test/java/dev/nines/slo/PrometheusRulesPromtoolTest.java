package dev.nines.slo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The generated rules checked by Prometheus's own tool: {@code promtool check rules} on the file, and
 * {@code promtool test rules} with unit tests written here (input series of the two counters over
 * time, minute by minute) that fire and clear each alert of the workbook's table, and keep it quiet
 * below its threshold. Each scenario starts with clean traffic, long enough that the alerts it expects
 * to stay quiet do (the ticket's scenario has the full 3 days its long window reads).
 *
 * <p>Files are written to {@code target/promtool-tests/}; promtool comes from {@link Promtool}.
 */
class PrometheusRulesPromtoolTest {

    private static final Path DIR = Paths.get("target", "promtool-tests").toAbsolutePath();
    /** Minutes in a day: the clean history before an incident is whole days. */
    private static final int DAY = 24 * 60;
    private static final String ALERT = PrometheusRules.DEFAULT_ALERT;

    private static final List<Slo> SLOS = List.of(
            Slo.availability("checkout").objective(0.999).build(),
            Slo.latency("search", Duration.ofMillis(300)).objective(0.99).build());
    private static final PrometheusRules RULES = PrometheusRules.builder().group("shop-slos").matcher("job=\"shop\"")
            .build();

    @BeforeAll
    static void writeRules() throws IOException {
        Files.createDirectories(DIR);
        Files.writeString(DIR.resolve("rules.yml"), RULES.yaml(SLOS));
    }

    @Test
    void theGeneratedFilePassesPromtoolCheckRules() throws Exception {
        Promtool.Run run = Promtool.run(DIR, "check", "rules", "rules.yml");
        assertEquals(0, run.exitCode(), run.output());
        // 2 SLOs x (5 distinct windows + 3 alerts)
        assertTrue(run.output().contains("SUCCESS: 16 rules found"), run.output());
    }

    @Test
    void anEmptyRuleFilePassesPromtoolCheckRules() throws Exception {
        Files.writeString(DIR.resolve("empty.yml"), PrometheusRules.builder().build().yaml(List.of()));
        Promtool.Run run = Promtool.run(DIR, "check", "rules", "empty.yml");
        assertEquals(0, run.exitCode(), run.output());
    }

    @Test
    void eachWorkbookAlertFiresAndClearsInPromtoolTestRules() throws Exception {
        StringBuilder tests = new StringBuilder();
        // page-fast: the fleet burns at 20x (2% bad) for 60 minutes. Instance a alone burns at 10x
        // (below 14.4), b at 50x: only the sum over instances is the SLO's. The 1 h window reaches 14.4
        // after 43.2 minutes; when the burning stops the 5 min window clears the alert within minutes
        // while the 1 h one still reads 16.7. A day of history keeps the ticket's 3 days below 1 (0.8)
        scenario(tests, DAY, List.of(
                series("checkout", "a", clean(DAY, 3000), phase(60, 3000, 30), phase(30, 3000, 0)),
                series("checkout", "b", clean(DAY, 1000), phase(60, 1000, 50), phase(30, 1000, 0)),
                other(DAY, 90), healthySearch(DAY, 90)),
                Map.of(40, List.of(), 50, List.of("page-fast"), 70, List.of()));
        // page-slow: 10x (1% bad) for 4 hours: never 14.4, the 6 h window reaches 6 after 216 minutes,
        // and after the burning stops the 30 min window clears it. Two days of history keep the
        // ticket's 3 days below 1 (0.77)
        scenario(tests, 2 * DAY, List.of(
                series("checkout", "a", clean(2 * DAY, 1000), phase(240, 1000, 10), phase(30, 1000, 0)),
                series("checkout", "b", clean(2 * DAY, 1000), phase(240, 1000, 10), phase(30, 1000, 0)),
                other(2 * DAY, 270)),
                Map.of(210, List.of(), 230, List.of("page-slow"), 260, List.of()));
        // ticket: 5x (0.5% bad, below page-slow's 6) for 900 minutes after a full 3 days of history:
        // the 3 day window reaches 1 after 864 minutes, and after the burning stops the 6 h window
        // clears it (the 3 day one still reads 1.04)
        scenario(tests, 3 * DAY, List.of(
                series("checkout", "a", clean(3 * DAY, 1000), phase(900, 1000, 5), phase(300, 1000, 0)),
                series("checkout", "b", clean(3 * DAY, 1000), phase(900, 1000, 5), phase(300, 1000, 0))),
                Map.of(840, List.of(), 880, List.of("ticket"), 1200, List.of()));
        // below every threshold: the fleet burns at 10x (1% bad) for 2 hours although instance b alone
        // burns at 100x (10% bad): nothing fires (the ticket's 3 days read 0.77)
        scenario(tests, DAY, List.of(
                series("checkout", "a", clean(DAY, 9000), phase(120, 9000, 0)),
                series("checkout", "b", clean(DAY, 1000), phase(120, 1000, 100)),
                other(DAY, 120)),
                Map.of(60, List.of(), 120, List.of()));
        Files.writeString(DIR.resolve("rules-test.yml"), unitTestFile(tests));

        Promtool.Run run = Promtool.run(DIR, "test", "rules", "rules-test.yml");
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("SUCCESS"), run.output());
    }

    @Test
    void promtoolTestRulesFailsWhenAnExpectationIsWrong() throws Exception {
        // the harness can fail: the page-fast incident expected to fire 10 minutes too early
        StringBuilder tests = new StringBuilder();
        scenario(tests, DAY, List.of(
                series("checkout", "a", clean(DAY, 1000), phase(60, 1000, 20)),
                series("checkout", "b", clean(DAY, 1000), phase(60, 1000, 20))),
                Map.of(40, List.of("page-fast")));
        Files.writeString(DIR.resolve("rules-test-wrong.yml"), unitTestFile(tests));

        Promtool.Run run = Promtool.run(DIR, "test", "rules", "rules-test-wrong.yml");
        assertNotEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("FAILED"), run.output());
        assertTrue(run.output().contains("page-fast"), run.output());
    }

    @Test
    void theExpositionPassesPromtoolCheckMetrics() throws Exception {
        ManualTicker ticker = new ManualTicker();
        Slo slo = Slo.availability("checkout").ticker(ticker).build();
        for (int i = 0; i < 100; i++) {
            slo.record(i % 10 != 0);
        }
        Promtool.Run run = Promtool.runWithInput(DIR, SloPrometheusText.toText(List.of(slo)), "check", "metrics");
        assertEquals(0, run.exitCode(), run.output());
        assertEquals("", run.output().strip(), "promtool's lint findings");
    }

    /** One counter pair's per-minute increments: total events and bad ones, over consecutive phases. */
    private record Series(String slo, String job, String instance, List<int[]> phases) {
    }

    private static int[] clean(int minutes, int perMinute) {
        return phase(minutes, perMinute, 0);
    }

    private static int[] phase(int minutes, int totalPerMinute, int badPerMinute) {
        return new int[] {minutes, totalPerMinute, badPerMinute};
    }

    private static Series series(String slo, String instance, int[]... phases) {
        return new Series(slo, "shop", instance, List.of(phases));
    }

    /** Another service's series for the same SLO name, failing every request: the matcher keeps it out. */
    private static Series other(int history, int minutes) {
        return new Series("checkout", "other", "c", List.of(clean(history, 100), phase(minutes, 100, 100)));
    }

    private static Series healthySearch(int history, int minutes) {
        return new Series("search", "shop", "a", List.of(clean(history, 500), phase(minutes, 500, 0)));
    }

    /**
     * Appends one test group: its input series, whose incident starts after {@code history} clean
     * minutes, and at each minute after the incident's start the alerts expected.
     */
    private static void scenario(StringBuilder out, int history, List<Series> input,
            Map<Integer, List<String>> expected) {
        out.append("  - interval: 1m\n    input_series:\n");
        for (Series s : input) {
            String labels = "{slo=\"" + s.slo + "\",job=\"" + s.job + "\",instance=\"" + s.instance + "\"}";
            out.append("      - series: '").append(SloPrometheusText.EVENTS_TOTAL).append(labels).append("'\n")
                    .append("        values: '").append(values(s.phases, false)).append("'\n")
                    .append("      - series: '").append(SloPrometheusText.GOOD_EVENTS_TOTAL).append(labels).append("'\n")
                    .append("        values: '").append(values(s.phases, true)).append("'\n");
        }
        out.append("    alert_rule_test:\n");
        expected.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            out.append("      - eval_time: ").append(history + e.getKey()).append("m\n")
                    .append("        alertname: ").append(ALERT).append('\n');
            if (e.getValue().isEmpty()) {
                out.append("        exp_alerts: []\n");
                return;
            }
            out.append("        exp_alerts:\n");
            for (String alert : e.getValue()) {
                BurnRateAlert row = BurnRateAlert.workbook().stream().filter(a -> a.name().equals(alert)).findFirst()
                        .orElseThrow();
                out.append("          - exp_labels:\n")
                        .append("              slo: checkout\n")
                        .append("              job: shop\n")
                        .append("              alert: ").append(alert).append('\n')
                        .append("              severity: ").append(row.severity()).append('\n')
                        .append("            exp_annotations:\n")
                        .append("              summary: ").append(PrometheusRules.quote(SUMMARIES.get(alert))).append('\n')
                        .append("              description: ").append(PrometheusRules.quote(DESCRIPTIONS.get(alert)))
                        .append('\n');
            }
        });
    }

    private static final Map<String, String> SUMMARIES = Map.of(
            "page-fast", "SLO checkout burns its error budget at 14.4x or faster over 1h and 5m",
            "page-slow", "SLO checkout burns its error budget at 6x or faster over 6h and 30m",
            "ticket", "SLO checkout burns its error budget at 1x or faster over 3d and 6h");
    private static final Map<String, String> DESCRIPTIONS = Map.of(
            "page-fast", "SLO checkout (availability, objective 99.9% over 30d) burns its error budget at 14.4 times"
                    + " the sustainable rate or faster over both 1h and 5m; at that rate the 30d budget is spent in"
                    + " 50h (alert page-fast, severity page).",
            "page-slow", "SLO checkout (availability, objective 99.9% over 30d) burns its error budget at 6 times"
                    + " the sustainable rate or faster over both 6h and 30m; at that rate the 30d budget is spent in"
                    + " 5d (alert page-slow, severity page).",
            "ticket", "SLO checkout (availability, objective 99.9% over 30d) burns its error budget at 1 times"
                    + " the sustainable rate or faster over both 3d and 6h; at that rate the 30d budget is spent in"
                    + " 30d (alert ticket, severity ticket).");

    /**
     * A counter's samples, one a minute from 0, in promtool's expanding notation ({@code a+bxn} is n + 1
     * samples from a, b apart): each phase adds its per-minute increment to the total, or to the good
     * events (total minus bad).
     */
    private static String values(List<int[]> phases, boolean good) {
        List<String> segments = new ArrayList<>();
        long value = 0;
        boolean first = true;
        for (int[] p : phases) {
            long step = good ? p[1] - p[2] : p[1];
            // the first phase includes the sample at 0; every later one starts a minute after the last
            long start = first ? value : value + step;
            int steps = first ? p[0] : p[0] - 1;
            segments.add(start + "+" + step + "x" + steps);
            value = start + step * steps;
            first = false;
        }
        return String.join(" ", segments);
    }

    private static String unitTestFile(StringBuilder tests) {
        return "# written by PrometheusRulesPromtoolTest: promtool test rules rules-test.yml\n"
                + "rule_files:\n  - rules.yml\n"
                // the rules run every 10 minutes over samples a minute apart: every expected time is a
                // multiple of 10, and the run takes a tenth of the time it would at one minute
                + "evaluation_interval: 10m\ntests:\n" + tests;
    }
}
