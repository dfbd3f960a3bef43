package dev.nines.bulkhead;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.Outcome;
import java.io.IOException;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class ThreadPoolBulkheadTest {

    private final ManualTicker ticker = new ManualTicker();
    private final InMemoryMetrics metrics = new InMemoryMetrics(ticker, 4);
    private final List<ThreadPoolBulkhead> built = new ArrayList<>();

    @AfterEach
    void stop() {
        built.forEach(ThreadPoolBulkhead::close);
        MDC.clear();
    }

    private ThreadPoolBulkhead bulkhead(int threads, int queue) {
        ThreadPoolBulkhead b = ThreadPoolBulkhead.builder("p").maxThreads(threads).queueCapacity(queue).ticker(ticker)
                .metrics(metrics).build();
        built.add(b);
        return b;
    }

    /** A call holding one of the pool's threads from construction until {@link #release()}. */
    private static final class Occupant {
        private final CountDownLatch release = new CountDownLatch(1);
        private final CompletableFuture<String> done;

        Occupant(ThreadPoolBulkhead b) throws InterruptedException {
            CountDownLatch running = new CountDownLatch(1);
            done = b.submit(() -> {
                running.countDown();
                release.await();
                return "first";
            }).toCompletableFuture();
            assertTrue(running.await(10, TimeUnit.SECONDS), "the occupant started");
        }

        /** Lets the call finish and checks its result. */
        void release() throws Exception {
            release.countDown();
            assertEquals("first", done.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void rejectsWhenEveryThreadAndQueueSlotIsTaken() throws Exception {
        ThreadPoolBulkhead b = bulkhead(1, 1);
        Occupant first = new Occupant(b);
        CompletableFuture<String> queued = b.submit(() -> "queued").toCompletableFuture();
        assertEquals(1, metrics.gauge("p", ThreadPoolBulkhead.GAUGE_IN_FLIGHT).getAsLong());
        assertEquals(1, metrics.gauge("p", ThreadPoolBulkhead.GAUGE_QUEUE_DEPTH).getAsLong());
        ExecutionException e = assertThrows(ExecutionException.class, () -> b.submit(() -> "x").toCompletableFuture().get());
        BulkheadFullException full = assertInstanceOf(BulkheadFullException.class, e.getCause());
        assertEquals("thread-pool bulkhead 'p' is full (1 threads, queue of 1)", full.getMessage());
        first.release();
        assertEquals("queued", queued.get(10, TimeUnit.SECONDS));
        assertEquals(1, metrics.count("p", Outcome.REJECTED));
        await().until(() -> b.inFlight() == 0 && b.queueDepth() == 0);
    }

    @Test
    void syncExecutionWaitsForTheResultAndPassesFailuresThrough() throws Exception {
        ThreadPoolBulkhead b = bulkhead(2, 0);
        String thread = b.call(() -> Thread.currentThread().getName());
        assertTrue(thread.startsWith("nines-bulkhead-p-"), thread);
        IOException boom = new IOException();
        assertSame(boom, assertThrows(IOException.class, () -> b.call(() -> {
            throw boom;
        })));
    }

    @Test
    void theCallersMdcIsVisibleOnAPoolThreadThatExistedBeforeAndDoesNotStayThere() throws Exception {
        ThreadPoolBulkhead b = bulkhead(1, 0);
        // the pool's one thread is created while the caller has no MDC: the MDC's inheritable
        // thread-local cannot carry the caller's later entries over by itself
        MDC.clear();
        String worker = b.submit(() -> Thread.currentThread().getName()).toCompletableFuture().get(10, TimeUnit.SECONDS);
        MDC.put("requestId", "r-7");

        List<String> inside = b.submit(() -> List.of(Thread.currentThread().getName(), "" + MDC.get("requestId")))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(List.of(worker, "r-7"), inside, "the same, older thread sees the caller's entries");
        assertEquals("r-7", MDC.get("requestId"), "the caller's MDC is untouched");
        MDC.clear();
        assertEquals(List.of(worker, "null"), b.submit(() -> List.of(Thread.currentThread().getName(),
                "" + MDC.get("requestId"))).toCompletableFuture().get(10, TimeUnit.SECONDS),
                "the entries did not stay on the pool thread");
    }

    @Test
    void cancellingTheStageInterruptsTheWork() throws Exception {
        ThreadPoolBulkhead b = bulkhead(1, 0);
        CountDownLatch running = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        CompletableFuture<Object> f = b.submit(() -> {
            running.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            return null;
        }).toCompletableFuture();
        assertTrue(running.await(10, TimeUnit.SECONDS));
        f.cancel(true);
        await().untilTrue(interrupted);
        await().until(() -> b.inFlight() == 0);
    }

    @Test
    void withNoQueueACallMadeRightAfterThePreviousOneCompletesIsAdmitted() throws Exception {
        ThreadPoolBulkhead b = bulkhead(1, 0);
        for (int i = 0; i < 500; i++) {
            int n = i;
            assertEquals(n, b.call(() -> n), "call " + n);
            assertEquals(n, b.submit(() -> n).toCompletableFuture().get(10, TimeUnit.SECONDS), "submit " + n);
        }
        assertEquals(0, metrics.count("p", Outcome.REJECTED));
    }

    @Test
    void aCancelledQueuedCallLeavesTheQueueFreesItsSlotAndNeverRuns() throws Exception {
        ThreadPoolBulkhead b = bulkhead(1, 1);
        Occupant first = new Occupant(b);
        AtomicBoolean queuedRan = new AtomicBoolean();
        CompletableFuture<String> queued = b.submit(() -> {
            queuedRan.set(true);
            return "queued";
        }).toCompletableFuture();
        assertEquals(1, b.queueDepth());

        assertTrue(queued.cancel(true));
        assertEquals(0, b.queueDepth(), "the cancelled call no longer takes a queue slot");
        assertEquals(0, metrics.gauge("p", ThreadPoolBulkhead.GAUGE_QUEUE_DEPTH).getAsLong());
        CompletableFuture<String> next = b.submit(() -> "next").toCompletableFuture();
        assertFalse(next.isDone(), "its slot went to the next call");
        first.release();
        assertEquals("next", next.get(10, TimeUnit.SECONDS));
        assertFalse(queuedRan.get(), "a call cancelled in the queue never runs");
        assertEquals(0, metrics.count("p", Outcome.REJECTED));
        assertEquals(0, b.inFlight());
        assertEquals(0, b.queueDepth());
    }

    @Test
    void cancellingAnAsyncCallsStageReachesTheQueuedStartOrTheStartedCallsStage() throws Exception {
        ThreadPoolBulkhead b = bulkhead(1, 1);
        Occupant first = new Occupant(b);
        AtomicBoolean queuedStarted = new AtomicBoolean();
        CompletableFuture<String> queued = b.<String>callAsync(() -> {
            queuedStarted.set(true);
            return new CompletableFuture<>();
        }).toCompletableFuture();
        assertTrue(queued.cancel(true));
        assertEquals(0, b.queueDepth(), "the queued start was withdrawn");
        first.release();

        CompletableFuture<String> inner = new CompletableFuture<>();
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<String> outer = b.<String>callAsync(() -> {
            started.countDown();
            return inner;
        }).toCompletableFuture();
        assertTrue(started.await(10, TimeUnit.SECONDS));
        assertTrue(outer.cancel(true));
        await().until(inner::isCancelled); // the start may still be publishing its stage
        assertFalse(queuedStarted.get(), "the withdrawn start never ran");
        assertEquals(0, b.queueDepth());
    }

    @Test
    void anAsyncCallIsRecordedWhenItsStageCompletesNotWhenItStarts() throws Exception {
        ThreadPoolBulkhead b = bulkhead(1, 0);
        CompletableFuture<String> failing = new CompletableFuture<>();
        CompletableFuture<String> failed = b.<String>callAsync(() -> failing).toCompletableFuture();
        await().until(() -> b.inFlight() == 0 && b.queueDepth() == 0); // the start is over
        assertEquals(0, metrics.count("p", Outcome.SUCCESS), "a started call has not succeeded yet");

        ticker.advance(Duration.ofMillis(30));
        failing.completeExceptionally(new IOException("late failure"));
        assertThrows(ExecutionException.class, () -> failed.get(10, TimeUnit.SECONDS));
        assertEquals(1, metrics.count("p", Outcome.FAILURE), "a failed stage is a failure, as in the sync path");
        assertEquals(0, metrics.count("p", Outcome.SUCCESS));
        assertEquals(30_000_000L, metrics.latency("p").max(), "timed until the stage completed");

        CompletableFuture<String> succeeding = new CompletableFuture<>();
        CompletableFuture<String> succeeded = b.<String>callAsync(() -> succeeding).toCompletableFuture();
        await().until(() -> b.inFlight() == 0 && b.queueDepth() == 0);
        assertEquals(0, metrics.count("p", Outcome.SUCCESS));
        succeeding.complete("ok");
        assertEquals("ok", succeeded.get(10, TimeUnit.SECONDS));
        assertEquals(1, metrics.count("p", Outcome.SUCCESS));

        CompletableFuture<String> abandoned = new CompletableFuture<>();
        CompletableFuture<String> cancelled = b.<String>callAsync(() -> abandoned).toCompletableFuture();
        await().until(() -> b.inFlight() == 0 && b.queueDepth() == 0);
        assertTrue(cancelled.cancel(true));
        assertTrue(abandoned.isCancelled());
        assertEquals(1, metrics.count("p", Outcome.IGNORED), "a call its caller cancelled is neither");
        assertEquals(1, metrics.count("p", Outcome.FAILURE));
    }

    @Test
    void asyncCallsAreStartedOnThePool() throws Exception {
        ThreadPoolBulkhead b = bulkhead(1, 0);
        String startedOn = b.callAsync(() -> CompletableFuture.completedFuture(Thread.currentThread().getName()))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertTrue(startedOn.startsWith("nines-bulkhead-p-"), startedOn);
    }

    @Test
    void whileTheWorkIsHeldExactlyTheThreadsRunAndTheQueueFillsAndEveryOtherSubmissionIsRejected() throws Exception {
        int threads = 3;
        int queue = 4;
        ThreadPoolBulkhead b = bulkhead(threads, queue);
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        int submitters = 8;
        int each = 25;
        List<CompletableFuture<String>> all = submitConcurrently(submitters, each, () -> b.submit(() -> {
            maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
            try {
                if (!gate.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never opened the gate");
                }
                return "done";
            } finally {
                inside.decrementAndGet();
            }
        }).toCompletableFuture());
        // nothing can finish while the gate is shut: a call is either waiting for it or was rejected
        int accepted = 0;
        int rejected = 0;
        for (CompletableFuture<String> f : all) {
            if (f.isDone()) {
                ExecutionException e = assertThrows(ExecutionException.class, f::get);
                assertInstanceOf(BulkheadFullException.class, e.getCause());
                rejected++;
            } else {
                accepted++;
            }
        }
        assertEquals(threads + queue, accepted, "the threads and the queue slots, no more and no less");
        assertEquals(submitters * each, accepted + rejected);
        assertEquals(rejected, metrics.count("p", Outcome.REJECTED));
        await().until(() -> inside.get() == threads);
        assertEquals(threads, metrics.gauge("p", ThreadPoolBulkhead.GAUGE_IN_FLIGHT).getAsLong());
        assertEquals(queue, metrics.gauge("p", ThreadPoolBulkhead.GAUGE_QUEUE_DEPTH).getAsLong());
        gate.countDown();
        for (CompletableFuture<String> f : all) {
            if (!f.isCompletedExceptionally()) {
                assertEquals("done", f.get(10, TimeUnit.SECONDS));
            }
        }
        assertEquals(threads, maxInside.get(), "running calls reached the threads and never passed them");
        await().until(() -> b.inFlight() == 0 && b.queueDepth() == 0);
    }

    @Test
    void underStressNoMoreCallsRunOrWaitThanThereAreThreadsAndQueueSlots() throws Exception {
        int threads = 3;
        int queue = 4;
        ThreadPoolBulkhead b = bulkhead(threads, queue);
        LongSupplier inFlightGauge = () -> metrics.gauge("p", ThreadPoolBulkhead.GAUGE_IN_FLIGHT).getAsLong();
        LongSupplier queueGauge = () -> metrics.gauge("p", ThreadPoolBulkhead.GAUGE_QUEUE_DEPTH).getAsLong();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        AtomicLong maxInFlightGauge = new AtomicLong();
        AtomicLong maxQueueGauge = new AtomicLong();
        // accepted is counted after submit returns and finished at the end of the work, so
        // accepted - finished (read in that order) never overstates the calls that hold a thread
        // or a queue slot: it may never pass threads + queue
        AtomicLong acceptedAtSubmit = new AtomicLong();
        AtomicLong rejectedAtSubmit = new AtomicLong();
        AtomicLong finished = new AtomicLong();
        AtomicLong maxBacklog = new AtomicLong();
        Runnable sampleBacklog = () -> {
            long a = acceptedAtSubmit.get();
            maxBacklog.accumulateAndGet(a - finished.get(), Math::max);
        };
        int submitters = 8;
        int each = 2_000;
        List<CompletableFuture<String>> all = submitConcurrently(submitters, each, () -> {
            CompletableFuture<String> f = b.submit(() -> {
                maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                maxInFlightGauge.accumulateAndGet(inFlightGauge.getAsLong(), Math::max);
                maxQueueGauge.accumulateAndGet(queueGauge.getAsLong(), Math::max);
                sampleBacklog.run();
                inside.decrementAndGet();
                finished.incrementAndGet();
                return "done";
            }).toCompletableFuture();
            if (f.isCompletedExceptionally()) {
                rejectedAtSubmit.incrementAndGet(); // the work never fails, so this is a rejection
            } else {
                acceptedAtSubmit.incrementAndGet();
                sampleBacklog.run();
            }
            maxQueueGauge.accumulateAndGet(queueGauge.getAsLong(), Math::max);
            return f;
        });
        long completed = 0;
        long rejected = 0;
        for (CompletableFuture<String> f : all) {
            try {
                assertEquals("done", f.get(10, TimeUnit.SECONDS));
                completed++;
            } catch (ExecutionException e) {
                assertInstanceOf(BulkheadFullException.class, e.getCause());
                rejected++;
            }
        }
        assertTrue(maxInside.get() <= threads, "running calls reached " + maxInside.get());
        assertTrue(maxInFlightGauge.get() <= threads, "the in-flight gauge reached " + maxInFlightGauge.get());
        assertTrue(maxQueueGauge.get() <= queue, "the queue-depth gauge reached " + maxQueueGauge.get());
        assertTrue(maxBacklog.get() <= threads + queue, "accepted but unfinished calls reached " + maxBacklog.get());
        assertEquals(acceptedAtSubmit.get(), completed, "every accepted call completed");
        assertEquals(rejectedAtSubmit.get(), rejected, "every rejected call failed with BulkheadFullException");
        assertEquals(submitters * each, completed + rejected);
        assertEquals(completed, finished.get());
        assertEquals(rejected, metrics.count("p", Outcome.REJECTED));
        await().until(() -> b.inFlight() == 0 && b.queueDepth() == 0);
    }

    @Test
    void underStressWithCancellationsRunningStaysWithinTheThreadsAndEverySlotComesBack() throws Exception {
        int threads = 3;
        int queue = 4;
        ThreadPoolBulkhead b = bulkhead(threads, queue);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        AtomicLong maxQueueGauge = new AtomicLong();
        // accepted is counted after submit returns, released when the work ends or just before a
        // cancel (taken back if the cancel fails); a cancelled call whose work still ran is
        // subtracted twice, so the sampled backlog may understate but never overstate the calls
        // that hold a slot
        AtomicLong accepted = new AtomicLong();
        AtomicLong released = new AtomicLong();
        AtomicLong maxBacklog = new AtomicLong();
        AtomicInteger cancelled = new AtomicInteger();
        AtomicInteger submitted = new AtomicInteger();
        int submitters = 8;
        int each = 1_000;
        List<CompletableFuture<String>> all = submitConcurrently(submitters, each, () -> {
            boolean cancel = submitted.incrementAndGet() % 3 == 0;
            CompletableFuture<String> f = b.submit(() -> {
                maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                maxBacklog.accumulateAndGet(accepted.get() - released.get(), Math::max);
                inside.decrementAndGet();
                released.incrementAndGet();
                return "done";
            }).toCompletableFuture();
            if (!f.isCompletedExceptionally()) {
                accepted.incrementAndGet();
            }
            maxQueueGauge.accumulateAndGet(b.queueDepth(), Math::max);
            if (cancel) {
                // counted as released before the cancel: a successful cancel gives the slot back
                // inside cancel(), and another call may take it and sample before we could count it
                released.incrementAndGet();
                if (f.cancel(true)) {
                    cancelled.incrementAndGet();
                } else {
                    released.decrementAndGet();
                }
            }
            return f;
        });
        int done = 0;
        int rejected = 0;
        for (CompletableFuture<String> f : all) {
            if (f.isCancelled()) {
                continue;
            }
            try {
                assertEquals("done", f.get(10, TimeUnit.SECONDS));
                done++;
            } catch (ExecutionException e) {
                assertInstanceOf(BulkheadFullException.class, e.getCause());
                rejected++;
            }
        }
        assertEquals(submitters * each, done + rejected + cancelled.get());
        assertTrue(cancelled.get() > 0, "some calls were cancelled");
        assertTrue(maxInside.get() <= threads, "running calls reached " + maxInside.get());
        assertTrue(maxQueueGauge.get() <= queue, "the queue-depth gauge reached " + maxQueueGauge.get());
        assertTrue(maxBacklog.get() <= threads + queue, "accepted but unfinished calls reached " + maxBacklog.get());
        assertEquals(rejected, metrics.count("p", Outcome.REJECTED));
        await().until(() -> b.inFlight() == 0 && b.queueDepth() == 0);

        // every slot came back: exactly threads + queue held calls are accepted again
        CountDownLatch gate = new CountDownLatch(1);
        List<CompletableFuture<String>> held = new ArrayList<>();
        for (int i = 0; i < threads + queue + 1; i++) {
            held.add(b.submit(() -> {
                gate.await();
                return "held";
            }).toCompletableFuture());
        }
        long refused = held.stream().filter(CompletableFuture::isCompletedExceptionally).count();
        assertEquals(1, refused, "threads + queue slots, no more and no less");
        assertTrue(held.get(threads + queue).isCompletedExceptionally(), "the one past capacity is refused");
        gate.countDown();
        for (CompletableFuture<String> f : held.subList(0, threads + queue)) {
            assertEquals("held", f.get(10, TimeUnit.SECONDS));
        }
    }

    /**
     * Runs {@code submit} {@code each} times on each of {@code submitters} threads released
     * together, and returns every stage it gave, once all submissions are made.
     */
    private static List<CompletableFuture<String>> submitConcurrently(int submitters, int each,
            Supplier<CompletableFuture<String>> submit) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(submitters);
        CyclicBarrier start = new CyclicBarrier(submitters);
        try {
            List<Future<List<CompletableFuture<String>>>> perThread = new ArrayList<>();
            for (int s = 0; s < submitters; s++) {
                perThread.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    List<CompletableFuture<String>> mine = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        mine.add(submit.get());
                    }
                    return mine;
                }));
            }
            List<CompletableFuture<String>> all = new ArrayList<>();
            for (Future<List<CompletableFuture<String>>> f : perThread) {
                all.addAll(f.get(30, TimeUnit.SECONDS));
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void invalidSettingsAreRefusedWithFieldAndValue() {
        assertEquals("maxThreads must be >= 1 but was 0; queueCapacity must be >= 0 but was -1; "
                + "keepAlive must be > 0 but was PT0S", assertThrows(IllegalArgumentException.class,
                () -> ThreadPoolBulkhead.builder("p").maxThreads(0).queueCapacity(-1).keepAlive(Duration.ZERO).build())
                .getMessage());
    }

    @Test
    void toBuilderKeepsUnsetSettingsUnsetSoTheDerivedBulkheadTakesTheDefaultsOfItsOwnBuild() throws Exception {
        InMemoryMetrics first = new InMemoryMetrics();
        InMemoryMetrics second = new InMemoryMetrics();
        try {
            Metrics.setDefault(first);
            ThreadPoolBulkhead original = ThreadPoolBulkhead.builder("derived").ticker(ticker).build();
            built.add(original);
            Metrics.setDefault(second);
            ThreadPoolBulkhead derived = original.toBuilder().queueCapacity(5).build();
            built.add(derived);
            assertEquals(5, derived.config().queueCapacity());
            assertEquals(Runtime.getRuntime().availableProcessors(), derived.config().maxThreads(),
                    "maxThreads unset: the processors, counted at the derived build");
            assertEquals("ok", derived.call(() -> "ok"));
            assertEquals(1, second.count("derived", Outcome.SUCCESS), "the default of the derived build");
            assertEquals(0, first.count("derived", Outcome.SUCCESS));

            ThreadPoolBulkhead mine = bulkhead(1, 0).toBuilder().queueCapacity(1).build();
            built.add(mine);
            assertEquals(1, mine.config().maxThreads(), "a setting that was set is carried on");
            mine.call(() -> "ok");
            assertEquals(1, metrics.count("p", Outcome.SUCCESS), "a sink that was set is carried on");
        } finally {
            Metrics.setDefault(null);
        }
    }
}
