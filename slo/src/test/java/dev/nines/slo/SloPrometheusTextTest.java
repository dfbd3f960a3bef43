package dev.nines.slo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The exposition format, read back by a strict parser of version 0.0.4 (HELP and TYPE before a
 * metric's samples, each metric's samples together, no series twice, escaped label values), and the
 * values checked against the SLO's own figures on a manual ticker.
 */
class SloPrometheusTextTest {

    private final ManualTicker ticker = new ManualTicker();

    @Test
    void writesEveryMetricOfEachSloWithHelpAndType() {
        Slo checkout = Slo.availability("checkout").objective(0.999).ticker(ticker).build();
        Slo search = Slo.latency("search", Duration.ofMillis(300)).objective(0.99).ticker(ticker).build();
        record(checkout, 9_900, 100); // 1% bad against a 0.1% budget: burns at 10x
        record(search, 1_000, 0);

        Exposition e = Exposition.parse(SloPrometheusText.toText(List.of(checkout, search)));

        assertEquals(Map.of(
                "nines_slo_events_total", "counter", "nines_slo_good_events_total", "counter",
                "nines_slo_objective", "gauge", "nines_slo_budget_remaining", "gauge",
                "nines_slo_budget_remaining_events", "gauge", "nines_slo_burn_rate", "gauge",
                "nines_slo_alert_firing", "gauge"), e.types);
        assertEquals(10_000, e.value("nines_slo_events_total", "slo", "checkout"));
        assertEquals(9_900, e.value("nines_slo_good_events_total", "slo", "checkout"));
        assertEquals(1_000, e.value("nines_slo_events_total", "slo", "search"));
        assertEquals(1_000, e.value("nines_slo_good_events_total", "slo", "search"));
        assertEquals(0.999, e.value("nines_slo_objective", "slo", "checkout"));
        assertEquals(0.99, e.value("nines_slo_objective", "slo", "search"));
        // 10 bad events allowed, 100 spent: 9 budgets overspent
        assertEquals(-9, e.value("nines_slo_budget_remaining", "slo", "checkout"), 1e-9);
        assertEquals(-90, e.value("nines_slo_budget_remaining_events", "slo", "checkout"), 1e-9);
        assertEquals(1, e.value("nines_slo_budget_remaining", "slo", "search"));
        assertEquals(10, e.value("nines_slo_budget_remaining_events", "slo", "search"), 1e-9);
        for (String w : List.of("5m", "30m", "1h", "6h", "3d")) {
            assertEquals(10, e.value("nines_slo_burn_rate", "slo", "checkout", "window", w), 1e-9, w);
            assertEquals(0, e.value("nines_slo_burn_rate", "slo", "search", "window", w), w);
        }
        // 10x: below page-fast's 14.4, above page-slow's 6 and the ticket's 1
        assertEquals(0, e.value("nines_slo_alert_firing", "slo", "checkout", "alert", "page-fast", "severity", "page"));
        assertEquals(1, e.value("nines_slo_alert_firing", "slo", "checkout", "alert", "page-slow", "severity", "page"));
        assertEquals(1, e.value("nines_slo_alert_firing", "slo", "checkout", "alert", "ticket", "severity", "ticket"));
        assertEquals(0, e.value("nines_slo_alert_firing", "slo", "search", "alert", "page-slow", "severity", "page"));
        // 2 events counters + 3 budget gauges, 5 windows, 3 alerts: per SLO
        assertEquals(2 * (5 + 5 + 3), e.samples.size());
    }

