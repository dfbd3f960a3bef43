package dev.nines.slo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.CallContext;
import dev.nines.ManualTicker;
import dev.nines.Pipeline;
import dev.nines.Priority;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.fallback.Fallback;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.PolicyKinds;
import dev.nines.metrics.RequestOutcome;
import dev.nines.metrics.Transition;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Routing the one request event to the SLOs that count it, and SLO state changes reported as transitions. */
class SloRegistryTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final ManualTicker ticker = new ManualTicker();
    private final InMemoryMetrics metrics = new InMemoryMetrics();
    private final SloRegistry registry = new SloRegistry(metrics);

    @Test
    void eachRequestEventReachesOnlyTheSlosThatCountIt() {
        Slo checkout = registry.add(Slo.availability("checkout").requests("checkout").ticker(ticker).build());
        Slo critical = registry.add(Slo.availability("critical").priorities(Priority.P0).ticker(ticker).build());
        Slo everything = registry.add(Slo.latency("everything", Duration.ofMillis(100)).ticker(ticker).build());
        MetricsSink sink = registry.sink();
        sink.onRequest("checkout", Priority.P1, RequestOutcome.FAILED, null, null, 1_000);
        sink.onRequest("browse", Priority.P0, RequestOutcome.FRESH, null, null, 1_000);
        sink.onRequest("browse", null, RequestOutcome.FRESH, null, null, Duration.ofSeconds(1).toNanos());
        sink.onRequest("checkout", Priority.P0, RequestOutcome.REJECTED, "limit", PolicyKinds.RATE_LIMITER, 0);
        assertEquals(new EventCounts(0, 1), checkout.counts(MINUTE)); // the rate-limited one is excluded
        assertEquals(new EventCounts(1, 1), critical.counts(MINUTE));
        assertEquals(new EventCounts(1, 2), everything.counts(MINUTE));
        assertEquals(List.of(checkout, critical, everything), registry.all());
    }

    @Test
    void aPipelineFeedsItsSlosWithNoCodeAtTheCallSite() throws Exception {
        Slo payments = registry.add(Slo.availability("payments").requests("payments").ticker(ticker).build());
        Slo fresh = registry.add(Slo.availability("payments-fresh").requests("payments")
                .degraded(Slo.Treatment.FAILURE).ticker(ticker).build());
        CircuitBreaker breaker = CircuitBreaker.builder("payments-breaker").ticker(ticker).build();
        Fallback fallback = Fallback.builder("payments-fallback").value("cached").build();
        Pipeline pipeline = Pipeline.named("payments", List.of(fallback, breaker))
                .withMetrics(MetricsSink.composite(metrics, registry.sink()), ticker);
        CallContext p0 = CallContext.empty().withPriority(Priority.P0);
        assertEquals("paid", pipeline.call(p0, ctx -> "paid"));
        assertEquals("cached", pipeline.call(p0, ctx -> {
            throw new IOException("down");
        }));
        assertEquals(new EventCounts(2, 2), payments.counts(MINUTE));
        assertEquals(new EventCounts(1, 2), fresh.counts(MINUTE));
        assertEquals(1, metrics.requests("payments", RequestOutcome.DEGRADED));
    }

    @Test
    void stateChangesAreReportedOnceEachInOrderToTheSinkAndListeners() {
        Slo slo = registry.add(Slo.availability("pay").objective(0.999).ticker(ticker).build());
        List<String> heard = new ArrayList<>();
        registry.addListener((status, from, to) -> heard.add(status.name() + " " + from + "->" + to));
        registry.addListener((status, from, to) -> {
            throw new IllegalStateException("a broken listener");
        });
        for (int minute = 0; minute < 60; minute++) {
            ticker.advance(MINUTE);
            record(slo, 1_000, 0);
        }
        assertEquals("ok", registry.evaluate().get(0).state());
        ticker.advance(MINUTE);
        record(slo, 0, 1_000);
        assertEquals("page", registry.evaluate().get(0).state());
        assertEquals("page", registry.evaluate().get(0).state()); // no change, nothing reported
        for (int minute = 0; minute < 30; minute++) {
            ticker.advance(MINUTE);
            record(slo, 1_000, 0);
            registry.evaluate();
        }
        assertEquals(List.of("pay ok->page", "pay page->ticket"), heard);
        assertEquals(List.of("ok->page", "page->ticket"), metrics.transitions("pay", SloRegistry.KIND).stream()
                .map(t -> t.fromState() + "->" + t.toState()).toList());
        Transition first = metrics.transitions().get(0);
        assertEquals(SloRegistry.KIND, first.kind());
    }

    @Test
    void namesAreUniqueAndARemovedSloCountsNoMore() {
        Slo slo = registry.add(Slo.availability("a").ticker(ticker).build());
        assertEquals("an SLO named a is already registered", assertThrows(IllegalArgumentException.class,
                () -> registry.add(Slo.availability("a").ticker(ticker).build())).getMessage());
        assertTrue(registry.get("a").isPresent());
        assertTrue(registry.remove("a"));
        assertFalse(registry.remove("a"));
        registry.sink().onRequest("x", null, RequestOutcome.FRESH, null, null, 1);
        assertEquals(new EventCounts(0, 0), slo.counts(MINUTE));
        assertTrue(registry.evaluate().isEmpty());
        assertEquals("period must be > 0 but was PT0S", assertThrows(IllegalArgumentException.class,
                () -> registry.evaluateEvery(Duration.ZERO, null)).getMessage());
    }

    private static void record(Slo slo, int good, int bad) {
        for (int i = 0; i < good; i++) {
            slo.record(true);
        }
        for (int i = 0; i < bad; i++) {
            slo.record(false);
        }
    }
}
