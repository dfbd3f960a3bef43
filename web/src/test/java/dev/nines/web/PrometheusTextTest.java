package dev.nines.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.Outcome;
import dev.nines.metrics.PolicyKinds;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    @Test
    void rendersCountersSummariesGaugesAndStates() {
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
        assertTrue(text.contains("# TYPE nines_calls_total counter\n"), text);
        assertEquals(0, text.lines().filter(l -> l.contains("outcome=\"failure\"")).count(), "zero counters are left out");
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
}
