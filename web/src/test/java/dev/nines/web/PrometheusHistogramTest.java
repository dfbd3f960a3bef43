package dev.nines.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.Priority;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.Outcome;
import dev.nines.metrics.PolicyKinds;
import dev.nines.shedding.LoadShedder;
import dev.nines.shedding.limit.ConcurrencyLimit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus text, parsed line by line: histograms that add up, every state from the start, no
 * sentinel values, and policies built before the sink was set.
 */
class PrometheusHistogramTest {

    @AfterEach
    void restoreDefault() {
        Metrics.setDefault(null);
    }

    /** Every sample line: series (name and labels) to value. Checks each line's syntax on the way. */
    static Map<String, Double> parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("#")) {
                assertTrue(line.startsWith("# HELP ") || line.startsWith("# TYPE "), line);
                continue;
            }
            int close = line.lastIndexOf('}'); // label values may hold spaces: the value follows the labels
            int space = close >= 0 ? close + 1 : line.indexOf(' ');
            assertTrue(space > 0 && line.charAt(space) == ' ', line);
            String series = line.substring(0, space);
            assertTrue(series.matches("(?s)[a-z_]+(\\{.*\\})?"), line); // a label value may hold a raw CR
            assertNull(samples.put(series, Double.parseDouble(line.substring(space + 1))), "duplicate: " + line);
        }
        return samples;
    }

    @Test
    void policyDurationsAreCumulativeHistogramsWhoseInfBucketIsTheCount() {
        long seed = System.nanoTime();
        System.out.println("PrometheusHistogramTest seed " + seed);
        Random random = new Random(seed);
        InMemoryMetrics m = new InMemoryMetrics();
        long sum = 0;
        int n = 500;
        for (int i = 0; i < n; i++) {
            long nanos = (long) (Math.exp(random.nextDouble() * Math.log(20e9)));
            sum += nanos;
            m.onOutcome("api", PolicyKinds.BULKHEAD, Outcome.SUCCESS, nanos);
        }
        Map<String, Double> s = parse(PrometheusText.render(m));
        String labels = "{policy=\"api\",kind=\"bulkhead\"";
        List<Double> buckets = new ArrayList<>();
        s.forEach((k, v) -> {
            if (k.startsWith("nines_call_duration_seconds_bucket" + labels)) {
                buckets.add(v);
            }
        });
        assertEquals(15, buckets.size(), "14 bounds and +Inf: " + buckets);
        for (int i = 1; i < buckets.size(); i++) {
            assertTrue(buckets.get(i) >= buckets.get(i - 1), "cumulative: " + buckets);
        }
        assertEquals(n, s.get("nines_call_duration_seconds_bucket" + labels + ",le=\"+Inf\"}"));
        assertEquals(n, s.get("nines_call_duration_seconds_count" + labels + "}"));
        assertEquals(sum / 1e9, s.get("nines_call_duration_seconds_sum" + labels + "}"), 1e-6);
        assertFalse(s.keySet().stream().anyMatch(k -> k.contains("quantile")), "no summary quantiles left");
    }

    @Test
    void aBucketCountsExactlyTheDurationsAtMostItsBoundAwayFromTheBound() {
        InMemoryMetrics m = new InMemoryMetrics();
        m.onOutcome("api", PolicyKinds.TIMEOUT, Outcome.SUCCESS, 900_000);      // 0.9 ms
        m.onOutcome("api", PolicyKinds.TIMEOUT, Outcome.SUCCESS, 1_100_000);    // 1.1 ms
        m.onOutcome("api", PolicyKinds.TIMEOUT, Outcome.SUCCESS, 3_000_000_000L); // 3 s
        Map<String, Double> s = parse(PrometheusText.render(m));
        String b = "nines_call_duration_seconds_bucket{policy=\"api\",kind=\"timeout\",le=";
        assertEquals(0, s.get(b + "\"0.0005\"}"));
        assertEquals(1, s.get(b + "\"0.001\"}"));
        assertEquals(2, s.get(b + "\"0.0025\"}"));
        assertEquals(2, s.get(b + "\"2.5\"}"));
        assertEquals(3, s.get(b + "\"5\"}"));
    }

    @Test
    void policiesBuiltBeforeTheSinkShowEveryStateAndNoSentinel() throws Exception {
        ManualTicker ticker = new ManualTicker();
        CircuitBreaker breaker = CircuitBreaker.builder("early-cb").ticker(ticker).minimumCalls(10).build();
        LoadShedder shedder = LoadShedder.builder("early-shed").limit(ConcurrencyLimit.fixed(10)).ticker(ticker)
                .build();
        InMemoryMetrics m = new InMemoryMetrics();
        Metrics.setDefault(m); // after the policies: the ordering trap of issue 17

        breaker.call(() -> "ok");
        long token = shedder.tryAdmit(Priority.P1);
        shedder.release(token, Outcome.SUCCESS);

        Map<String, Double> s = parse(PrometheusText.render(m));
        String cb = "{policy=\"early-cb\",kind=\"circuit_breaker\"";
        assertEquals(1, s.get("nines_state" + cb + ",state=\"CLOSED\"}"), "a sample before any transition");
        assertEquals(0, s.get("nines_state" + cb + ",state=\"OPEN\"}"));
        String shed = "{policy=\"early-shed\",kind=\"load_shedder\"";
        assertEquals(1, s.get("nines_state" + shed + ",state=\"FULL\"}"));
        assertEquals(0, s.get("nines_state" + shed + ",state=\"REDUCED\"}"));
        assertNull(s.get("nines_gauge" + cb + ",gauge=\"failure_rate_percent\"}"), "no -1 before the window fills");
        assertNull(s.get("nines_gauge" + cb + ",gauge=\"slow_call_rate_percent\"}"));
        assertEquals(1, s.get("nines_gauge" + cb + ",gauge=\"buffered_calls\"}"), "the count that says why");
        // every policy built without a sink in this JVM is replayed here too: look at this test's own
        assertTrue(s.entrySet().stream().filter(e -> e.getKey().contains("\"early-"))
                .noneMatch(e -> e.getValue() < 0), "no negative sample");
        assertEquals(1, s.get("nines_calls_total" + cb + ",outcome=\"success\"}"), "the call, seen late");
        assertEquals(1, s.get("nines_call_duration_seconds_count" + shed + "}"));

        for (int i = 0; i < 10; i++) {
            breaker.call(() -> "ok");
        }
        Map<String, Double> filled = parse(PrometheusText.render(m));
        assertEquals(0, filled.get("nines_gauge" + cb + ",gauge=\"failure_rate_percent\"}"), "once it is a value");
    }
}
