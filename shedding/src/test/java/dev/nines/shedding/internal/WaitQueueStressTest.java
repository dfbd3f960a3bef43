package dev.nines.shedding.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.Priority;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * Grants, cancellations, expiries and displacements race in the waiting queue: many threads of
 * mixed priorities wait for few slots in a small queue, some with short deadlines, while another
 * thread interrupts them at random and others release slots and drain. Time is a
 * {@link ManualTicker} the threads advance as they work, so waits time out and the CoDel cut
 * engages without depending on the real clock.
 *
 * <p>Invariants: slot holders never exceed the slots; every waiter ends in exactly one state, the
 * one {@code await} returned; every slot the queue took went to exactly one granted waiter or was
 * given back (none lost, none granted twice); every drop the queue counted was a waiter that saw
 * itself expired; at the end nothing is in flight and nothing waits. The queue holds 4 waiters
 * for 9 threads that can wait, so it fills and displaces often.
 */
class WaitQueueStressTest {

    private static final int THREADS = 12;
    private static final int MAX_BATCHES = 10;
    private static final int ROUNDS = 3_000;
    private static final int SLOTS = 3;
    private static final long MAX_WAIT = 200_000; // ns of ticker time; also bounds each real park

    private final ManualTicker ticker = new ManualTicker();
    private final InFlightCounter inFlight = new InFlightCounter();
    private final LongAdder taken = new LongAdder();
    private final LongAdder givenBack = new LongAdder();
    private final WaitQueue queue = new WaitQueue(4, MAX_WAIT, 50_000, 200_000);
    private final WaitQueue.Slots slots = new WaitQueue.Slots() {
        @Override
        public boolean tryTake(Priority priority) {
            boolean ok = inFlight.tryIncrementBelow(SLOTS);
            if (ok) {
                taken.increment();
            }
            return ok;
        }

        @Override
        public void giveBack() {
            givenBack.increment();
            inFlight.decrement();
        }

        @Override
        public boolean mayTakeOver(Priority priority) {
            return true; // every priority may use every slot here
        }
    };

    private final AtomicInteger holding = new AtomicInteger();
    private final AtomicInteger maxHolding = new AtomicInteger();
    private final LongAdder fast = new LongAdder();
    private final LongAdder full = new LongAdder();
    private final LongAdder granted = new LongAdder();
    private final LongAdder cancelled = new LongAdder();
    private final LongAdder expired = new LongAdder();
    private final LongAdder displaced = new LongAdder();
    private final LongAdder droppedByDrain = new LongAdder();
    private final LongAdder handedOver = new LongAdder();
    private int batchesRun;
    private final List<String> violations = new CopyOnWriteArrayList<>();

    @Test
    void noPermitIsLostOrGrantedTwiceAcrossGrantCancelAndExpireRaces() throws Exception {
        // The invariants hold after every batch. Whether a batch takes every way out of the queue
        // (a full queue, a displacement) is up to the scheduler, so batches run until each was
        // taken, a bounded number of times: a slow machine gets more batches, never a failure
        // for not having been unlucky enough.
        do {
            runBatch();
        } while (!everyWayOutTaken() && batchesRun < MAX_BATCHES);
        assertTrue(everyWayOutTaken(), "after " + batchesRun + " batches: handed over " + handedOver + ", granted "
                + granted + ", cancelled " + cancelled + ", expired " + expired + ", displaced " + displaced
                + ", full " + full + ", most holders at once " + maxHolding);
    }

    private boolean everyWayOutTaken() {
        return granted.sum() > 0 && cancelled.sum() > 0 && expired.sum() > 0 && displaced.sum() > 0
                && full.sum() > 0 && handedOver.sum() > 0 && maxHolding.get() == SLOTS;
    }

