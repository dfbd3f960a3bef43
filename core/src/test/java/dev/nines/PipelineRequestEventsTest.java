package dev.nines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.bulkhead.BulkheadFullException;
import dev.nines.bulkhead.SemaphoreBulkhead;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.circuitbreaker.CircuitBreakerOpenException;
import dev.nines.fallback.Fallback;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.RequestOutcome;
import dev.nines.retry.Backoff;
import dev.nines.retry.Retry;
import dev.nines.testing.ManualScheduler;
import dev.nines.timeout.Timeout;
import dev.nines.timeout.TimeoutExceededException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** One {@link MetricsSink#onRequest} event per pipeline call, with the call's final outcome. */
class PipelineRequestEventsTest {

    private final ManualTicker ticker = new ManualTicker();
    private final ManualScheduler scheduler = new ManualScheduler(ticker);
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final MetricsSink recorder = new MetricsSink() {
        @Override
        public void onRequest(String name, Priority priority, RequestOutcome outcome, String rejectedBy,
                String rejectedKind, long latencyNanos) {
            events.add(name + " " + priority + " " + outcome + " " + rejectedBy + " " + rejectedKind + " "
                    + Duration.ofNanos(latencyNanos).toMillis() + "ms");
        }
    };
    private final CircuitBreaker breaker = CircuitBreaker.builder("payments-breaker").ticker(ticker).build();
    private final SemaphoreBulkhead bulkhead = SemaphoreBulkhead.builder("payments-bulkhead").maxConcurrent(1)
            .ticker(ticker).build();
    private final Fallback fallback = Fallback.builder("payments-fallback").value("cached").build();
    private final CallContext p1 = CallContext.empty().withPriority(Priority.P1);

    private Pipeline payments(Policy... policies) {
        return Pipeline.named("payments", List.of(policies)).withMetrics(recorder, ticker);
    }

    private String slowAnswer(String answer) {
        ticker.advance(Duration.ofMillis(5));
        return answer;
    }

    @Test
    void aCallThatAnswersIsReportedFreshOnceWithItsPriorityAndLatency() throws Exception {
        assertEquals("fresh", payments(fallback, breaker, bulkhead).call(p1, ctx -> slowAnswer("fresh")));
        assertEquals(List.of("payments P1 FRESH null null 5ms"), events);
    }

    @Test
    void aFallbackAnswerIsReportedDegraded() throws Exception {
        assertEquals("cached", payments(fallback, breaker, bulkhead).call(p1, ctx -> {
            slowAnswer("lost");
            throw new IOException("down");
        }));
        assertEquals(List.of("payments P1 DEGRADED null null 5ms"), events);
    }

    @Test
    void anOpenBreakerIsReportedAsARejectionByTheBreaker() {
        breaker.forceOpen();
        assertThrows(CircuitBreakerOpenException.class,
                () -> payments(breaker, bulkhead).call(CallContext.empty(), ctx -> "never"));
        assertEquals(List.of("payments null REJECTED payments-breaker circuit_breaker 0ms"), events);
    }

    @Test
    void aFullBulkheadIsReportedAsARejectionByTheBulkhead() {
        assertTrue(bulkhead.tryAcquirePermission());
        assertThrows(BulkheadFullException.class, () -> payments(breaker, bulkhead).call(p1, ctx -> "never"));
        assertEquals(List.of("payments P1 REJECTED payments-bulkhead bulkhead 0ms"), events);
        bulkhead.releasePermission(); // the permit the test took: the bulkhead ends at rest
    }

    @Test
    void aFailureNoFallbackReplacesIsReportedFailed() {
        assertThrows(IOException.class, () -> payments(breaker, bulkhead).call(p1, ctx -> {
            slowAnswer("lost");
            throw new IOException("down");
        }));
        assertEquals(List.of("payments P1 FAILED null null 5ms"), events);
    }

    @Test
    void aRejectionTheCallItselfThrowsFromDownstreamIsAFailureNotARejectionOfThisPipeline() {
        CircuitBreaker downstream = CircuitBreaker.builder("downstream").ticker(ticker).build();
        downstream.forceOpen();
        assertThrows(CircuitBreakerOpenException.class,
                () -> payments(breaker, bulkhead).call(p1, ctx -> downstream.call(() -> "never")));
        assertEquals(List.of("payments P1 FAILED null null 0ms"), events);
    }

    @Test
    void aCallItsTimeoutGivesUpOnIsReportedTimedOutByTheTimeout() {
        Timeout timeout = Timeout.builder("payments-timeout").timeout(Duration.ofMillis(100)).ticker(ticker)
                .scheduler(scheduler).build();
        CallContext expired = p1.withDeadline(Duration.ofMillis(1), ticker);
        ticker.advance(Duration.ofMillis(1));
        assertThrows(TimeoutExceededException.class,
                () -> payments(breaker, timeout).call(expired, ctx -> "never"));
        assertEquals(List.of("payments P1 TIMED_OUT payments-timeout timeout 0ms"), events);
    }

    @Test
    void retriesAreOneRequestAndTheLastAttemptsAnswerDecidesFreshOrDegraded() throws Exception {
        Retry retry = Retry.builder("payments-retry").maxAttempts(3).backoff(Backoff.none()).ticker(ticker).build();
        int[] attempts = {0};
        assertEquals("third", payments(retry, breaker).call(p1, ctx -> {
            if (++attempts[0] < 3) {
                throw new IOException("flaky");
            }
            return "third";
        }));
        assertEquals("cached", payments(fallback, retry, breaker).call(p1, ctx -> {
            throw new IOException("down");
        }));
        assertEquals(List.of("payments P1 FRESH null null 0ms", "payments P1 DEGRADED null null 0ms"), events);
    }

    @Test
    void aFallbackThatAnswersTheSameValueTheCallReturnedEarlierIsStillDegraded() throws Exception {
        Retry retry = Retry.builder("payments-retry").maxAttempts(2).backoff(Backoff.none())
                .failures(FailureFilter.exceptions().failingResults("cached"::equals)).ticker(ticker).build();
        int[] attempts = {0};
        assertEquals("cached", payments(fallback, retry).call(p1, ctx -> {
            if (++attempts[0] == 1) {
                return new String("cached");
            }
            throw new IOException("down");
        }));
        assertEquals(List.of("payments P1 DEGRADED null null 0ms"), events);
    }

    @Test
    void asyncCallsReportWhenTheirStageCompletesWithTheSameOutcomesAsSyncOnes() {
        Pipeline pipeline = payments(fallback, breaker, bulkhead);
        CompletableFuture<String> pending = new CompletableFuture<>();
        CompletableFuture<String> fresh = pipeline.<String>callAsync(p1, ctx -> pending).toCompletableFuture();
        ticker.advance(Duration.ofMillis(7));
        assertEquals(List.of(), events, "nothing before the stage completes");
        pending.complete("fresh");
        assertEquals("fresh", fresh.join());

        assertEquals("cached", pipeline.<String>callAsync(p1,
                ctx -> CompletableFuture.failedFuture(new IOException("down"))).toCompletableFuture().join());

        breaker.forceOpen();
        CompletableFuture<String> rejected = payments(breaker, bulkhead)
                .<String>callAsync(p1, ctx -> CompletableFuture.completedFuture("never")).toCompletableFuture();
        assertTrue(assertThrows(CompletionException.class, rejected::join).getCause()
                instanceof CircuitBreakerOpenException);
        breaker.reset();

        assertThrows(CompletionException.class, () -> payments(breaker, bulkhead).<String>callAsync(p1,
                ctx -> CompletableFuture.failedFuture(new IOException("down"))).toCompletableFuture().join());

        Timeout timeout = Timeout.builder("payments-timeout").timeout(Duration.ofMillis(100)).ticker(ticker)
                .scheduler(scheduler).build();
        CompletableFuture<String> late = payments(breaker, timeout)
                .<String>callAsync(p1, ctx -> new CompletableFuture<>()).toCompletableFuture();
        scheduler.advance(Duration.ofMillis(100));
        assertTrue(assertThrows(CompletionException.class, late::join).getCause()
                instanceof TimeoutExceededException);

        assertEquals(List.of(
                "payments P1 FRESH null null 7ms",
                "payments P1 DEGRADED null null 0ms",
                "payments P1 REJECTED payments-breaker circuit_breaker 0ms",
                "payments P1 FAILED null null 0ms",
                "payments P1 TIMED_OUT payments-timeout timeout 100ms"), events);
    }

    @Test
    void aCancelledAsyncCallIsReportedOnceAsCancelledAndGivesItsPermitBack() {
        CompletableFuture<String> work = new CompletableFuture<>();
        CompletableFuture<String> call = payments(breaker, bulkhead).<String>callAsync(p1, ctx -> work)
                .toCompletableFuture();
        ticker.advance(Duration.ofMillis(3));
        call.cancel(true);
        work.complete("too late");
        assertEquals(List.of("payments P1 CANCELLED null null 3ms"), events);
        assertEquals(1, bulkhead.availablePermits());
    }

    @Test
    void inMemoryMetricsCountsRequestsByNameOutcomeAndPriority() throws Exception {
        InMemoryMetrics metrics = new InMemoryMetrics();
        Pipeline pipeline = Pipeline.named("payments", List.of(fallback, breaker)).withMetrics(metrics, ticker);
        pipeline.call(p1, ctx -> slowAnswer("fresh"));
        pipeline.call(p1, ctx -> {
            throw new IOException("down");
        });
        pipeline.call(CallContext.empty(), ctx -> "fresh");
        assertEquals(2, metrics.requests("payments", RequestOutcome.FRESH));
        assertEquals(1, metrics.requests("payments", Priority.P1, RequestOutcome.FRESH));
        assertEquals(1, metrics.requests("payments", null, RequestOutcome.FRESH));
        assertEquals(1, metrics.requests("payments", Priority.P1, RequestOutcome.DEGRADED));
        assertEquals(3, metrics.requestLatency("payments").count());
        assertEquals(Duration.ofMillis(5).toNanos(), metrics.requestLatency("payments").max());
        metrics.reset();
        assertEquals(0, metrics.requests("payments", RequestOutcome.FRESH));
        assertEquals(List.of(), metrics.requestSnapshot());
    }

    @Test
    void underConcurrentCallsEveryCallIsExactlyOneEventMatchingWhatItsCallerSaw() throws Exception {
        InMemoryMetrics metrics = new InMemoryMetrics();
        SemaphoreBulkhead narrow = SemaphoreBulkhead.builder("narrow").maxConcurrent(2).ticker(ticker).build();
        Pipeline pipeline = Pipeline.named("stress", List.of(Fallback.builder("f").value("cached")
                .failures(FailureFilter.on(IOException.class)).build(), narrow)).withMetrics(metrics, ticker);
        int threads = 4;
        int callsEach = 2_000;
        LongAdder fresh = new LongAdder();
        LongAdder degraded = new LongAdder();
        LongAdder rejected = new LongAdder();
        LongAdder failed = new LongAdder();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < callsEach; i++) {
                        int kind = i % 3; // deterministic mix: answer, fail over to the fallback, fail outright
                        try {
                            String r = pipeline.call(p1, ctx -> {
                                if (kind == 1) {
                                    throw new IOException("down");
                                } else if (kind == 2) {
                                    throw new IllegalStateException("bug");
                                }
                                return new String("fresh");
                            });
                            ("cached".equals(r) ? degraded : fresh).increment();
                        } catch (BulkheadFullException e) {
                            rejected.increment();
                        } catch (IllegalStateException e) {
                            failed.increment();
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(10, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(fresh.sum(), metrics.requests("stress", RequestOutcome.FRESH));
        assertEquals(degraded.sum(), metrics.requests("stress", RequestOutcome.DEGRADED));
        assertEquals(rejected.sum(), metrics.requests("stress", RequestOutcome.REJECTED));
        assertEquals(failed.sum(), metrics.requests("stress", RequestOutcome.FAILED));
        assertEquals((long) threads * callsEach, metrics.requestLatency("stress").count(), "one event per call");
        assertEquals(2, narrow.availablePermits());
    }

    @Test
    void aPipelineWithoutASinkReportsNothingEvenWhenADefaultSinkIsSet() throws Exception {
        Metrics.setDefault(recorder);
        try {
            Pipeline.of(breaker).call(p1, ctx -> "fresh");
            Pipeline.named("payments", List.of(breaker)).call(p1, ctx -> "fresh");
        } finally {
            Metrics.setDefault(null);
        }
        assertEquals(List.of(), events);
    }

    @Test
    void aSinkThatThrowsNeverBreaksTheCall() throws Exception {
        MetricsSink broken = new MetricsSink() {
            @Override
            public void onRequest(String name, Priority priority, RequestOutcome outcome, String rejectedBy,
                    String rejectedKind, long latencyNanos) {
                throw new IllegalStateException("broken sink");
            }
        };
        Pipeline pipeline = Pipeline.named("payments", List.of(breaker)).withMetrics(broken, ticker);
        assertEquals("fresh", pipeline.call(p1, ctx -> "fresh"));
        assertEquals("fresh", pipeline.callAsync(p1, ctx -> CompletableFuture.completedFuture("fresh"))
                .toCompletableFuture().join());
    }
}
