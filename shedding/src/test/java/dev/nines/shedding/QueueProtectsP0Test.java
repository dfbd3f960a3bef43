package dev.nines.shedding;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.Priority;
import dev.nines.shedding.limit.ConcurrencyLimit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * The claim of {@link LoadShedder}'s javadoc: shares alone leave P0 only the 10% P1 cannot use, so
 * when P1 demand alone exceeds capacity a burst of P0 is partly shed; the waiting queue closes that
 * gap by handing each freed slot to the most important waiter, and by making room for P0 in a queue
 * full of P1. Shown deterministically, then under a flood: far more P1 callers than the limit keep
 * the shedder saturated and its queue full of P1 while three P0 callers, far below capacity, arrive
 * in bursts; no P0 request may be shed. Each holder advances the shared {@link ManualTicker} by
 * 100 us, so a P0 waiter waits a couple of holds per slot at most, well under the 5 ms CoDel target.
 * (Before a full queue made room for more important requests, the flood shed about 1200 of its
 * 3000 P0 calls with {@code QUEUE_FULL}.)
 */
class QueueProtectsP0Test {

    private static final int LIMIT = 10;
    private static final int P1_CALLERS = 30;
    private static final int P0_CALLERS = 3;
    private static final int P0_ROUNDS = 1_000;

    private final ManualTicker ticker = new ManualTicker();
    private final LongAdder p0Admitted = new LongAdder();
    private final LongAdder p1Admitted = new LongAdder();
    private final Map<String, LongAdder> shed = new ConcurrentHashMap<>();

    @Test
    void withTheQueueP0IsNotShedWhenP1DemandAloneExceedsCapacity() throws Exception {
        race(LoadShedder.builder("p0").limit(ConcurrencyLimit.fixed(LIMIT)).ticker(ticker)
                .queue(8, Duration.ofSeconds(1)).codel(Duration.ofMillis(5), Duration.ofMillis(100)).build());
        assertTrue(shed.keySet().stream().noneMatch(k -> k.startsWith("P0")), "P0 shed: " + shed);
        assertEquals((long) P0_CALLERS * P0_ROUNDS, p0Admitted.sum());
        assertTrue(shed.keySet().stream().anyMatch(k -> k.startsWith("P1")),
                "P1 demand really exceeded capacity: " + shed + ", P1 admitted " + p1Admitted);
    }

    /** The gap, deterministically: P1 holds its 90%, and a burst of two P0 finds one slot. */
    @Test
    void sharesAloneShedAP0BurstWhileP1HoldsItsShare() {
        LoadShedder shedder = LoadShedder.builder("p0").limit(ConcurrencyLimit.fixed(LIMIT)).ticker(ticker).build();
        List<Permit> p1 = holdP1Share(shedder);
        Permit first = shedder.tryAcquire(Priority.P0);
        assertTrue(first.isAdmitted());
        ShedException e = assertThrows(ShedException.class, () -> shedder.acquire(Priority.P0));
        assertEquals(ShedException.Reason.OVER_LIMIT, e.reason());
        first.success();
        p1.forEach(Permit::success);
    }

