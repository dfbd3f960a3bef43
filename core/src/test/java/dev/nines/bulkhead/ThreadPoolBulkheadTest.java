package dev.nines.bulkhead;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.Outcome;
import java.io.IOException;
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

    @Test
    void rejectsWhenEveryThreadAndQueueSlotIsTaken() throws Exception {
        ThreadPoolBulkhead b = bulkhead(1, 1);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> first = b.submit(() -> {
            running.countDown();
            release.await();
            return "first";
        }).toCompletableFuture();
        assertTrue(running.await(10, TimeUnit.SECONDS));
        CompletableFuture<String> queued = b.submit(() -> "queued").toCompletableFuture();
        assertEquals(1, metrics.gauge("p", ThreadPoolBulkhead.GAUGE_IN_FLIGHT).getAsLong());
        assertEquals(1, metrics.gauge("p", ThreadPoolBulkhead.GAUGE_QUEUE_DEPTH).getAsLong());
        ExecutionException e = assertThrows(ExecutionException.class, () -> b.submit(() -> "x").toCompletableFuture().get());
        BulkheadFullException full = assertInstanceOf(BulkheadFullException.class, e.getCause());
        assertEquals("thread-pool bulkhead 'p' is full (1 threads, queue of 1)", full.getMessage());
        release.countDown();
        assertEquals("first", first.get(10, TimeUnit.SECONDS));
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
    void theCallersMdcIsVisibleOnThePoolThread() throws Exception {
        MDC.put("requestId", "r-7");
        assertEquals("r-7", bulkhead(1, 0).submit(() -> MDC.get("requestId")).toCompletableFuture().get());
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
    void asyncCallsAreStartedOnThePool() throws Exception {
        ThreadPoolBulkhead b = bulkhead(1, 0);
        String startedOn = b.callAsync(() -> CompletableFuture.completedFuture(Thread.currentThread().getName()))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertTrue(startedOn.startsWith("nines-bulkhead-p-"), startedOn);
    }

    @Test
    void underStressRunningCallsNeverExceedTheThreadsAndEverySubmissionIsAccountedFor() throws Exception {
        int threads = 3;
        ThreadPoolBulkhead b = bulkhead(threads, 4);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxSeen = new AtomicInteger();
        AtomicInteger ran = new AtomicInteger();
        AtomicInteger rejected = new AtomicInteger();
        int submitters = 8;
        int each = 2_000;
        ExecutorService pool = Executors.newFixedThreadPool(submitters);
        CyclicBarrier start = new CyclicBarrier(submitters);
        try {
            List<Future<List<CompletableFuture<Object>>>> all = new ArrayList<>();
            for (int s = 0; s < submitters; s++) {
                all.add(pool.submit(() -> {
                    start.await();
                    List<CompletableFuture<Object>> mine = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        mine.add(b.submit(() -> {
                            maxSeen.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            ran.incrementAndGet();
                            inside.decrementAndGet();
                            return null;
                        }).toCompletableFuture().exceptionally(t -> {
                            assertInstanceOf(BulkheadFullException.class, t);
                            rejected.incrementAndGet();
                            return null;
                        }));
                    }
                    return mine;
                }));
            }
            for (Future<List<CompletableFuture<Object>>> f : all) {
                for (CompletableFuture<Object> c : f.get(60, TimeUnit.SECONDS)) {
                    c.get(60, TimeUnit.SECONDS);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(maxSeen.get() <= threads, "running reached " + maxSeen.get());
        assertEquals(submitters * each, ran.get() + rejected.get());
        assertEquals(rejected.get(), metrics.count("p", Outcome.REJECTED));
        await().until(() -> b.inFlight() == 0 && b.queueDepth() == 0);
    }

    @Test
    void invalidSettingsAreRefusedWithFieldAndValue() {
        assertEquals("maxThreads must be >= 1 but was 0", assertThrows(IllegalArgumentException.class,
                () -> ThreadPoolBulkhead.builder("p").maxThreads(0)).getMessage());
        assertEquals("queueCapacity must be >= 0 but was -1", assertThrows(IllegalArgumentException.class,
                () -> ThreadPoolBulkhead.builder("p").queueCapacity(-1)).getMessage());
    }
}
