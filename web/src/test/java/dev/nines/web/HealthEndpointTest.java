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

    @Test
    void aSectionAddsItsDetailAndCanMarkTheServiceDegradedWithoutLeavingTheLoadBalancer() {
        java.util.concurrent.atomic.AtomicBoolean burning = new java.util.concurrent.atomic.AtomicBoolean();
        HealthEndpoint withSlos = HealthEndpoint.builder().breaker(payments, true)
                .section("slos", () -> java.util.Map.of("checkout", java.util.Map.of("budgetRemaining", Double.NaN)),
                        burning::get)
                .section("broken", () -> {
                    throw new IllegalStateException("no data");
                }, () -> true)
                .build();
        assertEquals(new HealthEndpoint.Report(200, "{\"status\":\"UP\",\"breakers\":{\"payments\":{\"state\":\"CLOSED\","
                + "\"critical\":true,\"failureRate\":-1.0,\"slowCallRate\":-1.0}},\"shedders\":{},"
                + "\"slos\":{\"checkout\":{\"budgetRemaining\":null}},"
                + "\"broken\":{\"error\":\"java.lang.IllegalStateException: no data\"}}"), withSlos.check());
        burning.set(true);
        assertEquals(200, withSlos.check().status());
        assertTrue(withSlos.check().json().startsWith("{\"status\":\"DEGRADED\""), withSlos.check().json());
        payments.forceOpen();
        assertEquals(503, withSlos.check().status());
        assertTrue(withSlos.check().json().startsWith("{\"status\":\"DOWN\""), withSlos.check().json());
        assertEquals(new HealthEndpoint.Report(200, "{\"status\":\"UP\"}"), withSlos.readiness());
        assertEquals("health section name 'status' is taken", org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> HealthEndpoint.builder().section("status", java.util.Map::of,
                        () -> false)).getMessage());
    }
}
