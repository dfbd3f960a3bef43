package dev.nines.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InMemoryMetricsTest {

    private final ManualTicker ticker = new ManualTicker();
    private final InMemoryMetrics metrics = new InMemoryMetrics(ticker, 3);

    @Test
    void countsOutcomesPerPolicy() {
        metrics.onOutcome("a", "k", Outcome.SUCCESS, 10);
        metrics.onOutcome("a", "k", Outcome.SUCCESS, 20);
        metrics.onOutcome("a", "k", Outcome.REJECTED, 0);
        metrics.onOutcome("b", "k", Outcome.FAILURE, 5);

        assertEquals(2, metrics.count("a", Outcome.SUCCESS));
        assertEquals(1, metrics.count("a", Outcome.REJECTED));
        assertEquals(0, metrics.count("a", Outcome.FAILURE));
        assertEquals(1, metrics.count("b", Outcome.FAILURE));
        assertEquals(0, metrics.count("unknown", Outcome.SUCCESS));
    }

    @Test
    void latencyCoversCallsThatRanOnly() {
        metrics.onOutcome("a", "k", Outcome.SUCCESS, 10);
        metrics.onOutcome("a", "k", Outcome.FAILURE, 30);
        metrics.onOutcome("a", "k", Outcome.REJECTED, 0);
        metrics.onOutcome("a", "k", Outcome.SHED, 0);

        LatencySummary l = metrics.latency("a");
        assertEquals(2, l.count());
        assertEquals(20, l.mean());
        assertEquals(30, l.max());
        assertEquals(0, metrics.latency("unknown").count());
    }

    @Test
    void gaugesAreReadWhenAsked() {
        AtomicLong inFlight = new AtomicLong(3);
        metrics.registerGauge("bh", PolicyKinds.BULKHEAD, "in_flight", inFlight::get);
        assertEquals(OptionalLong.of(3), metrics.gauge("bh", "in_flight"));
        inFlight.set(7);
        assertEquals(OptionalLong.of(7), metrics.gauge("bh", "in_flight"));
        assertEquals(OptionalLong.empty(), metrics.gauge("bh", "nope"));
    }

    @Test
    void keepsOnlyTheMostRecentTransitions() {
        for (int i = 0; i < 5; i++) {
            ticker.advance(1);
            metrics.onTransition("cb", "k", "S" + i, "S" + (i + 1));
        }
        List<Transition> kept = metrics.transitions();
        assertEquals(3, kept.size());
        assertEquals(new Transition("cb", "k", "S2", "S3", 3), kept.get(0));
        assertEquals(Optional.of("S5"), metrics.state("cb"));
        assertEquals(3, metrics.transitions("cb").size());
        assertEquals(0, metrics.transitions("other").size());
    }

    @Test
    void snapshotAndReset() {
        metrics.onOutcome("b", "kb", Outcome.SUCCESS, 1);
        metrics.onOutcome("a", "ka", Outcome.FAILURE, 1);
        metrics.registerGauge("a", "ka", "limit", () -> 12);
        metrics.registerGauge("a", "ka", "broken", () -> {
            throw new IllegalStateException();
        });

        List<InMemoryMetrics.PolicySnapshot> snap = metrics.snapshot();
        assertEquals(List.of("a", "b"), snap.stream().map(InMemoryMetrics.PolicySnapshot::policy).toList());
        assertEquals(1L, snap.get(0).counts().get(Outcome.FAILURE));
        assertEquals(12L, snap.get(0).gauges().get("limit"));
        assertEquals(-1L, snap.get(0).gauges().get("broken"), "a failing gauge reads as -1, not an exception");

        metrics.reset();
        assertEquals(0, metrics.count("a", Outcome.FAILURE));
        assertEquals(OptionalLong.of(12), metrics.gauge("a", "limit"), "gauges survive a reset");
    }

    @Test
    void policiesOfDifferentKindsSharingANameAreCountedApart() {
        metrics.onOutcome("payments", PolicyKinds.CIRCUIT_BREAKER, Outcome.SUCCESS, 10);
        metrics.onOutcome("payments", PolicyKinds.CIRCUIT_BREAKER, Outcome.REJECTED, 0);
        metrics.onOutcome("payments", PolicyKinds.BULKHEAD, Outcome.SUCCESS, 30);
        metrics.onOutcome("payments", PolicyKinds.BULKHEAD, Outcome.REJECTED, 0);
        metrics.onOutcome("payments", PolicyKinds.BULKHEAD, Outcome.REJECTED, 0);
        metrics.onTransition("payments", PolicyKinds.CIRCUIT_BREAKER, "CLOSED", "OPEN");
        metrics.registerGauge("payments", PolicyKinds.BULKHEAD, "in_flight", () -> 4);
        metrics.registerGauge("payments", PolicyKinds.CIRCUIT_BREAKER, "in_flight", () -> 9);

        assertEquals(1, metrics.count("payments", PolicyKinds.CIRCUIT_BREAKER, Outcome.REJECTED));
        assertEquals(2, metrics.count("payments", PolicyKinds.BULKHEAD, Outcome.REJECTED));
        assertEquals(0, metrics.count("payments", PolicyKinds.RETRY, Outcome.REJECTED));
        assertEquals(3, metrics.count("payments", Outcome.REJECTED), "the name alone adds up every kind");

        assertEquals(10, metrics.latency("payments", PolicyKinds.CIRCUIT_BREAKER).max());
        assertEquals(1, metrics.latency("payments", PolicyKinds.BULKHEAD).count());
        LatencySummary both = metrics.latency("payments");
        assertEquals(2, both.count());
        assertEquals(20, both.mean());
        assertEquals(30, both.max());

        assertEquals(Optional.of("OPEN"), metrics.state("payments", PolicyKinds.CIRCUIT_BREAKER));
        assertEquals(Optional.empty(), metrics.state("payments", PolicyKinds.BULKHEAD));
        assertEquals(Optional.of("OPEN"), metrics.state("payments"));
        assertEquals(1, metrics.transitions("payments", PolicyKinds.CIRCUIT_BREAKER).size());
        assertEquals(0, metrics.transitions("payments", PolicyKinds.BULKHEAD).size());
        assertEquals(OptionalLong.of(9), metrics.gauge("payments", PolicyKinds.CIRCUIT_BREAKER, "in_flight"));
        assertEquals(OptionalLong.of(4), metrics.gauge("payments", "in_flight"),
                "by name alone, the alphabetically first kind (bulkhead) answers");

        List<InMemoryMetrics.PolicySnapshot> snap = metrics.snapshot();
        assertEquals(List.of("bulkhead", "circuit_breaker"),
                snap.stream().map(InMemoryMetrics.PolicySnapshot::kind).toList());
        assertEquals(2L, snap.get(0).counts().get(Outcome.REJECTED));
        assertEquals(1L, snap.get(1).counts().get(Outcome.REJECTED));
        assertEquals(Optional.empty(), snap.get(0).state());
        assertEquals(Optional.of("OPEN"), snap.get(1).state());

        metrics.reset();
        assertEquals(0, metrics.count("payments", Outcome.REJECTED));
        assertEquals(OptionalLong.of(4), metrics.gauge("payments", PolicyKinds.BULKHEAD, "in_flight"));
    }

    @Test
    void rejectsABadCapacity() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new InMemoryMetrics(ticker, 0));
        assertEquals("transitionCapacity must be >= 1 but was 0", e.getMessage());
    }

    @Test
    void countsExactlyUnderConcurrency() throws Exception {
        InMemoryMetrics shared = new InMemoryMetrics();
        int threads = 8;
        int perThread = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        for (int t = 0; t < threads; t++) {
            String policy = "p" + (t % 3);
            pool.execute(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    shared.onOutcome(policy, "k", Outcome.SUCCESS, i);
                }
            });
        }
        start.countDown();
        pool.shutdown();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));

        long total = 0;
        for (int p = 0; p < 3; p++) {
            total += shared.count("p" + p, Outcome.SUCCESS);
            assertEquals(shared.count("p" + p, Outcome.SUCCESS), shared.latency("p" + p).count());
        }
        assertEquals((long) threads * perThread, total);
    }
}
