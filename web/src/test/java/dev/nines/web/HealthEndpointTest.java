package dev.nines.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;

/** What each of the three health answers reads, without a server. */
class HealthEndpointTest {

    private final CircuitBreaker payments = CircuitBreaker.builder("payments").ticker(new ManualTicker()).build();
    private final Drain drain = Drain.builder().build();
    private final HealthEndpoint health = HealthEndpoint.builder().breaker(payments, true).drain(drain).build();

    @Test
    void theDetailShowsABreakersRatesAsFractionsLikeItsThresholds() {
        CircuitBreaker cb = CircuitBreaker.builder("db").ticker(new ManualTicker()).countWindow(3).minimumCalls(3)
                .failureRateThreshold(1.0).build();
        for (int i = 0; i < 3; i++) {
            assertTrue(cb.tryAcquirePermission());
            if (i == 0) {
                cb.onError(1, new java.io.IOException("boom"));
            } else {
                cb.onSuccess(1);
            }
        }
        String json = HealthEndpoint.builder().breaker(cb, false).build().check().json();
        assertTrue(json.contains("\"failureRate\":0.3333,\"slowCallRate\":0.0"), json); // 1 of 3
    }

    @Test
    void onlyTheDetailGoesDownWhenACriticalBreakerOpens() {
        payments.forceOpen();
        assertEquals(503, health.check().status());
        assertEquals(new HealthEndpoint.Report(200, "{\"status\":\"UP\"}"), health.liveness());
        assertEquals(new HealthEndpoint.Report(200, "{\"status\":\"UP\"}"), health.readiness());
    }

    @Test
    void aDrainTakesReadinessDownLeavesLivenessUpAndShowsInTheDetail() {
        assertTrue(drain.tryEnter());
        assertTrue(health.check().json().endsWith(",\"draining\":false,\"inFlight\":1}"), health.check().json());
        drain.start();
        assertEquals(new HealthEndpoint.Report(503, "{\"status\":\"DOWN\",\"draining\":true,\"inFlight\":1}"),
                health.readiness());
        assertEquals(200, health.liveness().status());
        HealthEndpoint.Report detail = health.check();
        assertEquals(200, detail.status(), "the detail's status is about dependencies");
        assertTrue(detail.json().endsWith(",\"draining\":true,\"inFlight\":1}"), detail.json());
        drain.exit();
        assertEquals("{\"status\":\"DOWN\",\"draining\":true,\"inFlight\":0}", health.readiness().json());
    }
}
