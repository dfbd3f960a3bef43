package dev.nines.bulkhead;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.CallContext;
import dev.nines.ManualTicker;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SemaphoreBulkheadTest {

    private final ManualTicker ticker = new ManualTicker();
    private final InMemoryMetrics metrics = new InMemoryMetrics(ticker, 4);
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    private SemaphoreBulkheadBuilder bulkhead(int max) {
        return SemaphoreBulkhead.builder("b").maxConcurrent(max).ticker(ticker).metrics(metrics);
    }

    /** Occupies one permit from another thread until {@code release} opens. */
    private Future<Object> hold(SemaphoreBulkhead b, CountDownLatch release) throws InterruptedException {
        CountDownLatch in = new CountDownLatch(1);
        Future<Object> f = threads.submit(() -> b.call(() -> {
            in.countDown();
            release.await();
            return null;
        }));
        assertTrue(in.await(10, TimeUnit.SECONDS));
        return f;
    }

    @Test
    void rejectsWhenFullAndAdmitsAgainWhenAPermitComesBack() throws Exception {
        SemaphoreBulkhead b = bulkhead(1).build();
        CountDownLatch release = new CountDownLatch(1);
        Future<Object> holder = hold(b, release);
        BulkheadFullException e = assertThrows(BulkheadFullException.class, () -> b.call(() -> "x"));
        assertEquals("bulkhead 'b' is full (1 concurrent calls)", e.getMessage());
        assertEquals("b", e.policyName());
        assertEquals(0, e.getStackTrace().length, "rejections are cheap");
        assertEquals(1, metrics.count("b", Outcome.REJECTED));
        assertEquals(1, metrics.gauge("b", SemaphoreBulkhead.GAUGE_IN_FLIGHT).getAsLong());
        release.countDown();
        holder.get(10, TimeUnit.SECONDS);
        assertEquals("x", b.call(() -> "x"));
        assertEquals(0, metrics.gauge("b", SemaphoreBulkhead.GAUGE_IN_FLIGHT).getAsLong());
        assertEquals(1, metrics.gauge("b", SemaphoreBulkhead.GAUGE_AVAILABLE).getAsLong());
    }

    @Test
    void thePermitComesBackWhenTheCallThrowsAnError() {
        SemaphoreBulkhead b = bulkhead(2).build();
        StackOverflowError error = new StackOverflowError();
        assertSame(error, assertThrows(StackOverflowError.class, () -> b.call(() -> {
            throw error;
        })));
        assertEquals(2, b.availablePermits());
        assertEquals(1, metrics.count("b", Outcome.FAILURE));
    }

    @Test
    void aWaiterGetsThePermitReleasedWithinMaxWait() throws Exception {
        SemaphoreBulkhead b = bulkhead(1).maxWait(Duration.ofMinutes(1)).build();
        CountDownLatch release = new CountDownLatch(1);
        Future<Object> holder = hold(b, release);
        Future<Object> waiter = threads.submit(() -> b.call(() -> "waited"));
        await().until(() -> hasQueuedWaiter(b));
        release.countDown();
        assertEquals("waited", waiter.get(10, TimeUnit.SECONDS));
        holder.get(10, TimeUnit.SECONDS);
        assertEquals(1, b.availablePermits());
    }

    @Test
    void aWaiterNeverWaitsPastTheDeadlineOfItsCall() throws Exception {
        SemaphoreBulkhead b = bulkhead(1).maxWait(Duration.ofMinutes(1)).build();
        CountDownLatch release = new CountDownLatch(1);
        Future<Object> holder = hold(b, release);
        CallContext expired = CallContext.empty().withDeadline(Duration.ZERO, ticker);
        assertThrows(BulkheadFullException.class, () -> b.call(expired, ctx -> "x"));
        release.countDown();
        holder.get(10, TimeUnit.SECONDS);
    }

    @Test
    void anInterruptedWaiterHoldsNoPermitAndKeepsItsInterruptStatus() throws Exception {
        SemaphoreBulkhead b = bulkhead(1).maxWait(Duration.ofMinutes(1)).build();
        CountDownLatch release = new CountDownLatch(1);
        Future<Object> holder = hold(b, release);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                b.call(() -> "never");
            } catch (Throwable t) {
                thrown.set(t);
                flag.set(Thread.currentThread().isInterrupted());
            }
        });
        waiter.start();
        await().until(() -> hasQueuedWaiter(b));
        waiter.interrupt();
        waiter.join(10_000);
        assertInstanceOf(InterruptedException.class, thrown.get());
        assertTrue(flag.get());
        release.countDown();
        holder.get(10, TimeUnit.SECONDS);
        assertEquals(1, b.availablePermits(), "all permits are back");
    }

    @Test
    void aThrowingMetricsSinkNeverBreaksTheCall() throws Exception {
        dev.nines.metrics.MetricsSink broken = new dev.nines.metrics.MetricsSink() {
            @Override
            public void onOutcome(String policy, String kind, Outcome outcome, long durationNanos) {
                throw new IllegalStateException("sink");
            }

            @Override
            public void registerGauge(String policy, String kind, String gauge, java.util.function.LongSupplier v) {
                throw new IllegalStateException("sink");
            }
        };
        SemaphoreBulkhead b = SemaphoreBulkhead.builder("broken").maxConcurrent(1).metrics(broken).build();
        assertEquals("ok", b.call(() -> "ok"));
        assertTrue(b.tryAcquirePermission());
        assertFalse(b.tryAcquirePermission(), "the rejection is reported to the broken sink and still returned");
        b.releasePermission();
        assertEquals(1, b.availablePermits());
    }

    @Test
    void standalonePermissionsWithoutLambdas() {
        SemaphoreBulkhead b = bulkhead(2).build();
        assertTrue(b.tryAcquirePermission());
        assertTrue(b.tryAcquirePermission());
        assertFalse(b.tryAcquirePermission());
        assertEquals(2, b.inFlight());
        b.releasePermission();
        b.releasePermission();
        assertEquals(0, b.inFlight());
    }

    @Test
    void asyncCallsRejectAtOnceWhenFullAndReturnThePermitWhenTheStageCompletes() {
        SemaphoreBulkhead b = bulkhead(1).maxWait(Duration.ofMinutes(1)).build();
        CompletableFuture<String> first = new CompletableFuture<>();
        CompletableFuture<String> r1 = b.callAsync(() -> first).toCompletableFuture();
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> b.callAsync(() -> CompletableFuture.completedFuture("x")).toCompletableFuture().get());
        assertInstanceOf(BulkheadFullException.class, e.getCause());
        assertEquals(1, b.inFlight());
        first.completeExceptionally(new IllegalStateException());
        assertTrue(r1.isCompletedExceptionally());
        assertEquals(0, b.inFlight());
    }

    @Test
    void releasingWithNoPermitHeldFailsAndDoesNotRaiseTheLimit() {
        SemaphoreBulkhead b = bulkhead(1).build();
        assertTrue(b.tryAcquirePermission());
        b.releasePermission();
        IllegalStateException e = assertThrows(IllegalStateException.class, b::releasePermission);
        assertEquals("bulkhead 'b': releasePermission() with no permit held", e.getMessage());
        assertTrue(b.tryAcquirePermission());
        assertFalse(b.tryAcquirePermission(), "still a limit of one");
        b.releasePermission(); // the permit taken to count them: the bulkhead ends at rest
    }

    @Test
    void racingDoubleReleasesWithoutWaitingGiveBackExactlyTheOnePermitHeld() throws Exception {
        racingDoubleReleases(Duration.ZERO);
    }

    @Test
    void racingDoubleReleasesWithWaitingGiveBackExactlyTheOnePermitHeld() throws Exception {
        racingDoubleReleases(Duration.ofMillis(1));
    }

    /**
     * One permit is held and two racers release it at the same moment: exactly one release
     * passes and the other fails, every round, or the bulkhead would admit one call too many.
     */
    private void racingDoubleReleases(Duration maxWait) throws Exception {
        SemaphoreBulkhead b = bulkhead(1).maxWait(maxWait).build();
        for (int round = 0; round < 1_000; round++) {
            assertTrue(b.tryAcquirePermission());
            AtomicBoolean go = new AtomicBoolean();
            List<Future<Boolean>> racers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                racers.add(threads.submit(() -> {
                    while (!go.get()) {
                        Thread.onSpinWait(); // both racers leave together
                    }
                    return released(b);
                }));
            }
            go.set(true);
            int passed = 0;
            for (Future<Boolean> racer : racers) {
                passed += racer.get(10, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertEquals(1, passed, "round " + round + ": exactly one of two releases of one permit passes");
            assertEquals(1, b.availablePermits(), "round " + round + ": never more permits than maxConcurrent");
        }
    }

    /** Whether releasing passed; a refused release throws IllegalStateException. */
    private static boolean released(SemaphoreBulkhead b) {
        try {
            b.releasePermission();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    @Test
    void cancellingAnAsyncCallReturnsItsPermitAndCancelsTheWork() {
        SemaphoreBulkhead b = bulkhead(1).build();
        CompletableFuture<String> work = new CompletableFuture<>(); // never completes by itself
        CompletableFuture<String> stage = b.callAsync(() -> work).toCompletableFuture();
        assertEquals(1, b.inFlight());

        stage.cancel(true);
        assertEquals(0, b.inFlight(), "an abandoned call holds no permit");
        assertTrue(work.isCancelled(), "the cancellation reached the work");
        assertEquals(1, metrics.count("b", Outcome.IGNORED));
        work.complete("late"); // no effect: the permit was settled once
        assertEquals(0, b.inFlight());
        assertTrue(b.tryAcquirePermission());
        assertFalse(b.tryAcquirePermission(), "still one permit, not two");
        b.releasePermission(); // the permit taken to count them: the bulkhead ends at rest
    }

    @Test
    void aTimeoutOutsideTheBulkheadFreesThePermitAndCancelsTheWork() {
        dev.nines.testing.ManualScheduler scheduler = new dev.nines.testing.ManualScheduler(ticker);
        dev.nines.timeout.Timeout timeout = dev.nines.timeout.Timeout.builder("t")
                .timeout(Duration.ofSeconds(1)).ticker(ticker).scheduler(scheduler).metrics(metrics).build();
        SemaphoreBulkhead b = bulkhead(1).build();
        CompletableFuture<String> work = new CompletableFuture<>();
        CompletableFuture<String> stage = dev.nines.Pipeline.of(timeout, b).<String>callAsync(() -> work)
                .toCompletableFuture();
        assertEquals(1, b.inFlight());

        scheduler.advance(Duration.ofSeconds(1));
        ExecutionException e = assertThrows(ExecutionException.class, stage::get);
        assertInstanceOf(dev.nines.timeout.TimeoutExceededException.class, e.getCause());
        assertTrue(work.isCancelled(), "the timeout reached the work through the bulkhead");
        assertEquals(0, b.inFlight());
    }

    @Test
    void underStressWithoutWaitingInFlightNeverExceedsTheLimitAndEveryPermitComesBack() throws Exception {
        stress(Duration.ZERO);
    }

    @Test
    void underStressWithWaitingInFlightNeverExceedsTheLimitAndEveryPermitComesBack() throws Exception {
        stress(Duration.ofMillis(1));
    }

    /**
     * Many threads make sync calls (succeeding, throwing an exception, throwing an Error) and async
     * calls whose stage a helper thread completes while the caller cancels it. A sync call holds
     * its permit until the bulkhead is full or a bounded spin ends, so calls really overlap.
     * {@code inside} counts calls holding a permit: it rises when the work starts and falls before
     * the permit can come back (an async call's work falls when it is completed or cancelled).
     */
    private void stress(Duration maxWait) throws Exception {
        int max = 3;
        int workers = 8;
        int callsEach = 2_000;
        SemaphoreBulkhead b = bulkhead(max).maxWait(maxWait).build();
        ExecutorService completers = Executors.newFixedThreadPool(2);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxSeen = new AtomicInteger();
        AtomicInteger succeeded = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger asyncAdmitted = new AtomicInteger();
        AtomicInteger rejected = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(workers);
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int id = w;
            futures.add(threads.submit(() -> {
                start.await();
                for (int i = 0; i < callsEach; i++) {
                    int kind = (i + id) % 4;
                    if (kind == 3) {
                        asyncCallCancelledWhileCompleting(b, completers, inside, maxSeen, asyncAdmitted, rejected);
                        continue;
                    }
                    try {
                        b.call(() -> {
                            maxSeen.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            for (int spin = 0; spin < 200 && inside.get() < max; spin++) {
                                Thread.onSpinWait(); // hold the permit until the others come in
                            }
                            inside.decrementAndGet();
                            if (kind == 1) {
                                throw new IllegalStateException("some calls fail");
                            }
                            if (kind == 2) {
                                throw new StackOverflowError("some calls fail with an Error");
                            }
                            return null;
                        });
                        succeeded.incrementAndGet();
                    } catch (BulkheadFullException e) {
                        rejected.incrementAndGet();
                    } catch (IllegalStateException e) {
                        assertEquals("some calls fail", e.getMessage());
                        failed.incrementAndGet();
                    } catch (StackOverflowError e) {
                        assertEquals("some calls fail with an Error", e.getMessage());
                        errors.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        completers.shutdown();
        assertTrue(completers.awaitTermination(30, TimeUnit.SECONDS));

        assertTrue(maxSeen.get() <= max, "in flight reached " + maxSeen.get());
        assertEquals(max, b.availablePermits(), "every permit came back");
        assertEquals(0, b.inFlight());
        int syncAdmitted = succeeded.get() + failed.get() + errors.get();
        assertEquals(workers * callsEach, syncAdmitted + asyncAdmitted.get() + rejected.get());
        assertEquals(rejected.get(), metrics.count("b", Outcome.REJECTED));
        assertEquals(syncAdmitted + asyncAdmitted.get(), metrics.count("b", Outcome.SUCCESS)
                + metrics.count("b", Outcome.FAILURE) + metrics.count("b", Outcome.IGNORED),
                "every admitted call was settled exactly once");
        assertEquals(failed.get() + errors.get(), metrics.count("b", Outcome.FAILURE));
        assertTrue(errors.get() > 0 && asyncAdmitted.get() > 0, "both Errors and async calls were admitted");
    }

    /** One async call whose work a completer finishes while this thread cancels the stage. */
    private static void asyncCallCancelledWhileCompleting(SemaphoreBulkhead b, ExecutorService completers,
            AtomicInteger inside, AtomicInteger maxSeen, AtomicInteger admitted, AtomicInteger rejected) {
        AtomicBoolean ended = new AtomicBoolean();
        // the completer and the cancel both end the work; whichever comes second must not go on to
        // the permit's release while the first is between claiming the end and counting it, so each
        // counts first and the one that loses the claim takes its count back (an undercount for a
        // moment, never an overcount)
        Runnable end = () -> {
            inside.decrementAndGet();
            if (!ended.compareAndSet(false, true)) {
                inside.incrementAndGet();
            }
        };
        AtomicBoolean started = new AtomicBoolean();
        CompletableFuture<String> work = new CompletableFuture<>();
        CompletableFuture<String> stage = b.<String>callAsync(() -> {
            started.set(true);
            maxSeen.accumulateAndGet(inside.incrementAndGet(), Math::max);
            work.whenComplete((v, t) -> end.run()); // a cancel ends the work before the permit returns
            return work;
        }).toCompletableFuture();
        if (!started.get()) {
            ExecutionException e = assertThrows(ExecutionException.class, stage::get);
            assertInstanceOf(BulkheadFullException.class, e.getCause());
            rejected.incrementAndGet();
            return;
        }
        admitted.incrementAndGet();
        completers.execute(() -> {
            end.run(); // the work is over before its stage completes and gives the permit back
            work.complete("done");
        });
        stage.cancel(true);
    }

    @Test
    void invalidSettingsAreRefusedWithFieldAndValue() {
        assertEquals("name must not be blank but was ' '; maxConcurrent must be >= 1 but was 0; "
                + "maxWait must be >= 0 but was PT-0.001S", assertThrows(IllegalArgumentException.class,
                () -> SemaphoreBulkhead.builder(" ").maxConcurrent(0).maxWait(Duration.ofMillis(-1)).build())
                .getMessage());
    }

    /** Whether some thread is parked waiting for a permit of a bulkhead. */
    private static boolean hasQueuedWaiter(SemaphoreBulkhead b) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getState() == Thread.State.TIMED_WAITING) {
                for (StackTraceElement e : t.getStackTrace()) {
                    if (e.getClassName().equals(SemaphoreBulkhead.class.getName())
                            && e.getMethodName().equals("awaitPermission")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    @Test
    void toBuilderKeepsAnUnsetSinkUnsetSoTheDerivedBulkheadTakesTheDefaultOfItsOwnBuild() {
        InMemoryMetrics first = new InMemoryMetrics();
        InMemoryMetrics second = new InMemoryMetrics();
        try {
            Metrics.setDefault(first);
            SemaphoreBulkhead original = SemaphoreBulkhead.builder("derived").maxConcurrent(1).build();
            Metrics.setDefault(second);
            SemaphoreBulkhead derived = original.toBuilder().maxWait(Duration.ofMillis(5)).build();
            assertEquals(Duration.ofMillis(5), derived.config().maxWait());
            assertEquals(1, derived.config().maxConcurrent());
            assertTrue(derived.tryAcquirePermission());
            assertFalse(derived.tryAcquirePermission());
            assertEquals(1, second.count("derived", Outcome.REJECTED), "the default of the derived build");
            assertEquals(0, first.count("derived", Outcome.REJECTED));

            SemaphoreBulkhead mine = bulkhead(1).build().toBuilder().maxConcurrent(2).build();
            mine.tryAcquirePermission();
            mine.tryAcquirePermission();
            assertFalse(mine.tryAcquirePermission());
            assertEquals(1, metrics.count("b", Outcome.REJECTED), "a sink that was set is carried on");
            derived.releasePermission(); // the permits taken to fill them: both bulkheads end at rest
            mine.releasePermission();
            mine.releasePermission();
        } finally {
            Metrics.setDefault(null);
        }
    }
}