    @Test
    void eachWindowsBurnRateIsTheSlosOwn() {
        Slo slo = Slo.availability("checkout").ticker(ticker).build();
        record(slo, 1_000, 0);
        ticker.advance(Duration.ofMinutes(50));
        record(slo, 990, 10); // one minute holds all the bad events
        ticker.advance(Duration.ofMinutes(9)); // the 1 h window (60 one-minute buckets) still holds minute 0

        Exposition e = Exposition.parse(SloPrometheusText.toText(List.of(slo)));

        for (BurnRateAlert a : slo.alerts()) {
            for (Duration w : List.of(a.longWindow(), a.shortWindow())) {
                String label = BurnRateAlert.label(w);
                assertEquals(slo.burnRate(w), e.value("nines_slo_burn_rate", "slo", "checkout", "window", label), label);
            }
        }
        assertEquals(0, e.value("nines_slo_burn_rate", "slo", "checkout", "window", "5m")); // the bad minute left it
        assertEquals(5, e.value("nines_slo_burn_rate", "slo", "checkout", "window", "1h"), 1e-9); // 10 of 2000 / 0.001
    }

    @Test
    void countersKeepEventsThatLeftTheWindowWhileTheBudgetStartsOver() {
        Slo slo = Slo.availability("checkout").window(Duration.ofDays(3)).ticker(ticker).build();
        record(slo, 900, 100);
        ticker.advance(Duration.ofDays(4));
        record(slo, 10, 0);

        Exposition e = Exposition.parse(SloPrometheusText.toText(List.of(slo)));

        assertEquals(1_010, e.value("nines_slo_events_total", "slo", "checkout"));
        assertEquals(910, e.value("nines_slo_good_events_total", "slo", "checkout"));
        assertEquals(1, e.value("nines_slo_budget_remaining", "slo", "checkout"));
        assertEquals(0, e.value("nines_slo_burn_rate", "slo", "checkout", "window", "3d"));
    }

    @Test
    void computesEachSlosStatusOncePerWrite() {
        AtomicInteger reads = new AtomicInteger();
        Ticker counting = () -> {
            reads.incrementAndGet();
            return ticker.read();
        };
        Slo a = Slo.availability("a").ticker(counting).build();
        Slo b = Slo.availability("b").ticker(counting).build();
        SloRegistry registry = new SloRegistry();
        registry.add(a);
        registry.add(b);
        reads.set(0);

        StringBuilder out = new StringBuilder();
        assertDoesNotThrowIo(() -> SloPrometheusText.write(registry, out));

        // status() reads the ticker once and computes every figure of that reading; cumulative() never reads it
        assertEquals(2, reads.get());
        assertEquals(List.of("a", "b"), Exposition.parse(out.toString()).sloOrder());
    }

    @Test
    void anSloWithoutAlertsHasNoBurnRateOrAlertSeries() {
        Slo slo = Slo.availability("quiet").alerts(List.of()).ticker(ticker).build();
        Exposition e = Exposition.parse(SloPrometheusText.toText(List.of(slo)));
        assertFalse(e.types.containsKey("nines_slo_burn_rate"));
        assertFalse(e.types.containsKey("nines_slo_alert_firing"));
        assertEquals(1, e.value("nines_slo_budget_remaining", "slo", "quiet"));
    }

    @Test
    void noSlosWriteNothing() {
        assertEquals("", SloPrometheusText.toText(List.of()));
    }

    @Test
    void twoSlosWithOneNameAreRefused() {
        Slo a = Slo.availability("same").ticker(ticker).build();
        Slo b = Slo.availability("same").ticker(ticker).build();
        assertEquals("two SLOs are named same",
                assertThrows(IllegalArgumentException.class, () -> SloPrometheusText.toText(List.of(a, b))).getMessage());
    }

    @Test
    void labelValuesAndHelpAreEscaped() {
        String value = "a\"b\\c\nd";
        assertEquals("a\\\"b\\\\c\\nd", SloPrometheusText.escapeLabelValue(value));
        assertEquals(value, Exposition.unescape(SloPrometheusText.escapeLabelValue(value)));
        assertEquals("one \\\\ two\\nthree \"four\"", SloPrometheusText.escapeHelp("one \\ two\nthree \"four\""));
    }