    /** One run of every worker against the queue, and the invariants once they have all stopped. */
    private void runBatch() throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(THREADS);
        CountDownLatch done = new CountDownLatch(THREADS);
        List<Thread> workers = new ArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            workers.add(new Thread(() -> {
                try {
                    start.await();
                    running.countDown();
                    work();
                } catch (Throwable e) {
                    errors.add(e);
                } finally {
                    done.countDown();
                }
            }));
        }
        AtomicLong interrupts = new AtomicLong();
        Thread interrupter = new Thread(() -> {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            try {
                running.await(); // interrupt work, never the start
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            while (done.getCount() > 0) {
                if (r.nextInt(8) == 0) {
                    workers.get(r.nextInt(THREADS)).interrupt();
                    interrupts.incrementAndGet();
                }
                ticker.advance(r.nextInt(5_000)); // time moves even when every worker waits
                Thread.yield();
            }
        });
        workers.forEach(Thread::start);
        interrupter.start();
        start.countDown();
        for (Thread t : workers) {
            t.join(Duration.ofSeconds(30).toMillis());
            assertTrue(!t.isAlive(), "a worker hung");
        }
        interrupter.join();
        assertTrue(errors.isEmpty(), errors.toString());

        assertEquals(List.of(), violations);
        assertTrue(maxHolding.get() <= SLOTS, "holders " + maxHolding.get());
        assertEquals(0, inFlight.get(), "every slot came back");
        assertEquals(0, queue.size(), "nobody left waiting");
        assertEquals(granted.sum(), taken.sum() - givenBack.sum() + handedOver.sum(),
                "each slot the queue took or was handed went to exactly one granted waiter, or back");
        assertEquals(expired.sum(), droppedByDrain.sum(), "each counted drop was a waiter that saw itself dropped");
        long waited = granted.sum() + cancelled.sum() + expired.sum() + displaced.sum();
        assertEquals((long) THREADS * ROUNDS * (++batchesRun), fast.sum() + full.sum() + waited, "every round ended one way");
        assertTrue(interrupts.get() > 0);
    }

    private void work() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < ROUNDS; i++) {
            Thread.interrupted(); // an interrupt aimed at the previous round
            ticker.advance(r.nextInt(20_000));
            if (inFlight.tryIncrementBelow(SLOTS)) { // the fast path, racing the queue for the same slots
                fast.increment();
                holdAndRelease();
                continue;
            }
            Priority priority = Priority.ofLevel(r.nextInt(4));
            long now = ticker.read();
            long budget = r.nextInt(4) == 0 ? r.nextInt(100_000) : WaitQueue.NO_DEADLINE;
            WaitQueue.Waiter w = queue.enqueue(priority, now, budget);
            if (w == null) {
                full.increment();
                continue;
            }
            droppedByDrain.add(queue.drain(now, slots));
            int state = queue.await(w, ticker);
            if (state != w.state()) {
                violations.add("await returned " + state + " but the waiter is " + w.state());
            }
            switch (state) {
                case WaitQueue.GRANTED:
                    granted.increment();
                    holdAndRelease();
                    break;
                case WaitQueue.CANCELLED:
                    cancelled.increment();
                    break;
                case WaitQueue.EXPIRED:
                    expired.increment();
                    break;
                case WaitQueue.DISPLACED:
                    displaced.increment();
                    break;
                default:
                    violations.add("await returned while waiting: " + state);
            }
        }
    }

    private void holdAndRelease() {
        int now = holding.incrementAndGet();
        maxHolding.accumulateAndGet(now, Math::max);
        if (now > SLOTS) {
            violations.add(now + " holders for " + SLOTS + " slots");
        }
        Thread.yield();
        holding.decrementAndGet();
        if (ThreadLocalRandom.current().nextBoolean()) { // the shedder's release: hand the slot over if anyone waits
            int result = queue.handOver(ticker.read(), slots);
            droppedByDrain.add(WaitQueue.droppedIn(result));
            if (WaitQueue.handedOver(result)) {
                handedOver.increment();
                return; // the slot stays taken, by the waiter now
            }
        }
        int before = inFlight.decrement();
        if (before <= 0) {
            violations.add("released a slot nobody held: in flight was " + before);
        }
        droppedByDrain.add(queue.drain(ticker.read(), slots));
    }
}
