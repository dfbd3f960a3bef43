package dev.nines.shedding;

import static dev.nines.Priority.P0;
import static dev.nines.Priority.P1;
import static dev.nines.Priority.P2;
import static dev.nines.Priority.P3;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.Priority;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.Outcome;
import dev.nines.shedding.limit.ConcurrencyLimit;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The waiting queue: priority order, bounded size, CoDel cut-short and deadlines, in manual time. */
class WaitQueueTest {

    private final ManualTicker ticker = new ManualTicker();
    private final InMemoryMetrics metrics = new InMemoryMetrics(ticker, 100);
    private final LoadShedder shedder = LoadShedder.builder("q").limit(ConcurrencyLimit.fixed(1)).ticker(ticker)
            .metrics(metrics).queue(3, Duration.ofSeconds(10)).codel(Duration.ofMillis(5), Duration.ofMillis(100))
            .build();

    private CompletableFuture<Permit> waitFor(Priority p) {
        CompletableFuture<Permit> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(shedder.acquire(p));
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        t.setDaemon(true);
        t.start();
        return f;
    }

    private void awaitQueued(int n) {
        await().atMost(5, TimeUnit.SECONDS).until(() -> shedder.queued() == n);
    }

    @Test
    void waitersAreAdmittedMostImportantFirstAsSlotsFree() throws Exception {
        Permit held = shedder.acquire(P0);
        List<Priority> order = new CopyOnWriteArrayList<>();
        CompletableFuture<Permit> p3 = waitFor(P3);
        awaitQueued(1);
        CompletableFuture<Permit> p1 = waitFor(P1);
        awaitQueued(2);
        CompletableFuture<Permit> p0 = waitFor(P0);
        awaitQueued(3);
        ShedException full = assertThrows(ShedException.class, () -> shedder.acquire(P3));
        assertEquals(ShedException.Reason.QUEUE_FULL, full.reason(), "no waiter is less important than P3");
        held.success();
        Permit first = p0.get(5, TimeUnit.SECONDS);
        order.add(first.priority());
        assertTrue(!p1.isDone() && !p3.isDone());
        assertEquals(1, shedder.inFlight(), "the slot was handed over, never exceeding the limit");
        first.success();
        Permit second = p1.get(5, TimeUnit.SECONDS);
        order.add(second.priority());
        second.success();
        Permit third = p3.get(5, TimeUnit.SECONDS);
        order.add(third.priority());
        third.success();
        assertEquals(List.of(P0, P1, P3), order);
        assertEquals(0, shedder.inFlight());
        assertEquals(0, shedder.queued());
    }

    @Test
    void aFullQueueMakesRoomForAMoreImportantRequestByDroppingTheNewestLeastImportantWaiter() throws Exception {
        Permit held = shedder.acquire(P0);
        CompletableFuture<Permit> olderP3 = waitFor(P3);
        awaitQueued(1);
        CompletableFuture<Permit> newerP3 = waitFor(P3);
        awaitQueued(2);
        CompletableFuture<Permit> p1 = waitFor(P1);
        awaitQueued(3);
        CompletableFuture<Permit> p0 = waitFor(P0); // full: the newest P3 makes room
        ExecutionException displaced = assertThrows(ExecutionException.class, () -> newerP3.get(5, TimeUnit.SECONDS));
        assertEquals(ShedException.Reason.QUEUE_FULL, ((ShedException) displaced.getCause()).reason());
        awaitQueued(3);
        CompletableFuture<Permit> p2 = waitFor(P2); // full again: the remaining P3 makes room
        ExecutionException second = assertThrows(ExecutionException.class, () -> olderP3.get(5, TimeUnit.SECONDS));
        assertEquals(ShedException.Reason.QUEUE_FULL, ((ShedException) second.getCause()).reason());
        awaitQueued(3);
        ShedException refused = assertThrows(ShedException.class, () -> shedder.acquire(P2),
                "full of waiters at least as important as P2: refused");
        assertEquals(ShedException.Reason.QUEUE_FULL, refused.reason());
        assertEquals(3, shedder.queued());
        List<Priority> order = new CopyOnWriteArrayList<>();
        held.success();
        for (CompletableFuture<Permit> next : List.of(p0, p1, p2)) {
            Permit permit = next.get(5, TimeUnit.SECONDS);
            order.add(permit.priority());
            permit.success();
        }
        assertEquals(List.of(P0, P1, P2), order);
        assertEquals(0, shedder.inFlight());
        assertEquals(0, shedder.queued());
        assertEquals(3, metrics.count("q", Outcome.SHED));
    }