    @Test
    void numbersAreWrittenAsPrometheusReadsThem() {
        assertEquals("NaN", SloPrometheusText.number(Double.NaN));
        assertEquals("+Inf", SloPrometheusText.number(Double.POSITIVE_INFINITY));
        assertEquals("-Inf", SloPrometheusText.number(Double.NEGATIVE_INFINITY));
        assertEquals("3", SloPrometheusText.number(3.0));
        assertEquals("-90", SloPrometheusText.number(-90.0));
        assertEquals("0.999", SloPrometheusText.number(0.999));
        assertEquals("1.0E-4", SloPrometheusText.number(1e-4));
        assertEquals("1.0E15", SloPrometheusText.number(1e15));
    }

    @Test
    void windowLabelsAreWhatPrometheusWritesInTheirLargestWholeUnit() {
        assertEquals("5m", BurnRateAlert.label(Duration.ofMinutes(5)));
        assertEquals("1h", BurnRateAlert.label(Duration.ofMinutes(60)));
        assertEquals("90m", BurnRateAlert.label(Duration.ofMinutes(90)));
        assertEquals("3d", BurnRateAlert.label(Duration.ofHours(72)));
        assertEquals("30d", BurnRateAlert.label(Duration.ofDays(30)));
        assertEquals("90s", BurnRateAlert.label(Duration.ofSeconds(90)));
        assertEquals("1500ms", BurnRateAlert.label(Duration.ofMillis(1500)));
        assertEquals("250us", BurnRateAlert.label(Duration.ofNanos(250_000)));
        assertEquals("10ns", BurnRateAlert.label(Duration.ofNanos(10)));
        assertEquals("0ns", BurnRateAlert.label(Duration.ZERO));
        assertEquals("a window label needs a duration >= 0 but was PT-1S",
                assertThrows(IllegalArgumentException.class, () -> BurnRateAlert.label(Duration.ofSeconds(-1)))
                        .getMessage());
    }

    @Test
    void theParserRejectsWhatTheFormatForbids() {
        String head = "# HELP a_total A.\n# TYPE a_total counter\n";
        assertThrows(AssertionError.class, () -> Exposition.parse("a_total{slo=\"x\"} 1\n")); // no HELP, TYPE
        assertThrows(AssertionError.class, () -> Exposition.parse(head + "a_total{slo=\"x\"} 1\n"
                + "# HELP b B.\n# TYPE b gauge\nb 1\na_total{slo=\"y\"} 1\n")); // a_total split
        assertThrows(AssertionError.class, () -> Exposition.parse(head + "a_total{slo=\"x\"} 1\na_total{slo=\"x\"} 2\n"));
        assertThrows(AssertionError.class, () -> Exposition.parse(head + "a_total{slo=\"x\"y\"} 1\n")); // unescaped quote
        assertThrows(AssertionError.class, () -> Exposition.parse(head + "a_total{slo=\"x\"} Infinity\n"));
        assertEquals(1, Exposition.parse(head + "a_total{slo=\"x\\\"y\"} 1\n").value("a_total", "slo", "x\"y"));
    }

    @Test
    void theContentTypeIsTheTextFormats() {
        assertEquals("text/plain; version=0.0.4; charset=utf-8", SloPrometheusText.CONTENT_TYPE);
    }

    private static void record(Slo slo, int good, int bad) {
        for (int i = 0; i < good; i++) {
            slo.record(true);
        }
        for (int i = 0; i < bad; i++) {
            slo.record(false);
        }
    }

    private interface IoAction {
        void run() throws java.io.IOException;
    }

