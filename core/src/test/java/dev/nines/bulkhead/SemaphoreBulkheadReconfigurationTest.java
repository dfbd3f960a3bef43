package dev.nines.bulkhead;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.CallContext;
import dev.nines.ManualTicker;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.PolicyKinds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code reconfigure} of the semaphore bulkhead: calls in flight keep their permits, limits move at once. */
class SemaphoreBulkheadReconfigurationTest {

    private final ManualTicker ticker = new ManualTicker();
    private final InMemoryMetrics metrics = new InMemoryMetrics(ticker, 16);
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    private SemaphoreBulkhead bulkhead(int max, Duration maxWait) {
        return SemaphoreBulkhead.builder("b").maxConcurrent(max).maxWait(maxWait).ticker(ticker).metrics(metrics)
                .build();
    }

    private static SemaphoreBulkheadConfig max(SemaphoreBulkhead b, int max) {
        return b.toBuilder().maxConcurrent(max).build().config();
    }

    @ParameterizedTest(name = "maxWait {0} ms")
    @ValueSource(longs = {0, 60_000})
    void aLoweredLimitKeepsTheCallsInFlightAndAdmitsNoneUntilTheyDropBelowIt(long waitMillis) throws Exception {
        SemaphoreBulkhead b = bulkhead(3, Duration.ofMillis(waitMillis));
        assertTrue(b.tryAcquirePermission());
        assertTrue(b.tryAcquirePermission());
        assertTrue(b.tryAcquirePermission());
        b.reconfigure(max(b, 1));
        assertEquals(3, b.inFlight());
        assertEquals(0, b.availablePermits());
        b.releasePermission();
        assertFalse(b.tryAcquirePermission()); // 2 in flight, limit 1
        b.releasePermission();
        assertFalse(b.tryAcquirePermission()); // 1 in flight, limit 1
        b.releasePermission();
        assertEquals(0, b.inFlight());
        assertTrue(b.tryAcquirePermission());
        assertFalse(b.tryAcquirePermission());
        b.releasePermission();
        assertEquals(1, b.availablePermits());
        assertThrows(IllegalStateException.class, b::releasePermission); // still exact: no permit held
        assertEquals(1, b.config().maxConcurrent());
        assertEquals(1, metrics.transitions("b", PolicyKinds.CONFIG).size());
    }

    @Test
    void aRaisedLimitAdmitsAtOnceAndWakesAWaiter() throws Exception {
        SemaphoreBulkhead b = bulkhead(1, Duration.ofMinutes(1));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch in = new CountDownLatch(1);
        Future<Object> holder = threads.submit(() -> b.call(() -> {
            in.countDown();
            release.await();
            return null;
        }));
        assertTrue(in.await(10, TimeUnit.SECONDS));
        Future<Object> waiter = threads.submit(() -> {
            b.acquirePermission(CallContext.empty());
            b.releasePermission();
            return "admitted";
        });
        b.reconfigure(max(b, 2));
        assertEquals("admitted", waiter.get(10, TimeUnit.SECONDS)); // woken by the raise, not by the holder
        release.countDown();
        holder.get(10, TimeUnit.SECONDS);
        assertEquals(2, b.availablePermits());
    }

    @Test
    void switchingBetweenWaitingAndNotWaitingIsRefusedAndTheOldSettingsStay() {
        SemaphoreBulkhead b = bulkhead(2, Duration.ZERO);
        SemaphoreBulkheadConfig before = b.config();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.reconfigure(b.toBuilder().maxConcurrent(5).maxWait(Duration.ofSeconds(1)).build().config()));
        assertEquals("cannot reconfigure 'b': maxWait cannot change between zero and positive at run time (was PT0S, "
                + "given PT1S)", e.getMessage());
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class, () -> b.reconfigure(
                SemaphoreBulkhead.builder("c").ticker(ticker).metrics(metrics).build().config()));
        assertEquals("cannot reconfigure 'b': name must stay 'b' but was 'c'", name.getMessage());
        assertSame(before, b.config());
        assertEquals(2, b.availablePermits());
    }

    /**
     * Workers run calls without pause while this thread changes the limit again and again. Inside
     * each call the calls running are counted: never more than the larger of the old and new limit
     * while a change is under way, and never more than the new one once every call that began before
     * the change has ended. Every call gets one answer, and every permit comes back.
     */
    @ParameterizedTest(name = "maxWait {0} ms")
    @ValueSource(longs = {0, 60_000})
    void changingTheLimitUnderLoadNeverOverAdmitsAndBalancesThePermits(long waitMillis) throws Exception {
        long seed = System.nanoTime();
        System.out.println("SemaphoreBulkheadReconfigurationTest seed=" + seed);
        Random random = new Random(seed);
        int workers = 3;
        SemaphoreBulkhead b = bulkhead(4, Duration.ofMillis(waitMillis));
        AtomicInteger running = new AtomicInteger();
        AtomicInteger cap = new AtomicInteger(4);
        AtomicReference<String> violation = new AtomicReference<>();
        AtomicLong epoch = new AtomicLong();
        AtomicLongArray startedIn = new AtomicLongArray(workers); // the epoch a worker's call began in, -1 idle
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder asked = new LongAdder();
        LongAdder answered = new LongAdder();
        List<Future<?>> futures = new ArrayList<>();
        CountDownLatch started = new CountDownLatch(workers);
        for (int w = 0; w < workers; w++) {
            int me = w;
            startedIn.set(me, -1);
            futures.add(threads.submit(() -> {
                started.countDown();
                while (!stop.get()) {
                    startedIn.set(me, epoch.get());
                    asked.increment();
                    try {
                        b.call(() -> {
                            int now = running.incrementAndGet();
                            int allowed = cap.get();
                            if (now > allowed) {
                                violation.compareAndSet(null, now + " calls ran with at most " + allowed + " allowed");
                            }
                            Thread.onSpinWait();
                            running.decrementAndGet();
                            return null;
                        });
                    } catch (BulkheadFullException rejected) {
                        // an answer too
                    }
                    answered.increment();
                    startedIn.set(me, -1);
                }
                return null;
            }));
        }
        assertTrue(started.await(10, TimeUnit.SECONDS));
        int limit = 4;
        for (int step = 0; step < 50 && violation.get() == null; step++) {
            int next = 1 + random.nextInt(6);
            cap.set(Math.max(limit, next));
            b.reconfigure(max(b, next));
            long after = epoch.incrementAndGet();
            for (int w = 0; w < workers; w++) { // wait for the calls begun before the change to end
                long e;
                while ((e = startedIn.get(w)) >= 0 && e < after) {
                    Thread.onSpinWait();
                }
            }
            cap.set(next);
            limit = next;
        }
        stop.set(true);
        for (Future<?> f : futures) {
            f.get(30, TimeUnit.SECONDS);
        }
        assertEquals(null, violation.get(), "seed " + seed);
        assertEquals(asked.sum(), answered.sum(), "every call gets exactly one answer (seed " + seed + ")");
        assertEquals(0, b.inFlight(), "seed " + seed);
        assertEquals(limit, b.availablePermits(), "every permit back (seed " + seed + ")");
    }
}