    /**
     * A sink told of the completion runs inside {@code release}, exactly where the slot used to be
     * free before the queue was served: a newcomer admitted there would overtake the waiter.
     */
    @Test
    void aSlotFreedByACompletionGoesToTheWaiterNotToANewcomer() throws Exception {
        LoadShedder[] self = new LoadShedder[1];
        List<Long> newcomer = new CopyOnWriteArrayList<>();
        MetricsSink newcomerAtRelease = new MetricsSink() {
            @Override
            public void onOutcome(String policy, String kind, Outcome outcome, long durationNanos) {
                if (outcome == Outcome.SUCCESS && newcomer.isEmpty()) {
                    newcomer.add(self[0].tryAdmit(P1));
                }
            }
        };
        LoadShedder s = LoadShedder.builder("handover").limit(ConcurrencyLimit.fixed(1)).ticker(ticker)
                .metrics(newcomerAtRelease).queue(3, Duration.ofSeconds(10)).build();
        self[0] = s;
        long held = s.tryAdmit(P0);
        CompletableFuture<Permit> waiter = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                waiter.complete(s.acquire(P0));
            } catch (Throwable e) {
                waiter.completeExceptionally(e);
            }
        });
        t.setDaemon(true);
        t.start();
        await().atMost(5, TimeUnit.SECONDS).until(() -> s.queued() == 1);
        s.release(held, Outcome.SUCCESS);
        assertEquals(List.of(LoadShedder.REJECTED), newcomer, "the newcomer found no free slot");
        Permit p = waiter.get(5, TimeUnit.SECONDS);
        assertEquals(1, s.inFlight(), "the waiter holds the slot the completion handed over");
        p.success();
        assertEquals(0, s.inFlight());
    }

    @Test
    void aWaiterWhoseShareIsFullDoesNotTakeOverTheSlot() throws Exception {
        LoadShedder s = LoadShedder.builder("share").limit(ConcurrencyLimit.fixed(4)).ticker(ticker).metrics(metrics)
                .queue(3, Duration.ofSeconds(10)).build(); // P3 may use 2 of the 4 slots
        long[] held = {s.tryAdmit(P0), s.tryAdmit(P0), s.tryAdmit(P0), s.tryAdmit(P0)};
        CompletableFuture<Permit> p3 = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                p3.complete(s.acquire(P3));
            } catch (Throwable e) {
                p3.completeExceptionally(e);
            }
        });
        t.setDaemon(true);
        t.start();
        await().atMost(5, TimeUnit.SECONDS).until(() -> s.queued() == 1);
        s.release(held[0], Outcome.SUCCESS);
        s.release(held[1], Outcome.SUCCESS);
        assertEquals(2, s.inFlight(), "P3 is admitted only below 2 in flight: both slots were freed, not handed over");
        assertEquals(1, s.queued());
        s.release(held[2], Outcome.SUCCESS);
        Permit p = p3.get(5, TimeUnit.SECONDS);
        assertEquals(2, s.inFlight(), "with that call gone 1 was in flight, so P3 took over its slot");
        p.success();
        s.release(held[3], Outcome.SUCCESS);
        assertEquals(0, s.inFlight());
    }

    @Test
    void aStandingQueueCutsWaitsShortToTheTarget() throws Exception {
        Permit held = shedder.acquire(P0);
        CompletableFuture<Permit> a = waitFor(P1);
        awaitQueued(1);
        CompletableFuture<Permit> b = waitFor(P1);
        awaitQueued(2);
        CompletableFuture<Permit> c = waitFor(P1);
        awaitQueued(3);
        ticker.advance(Duration.ofMillis(50));
        held.success(); // a waited 50 ms > 5 ms target: the queue is above target from now on
        Permit pa = a.get(5, TimeUnit.SECONDS);
        assertTrue(!shedder.config().maxQueueWait().minusMillis(151).isNegative(), "c may still wait 10 s");
        ticker.advance(Duration.ofMillis(101));
        pa.success(); // b granted after the queue stood above target for a whole interval
        Permit pb = b.get(5, TimeUnit.SECONDS);
        // c has waited 151 ms, far below its 10 s maximum, but the standing queue cuts it to 5 ms
        ExecutionException e = assertThrows(ExecutionException.class, () -> c.get(5, TimeUnit.SECONDS));
        assertEquals(ShedException.Reason.QUEUE_TIMEOUT, ((ShedException) e.getCause()).reason());
        pb.success();
        assertEquals(0, shedder.inFlight());
        assertEquals(0, shedder.queued());
    }

    @Test
    void aWaiterWhoseDeadlinePassesIsDroppedBeforeItRuns() throws Exception {
        Permit held = shedder.acquire(P0);
        CompletableFuture<Object> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(shedder.call(dev.nines.CallContext.empty().withPriority(P1)
                        .withDeadline(Duration.ofMillis(20), ticker), c -> "ran"));
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        t.setDaemon(true);
        t.start();
        awaitQueued(1);
        ticker.advance(Duration.ofMillis(20));
        held.success(); // frees a slot; the expired waiter is dropped instead of run
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
        assertEquals(ShedException.Reason.DEADLINE_EXPIRED, ((ShedException) e.getCause()).reason());
        assertEquals(0, shedder.inFlight());
        assertEquals(1, metrics.count("q", Outcome.SHED));
    }

    @Test
    void anInterruptedWaiterLeavesWithoutAPermit() throws Exception {
        Permit held = shedder.acquire(P0);
        CompletableFuture<Permit> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(shedder.acquire(P1));
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        t.start();
        awaitQueued(1);
        t.interrupt();
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
        assertEquals(ShedException.Reason.INTERRUPTED, ((ShedException) e.getCause()).reason());
        assertEquals(0, shedder.queued());
        held.success();
        assertEquals(0, shedder.inFlight());
    }
}
