package dev.nines.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.Priority;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.Outcome;
import dev.nines.metrics.PolicyKinds;
import dev.nines.metrics.RequestOutcome;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    @Test
    void rendersCountersHistogramsGaugesAndStates() {
        InMemoryMetrics m = new InMemoryMetrics();
        m.onOutcome("pay\"ments", PolicyKinds.CIRCUIT_BREAKER, Outcome.SUCCESS, 2_000_000);
        m.onOutcome("pay\"ments", PolicyKinds.CIRCUIT_BREAKER, Outcome.REJECTED, 0);
        m.registerGauge("pay\"ments", PolicyKinds.CIRCUIT_BREAKER, "failure_rate", () -> 25);
        m.onTransition("pay\"ments", PolicyKinds.CIRCUIT_BREAKER, "CLOSED", "OPEN");

        String text = PrometheusText.render(m);

        String labels = "policy=\"pay\\\"ments\",kind=\"circuit_breaker\"";
        assertTrue(text.contains("nines_calls_total{" + labels + ",outcome=\"success\"} 1\n"), text);
        assertTrue(text.contains("nines_calls_total{" + labels + ",outcome=\"rejected\"} 1\n"), text);
        assertTrue(text.contains("nines_call_duration_seconds_count{" + labels + "} 1\n"), text);
        assertTrue(text.contains("nines_gauge{" + labels + ",gauge=\"failure_rate\"} 25\n"), text);
        assertTrue(text.contains("nines_state{" + labels + ",state=\"OPEN\"} 1\n"), text);
        assertTrue(text.contains("nines_state{" + labels + ",state=\"CLOSED\"} 0\n"), text);
        assertTrue(text.contains("# TYPE nines_calls_total counter\n"), text);
        assertEquals(0, text.lines().filter(l -> l.contains("outcome=\"failure\"")).count(), "zero counters are left out");
    }

    @Test
    void requestEventsAreCountedByNameOutcomeAndPriorityWithTheirLatency() {
        InMemoryMetrics m = new InMemoryMetrics();
        m.onRequest("recs", Priority.P3, RequestOutcome.FRESH, null, null, 4_000_000);
        m.onRequest("recs", Priority.P3, RequestOutcome.FRESH, null, null, 6_000_000);
        m.onRequest("recs", Priority.P3, RequestOutcome.REJECTED, "api", PolicyKinds.LOAD_SHEDDER, 0);
        m.onRequest("pay\"ments", null, RequestOutcome.TIMED_OUT, "t", PolicyKinds.TIMEOUT, 100_000_000);

        String text = PrometheusText.render(m);

        assertTrue(text.contains("# TYPE nines_requests_total counter\n"), text);
        assertTrue(text.contains("nines_requests_total{name=\"recs\",outcome=\"fresh\",priority=\"P3\"} 2\n"), text);
        assertTrue(text.contains("nines_requests_total{name=\"recs\",outcome=\"rejected\",priority=\"P3\"} 1\n"), text);
        assertTrue(text.contains(
                "nines_requests_total{name=\"pay\\\"ments\",outcome=\"timed_out\",priority=\"none\"} 1\n"), text);
        assertTrue(text.contains("nines_request_duration_seconds_count{name=\"recs\"} 3\n"), text);
        assertTrue(text.contains("nines_request_duration_seconds_bucket{name=\"pay\\\"ments\",le=\"0.25\"} 1\n"), text);
        assertTrue(text.contains("nines_request_duration_seconds_bucket{name=\"pay\\\"ments\",le=\"0.05\"} 0\n"), text);
        assertTrue(text.contains("nines_request_duration_seconds_sum{name=\"pay\\\"ments\"} 0.1\n"), text);
        assertEquals(0, text.lines().filter(l -> l.contains("outcome=\"failed\"")).count(), "zero counters are left out");
    }

    @Test
    void everyStateIsListedSoATransitionDoesNotEndASeries() {
        InMemoryMetrics m = new InMemoryMetrics();
        m.onTransition("pay", PolicyKinds.CIRCUIT_BREAKER, "CLOSED", "OPEN");
        m.onTransition("api", PolicyKinds.LOAD_SHEDDER, "FULL", "ESSENTIAL");
        m.onTransition("custom", "my_kind", "A", "B");

        String text = PrometheusText.render(m);

        String breaker = "nines_state{policy=\"pay\",kind=\"circuit_breaker\",state=";
        assertEquals(breaker + "\"CLOSED\"} 0\n" + breaker + "\"OPEN\"} 1\n" + breaker + "\"HALF_OPEN\"} 0\n"
                + breaker + "\"FORCED_OPEN\"} 0\n" + breaker + "\"DISABLED\"} 0\n", linesStartingWith(text, breaker));
        String shedder = "nines_state{policy=\"api\",kind=\"load_shedder\",state=";
        assertEquals(shedder + "\"FULL\"} 0\n" + shedder + "\"REDUCED\"} 0\n" + shedder + "\"ESSENTIAL\"} 1\n"
                + shedder + "\"CRITICAL_ONLY\"} 0\n", linesStartingWith(text, shedder));
        String custom = "nines_state{policy=\"custom\",kind=\"my_kind\",state=";
        assertEquals(custom + "\"B\"} 1\n", linesStartingWith(text, custom), "an unknown kind: its current state");

        m.onTransition("pay", PolicyKinds.CIRCUIT_BREAKER, "OPEN", "HALF_OPEN");
        String after = PrometheusText.render(m);
        assertTrue(after.contains(breaker + "\"OPEN\"} 0\n"), after);
        assertTrue(after.contains(breaker + "\"HALF_OPEN\"} 1\n"), after);
    }

    private static String linesStartingWith(String text, String prefix) {
        StringBuilder sb = new StringBuilder();
        text.lines().filter(l -> l.startsWith(prefix)).forEach(l -> sb.append(l).append('\n'));
        return sb.toString();
    }

    @Test
    void aBreakerAndABulkheadSharingANameAreSeparateSeries() {
        InMemoryMetrics m = new InMemoryMetrics();
        m.onOutcome("payments", PolicyKinds.CIRCUIT_BREAKER, Outcome.REJECTED, 0);
        m.onOutcome("payments", PolicyKinds.BULKHEAD, Outcome.REJECTED, 0);
        m.onOutcome("payments", PolicyKinds.BULKHEAD, Outcome.REJECTED, 0);

        String text = PrometheusText.render(m);

        assertTrue(text.contains("nines_calls_total{policy=\"payments\",kind=\"bulkhead\",outcome=\"rejected\"} 2\n"),
                text);
        assertTrue(text.contains(
                "nines_calls_total{policy=\"payments\",kind=\"circuit_breaker\",outcome=\"rejected\"} 1\n"), text);
    }

    @Test
    void outcomesReportedWithAPriorityGetAPriorityLabelAndTheRestKeepTheirSeries() {
        InMemoryMetrics m = new InMemoryMetrics();
        m.onOutcome("api", PolicyKinds.LOAD_SHEDDER, Priority.P3, Outcome.SHED, 0);
        m.onOutcome("api", PolicyKinds.LOAD_SHEDDER, Priority.P3, Outcome.SHED, 0);
        m.onOutcome("api", PolicyKinds.LOAD_SHEDDER, Priority.P1, Outcome.SHED, 0);
        m.onOutcome("api", PolicyKinds.LOAD_SHEDDER, Outcome.SUCCESS, 1_000);

        String text = PrometheusText.render(m);

        String shedder = "nines_calls_total{policy=\"api\",kind=\"load_shedder\",outcome=";
        assertEquals(shedder + "\"success\"} 1\n" + shedder + "\"shed\",priority=\"P1\"} 1\n"
                + shedder + "\"shed\",priority=\"P3\"} 2\n", linesStartingWith(text, shedder),
                "each call in exactly one series");
    }
}