    /**
     * The same burst with the queue, which is also full of P1 waiters: the second and third P0 take
     * the places of the newest P1 waiters and get the next two slots that free, before any P1.
     */
    @Test
    void theQueueAdmitsTheSameP0BurstEvenWhenFullOfP1() throws Exception {
        LoadShedder shedder = LoadShedder.builder("p0").limit(ConcurrencyLimit.fixed(LIMIT)).ticker(ticker)
                .queue(3, Duration.ofSeconds(10)).build();
        List<Permit> p1 = holdP1Share(shedder);
        List<CompletableFuture<Permit>> p1Waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            p1Waiters.add(acquireOnAThread(shedder, Priority.P1));
            awaitQueued(shedder, i + 1);
        }
        Permit first = shedder.acquire(Priority.P0); // the one slot P1 cannot use
        CompletableFuture<Permit> second = acquireOnAThread(shedder, Priority.P0);
        CompletableFuture<Permit> third = acquireOnAThread(shedder, Priority.P0);
        for (int newest = 2; newest >= 1; newest--) {
            CompletableFuture<Permit> displaced = p1Waiters.get(newest);
            ExecutionException e = assertThrows(ExecutionException.class, () -> displaced.get(5, TimeUnit.SECONDS));
            assertEquals(ShedException.Reason.QUEUE_FULL, ((ShedException) e.getCause()).reason());
        }
        awaitQueued(shedder, 3); // the oldest P1 and both P0
        p1.remove(0).success();
        CompletableFuture.anyOf(second, third).get(5, TimeUnit.SECONDS); // whichever P0 queued first
        assertEquals(LIMIT, shedder.inFlight());
        p1.remove(0).success();
        Permit p0Second = second.get(5, TimeUnit.SECONDS);
        Permit p0Third = third.get(5, TimeUnit.SECONDS);
        assertTrue(!p1Waiters.get(0).isDone(), "P1 waits while P0 takes the freed slots");
        assertEquals(LIMIT, shedder.inFlight());
        for (Permit p : List.of(first, p0Second, p0Third)) {
            p.success();
        }
        p1.forEach(Permit::success);
        p1Waiters.get(0).get(5, TimeUnit.SECONDS).success();
        assertEquals(0, shedder.inFlight());
        assertEquals(0, shedder.queued());
    }

    private static List<Permit> holdP1Share(LoadShedder shedder) {
        List<Permit> held = new ArrayList<>();
        Permit p;
        while ((p = shedder.tryAcquire(Priority.P1)).isAdmitted()) {
            held.add(p);
        }
        assertEquals(shedder.threshold(Priority.P1), held.size());
        assertEquals(9, held.size());
        return held;
    }

    private static CompletableFuture<Permit> acquireOnAThread(LoadShedder shedder, Priority priority) {
        CompletableFuture<Permit> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(shedder.acquire(priority));
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        t.setDaemon(true);
        t.start();
        return f;
    }

    private static void awaitQueued(LoadShedder shedder, int n) {
        await().atMost(5, TimeUnit.SECONDS).until(() -> shedder.queued() == n);
    }

    /** Runs the P1 flood and the P0 callers until every P0 call is done; checks all slots came back. */
    private void race(LoadShedder shedder) throws InterruptedException {
        AtomicBoolean p0Done = new AtomicBoolean();
        CountDownLatch start = new CountDownLatch(1);
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        List<Thread> p1 = new ArrayList<>();
        List<Thread> p0 = new ArrayList<>();
        for (int t = 0; t < P1_CALLERS; t++) {
            p1.add(new Thread(() -> run(start, errors, () -> {
                while (!p0Done.get()) {
                    call(shedder, Priority.P1, p1Admitted);
                }
            })));
        }
        CyclicBarrier burst = new CyclicBarrier(P0_CALLERS);
        for (int t = 0; t < P0_CALLERS; t++) {
            p0.add(new Thread(() -> run(start, errors, () -> {
                for (int i = 0; i < P0_ROUNDS; i++) {
                    try {
                        burst.await(30, TimeUnit.SECONDS); // P0 arrives in bursts, as in the tests above
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                    call(shedder, Priority.P0, p0Admitted);
                }
            })));
        }
        p1.forEach(Thread::start);
        p0.forEach(Thread::start);
        start.countDown();
        for (Thread t : p0) {
            t.join(Duration.ofSeconds(30).toMillis());
            assertTrue(!t.isAlive(), "a P0 caller hung");
        }
        p0Done.set(true);
        for (Thread t : p1) {
            t.join(Duration.ofSeconds(30).toMillis());
            assertTrue(!t.isAlive(), "a P1 caller hung");
        }
        assertTrue(errors.isEmpty(), errors.toString());
        assertEquals(0, shedder.inFlight());
        assertEquals(0, shedder.queued());
    }

    private static void run(CountDownLatch start, List<Throwable> errors, Runnable body) {
        try {
            start.await();
            body.run();
        } catch (Throwable e) {
            errors.add(e);
        }
    }

    /** One blocking call: wait for admission, hold the slot for 100 us of manual time, release. */
    private void call(LoadShedder shedder, Priority priority, LongAdder admitted) {
        Permit permit;
        try {
            permit = shedder.acquire(priority);
        } catch (ShedException e) {
            shed.computeIfAbsent(priority + " " + e.reason(), k -> new LongAdder()).increment();
            Thread.yield(); // a shed caller comes straight back; let the others run meanwhile
            return;
        }
        admitted.increment();
        ticker.advance(100_000);
        Thread.yield();
        permit.success();
    }
}