    private static void assertDoesNotThrowIo(IoAction action) {
        try {
            action.run();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A strict reader of the text format 0.0.4, for what {@link SloPrometheusText} writes (no timestamps). */
    static final class Exposition {
        private static final Pattern HELP = Pattern.compile("# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)");
        private static final Pattern TYPE = Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|untyped)");
        private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)");
        private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\[\\\\\"n])*)\"");

        final Map<String, String> types = new LinkedHashMap<>();
        final Map<String, String> help = new LinkedHashMap<>();
        final List<Sample> samples = new ArrayList<>();

        record Sample(String name, Map<String, String> labels, double value) {
        }

        static Exposition parse(String text) {
            Exposition e = new Exposition();
            assertTrue(text.isEmpty() || text.endsWith("\n"), "the last line ends with a line feed");
            Set<String> finished = new HashSet<>();
            Set<String> seen = new HashSet<>();
            String current = null;
            for (String line : text.split("\n", -1)) {
                if (line.isEmpty()) {
                    continue; // the split's last piece
                }
                Matcher m;
                if ((m = HELP.matcher(line)).matches()) {
                    String name = m.group(1);
                    assertFalse(e.help.containsKey(name), "HELP twice for " + name);
                    if (current != null) {
                        finished.add(current);
                    }
                    assertFalse(finished.contains(name), name + "'s lines are not together");
                    e.help.put(name, m.group(2));
                    current = name;
                } else if ((m = TYPE.matcher(line)).matches()) {
                    String name = m.group(1);
                    assertEquals(current, name, "TYPE of " + name + " right after its HELP");
                    assertFalse(e.types.containsKey(name), "TYPE twice for " + name);
                    e.types.put(name, m.group(2));
                } else if ((m = SAMPLE.matcher(line)).matches()) {
                    String name = m.group(1);
                    assertEquals(current, name, "a sample of " + name + " under its own HELP and TYPE: " + line);
                    assertTrue(e.types.containsKey(name), "TYPE before the samples of " + name);
                    Map<String, String> labels = labels(m.group(2) == null ? "" : m.group(2), line);
                    assertTrue(seen.add(name + labels), "series written twice: " + line);
                    e.samples.add(new Sample(name, labels, value(m.group(3), line)));
                } else {
                    throw new AssertionError("not a line of the text format: '" + line + "'");
                }
            }
            return e;
        }

        private static Map<String, String> labels(String text, String line) {
            Map<String, String> labels = new LinkedHashMap<>();
            int at = 0;
            while (at < text.length()) {
                Matcher m = LABEL.matcher(text).region(at, text.length());
                assertTrue(m.lookingAt(), "bad labels in: " + line);
                assertFalse(labels.containsKey(m.group(1)), "label twice in: " + line);
                labels.put(m.group(1), unescape(m.group(2)));
                at = m.end();
                if (at < text.length()) {
                    assertEquals(',', text.charAt(at), "labels separated by commas in: " + line);
                    at++;
                }
            }
            return labels;
        }

        private static double value(String text, String line) {
            switch (text) {
                case "NaN":
                    return Double.NaN;
                case "+Inf":
                    return Double.POSITIVE_INFINITY;
                case "-Inf":
                    return Double.NEGATIVE_INFINITY;
                default:
                    assertTrue(text.matches("-?[0-9]+(\\.[0-9]+)?(E-?[0-9]+)?"), "bad value in: " + line);
                    return Double.parseDouble(text);
            }
        }

        static String unescape(String escaped) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < escaped.length(); i++) {
                char c = escaped.charAt(i);
                if (c == '\\') {
                    char n = escaped.charAt(++i);
                    b.append(n == 'n' ? '\n' : n);
                } else {
                    b.append(c);
                }
            }
            return b.toString();
        }

        /** Returns the value of the one series of {@code name} with exactly these labels (name, value, ...). */
        double value(String name, String... labelPairs) {
            Map<String, String> want = new LinkedHashMap<>();
            for (int i = 0; i < labelPairs.length; i += 2) {
                want.put(labelPairs[i], labelPairs[i + 1]);
            }
            return samples.stream().filter(s -> s.name.equals(name) && s.labels.equals(want)).findFirst()
                    .orElseThrow(() -> new AssertionError("no series " + name + want + " in " + samples)).value;
        }

        /** Returns the SLOs in the order of the first metric's series. */
        List<String> sloOrder() {
            String first = samples.get(0).name;
            return samples.stream().filter(s -> s.name.equals(first)).map(s -> s.labels.get("slo")).toList();
        }
    }
}
