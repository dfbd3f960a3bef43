package dev.nines.shedding;

import static dev.nines.Priority.P0;
import static dev.nines.Priority.P3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.CallContext;
import dev.nines.ManualTicker;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.Outcome;
import dev.nines.metrics.PolicyKinds;
import dev.nines.shedding.limit.ConcurrencyLimit;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.OptionalLong;
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

/** {@code reconfigure} of a load shedder: fixed limit and shares change with the calls in flight kept; the rest refused. */
class LoadShedderReconfigurationTest {

    private final ManualTicker ticker = new ManualTicker();
    private final InMemoryMetrics metrics = new InMemoryMetrics(ticker, 100);
    private final ExecutorService threads = Executors.newFixedThreadPool(3);

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    private LoadShedder shedder(int limit) {
        return LoadShedder.builder("api").limit(ConcurrencyLimit.fixed(limit)).defaultPriority(P0).ticker(ticker)
                .metrics(metrics).build();
    }

    private static LoadShedderConfig limited(LoadShedder s, int limit) {
        return s.toBuilder().limit(ConcurrencyLimit.fixed(limit)).build().config();
    }

    private static void admit(LoadShedder s, Deque<Long> tokens, int n) {
        for (int i = 0; i < n; i++) {
            long t = s.tryAdmit(P0);
            assertNotEquals(LoadShedder.REJECTED, t);
            tokens.push(t);
        }
    }

    @Test
    void aLoweredLimitKeepsTheCallsInFlightAndAdmitsNoneUntilTheyDropBelowIt() {
        LoadShedder s = shedder(10);
        Deque<Long> tokens = new ArrayDeque<>();
        admit(s, tokens, 8);
        s.reconfigure(limited(s, 4));
        assertEquals(4, s.limit());
        assertEquals(8, s.inFlight()); // kept
        assertEquals(OptionalLong.of(4), metrics.gauge("api", PolicyKinds.LOAD_SHEDDER, LoadShedder.GAUGE_LIMIT));
        for (int i = 0; i < 4; i++) {
            s.release(tokens.pop(), Outcome.SUCCESS);
            assertEquals(LoadShedder.REJECTED, s.tryAdmit(P0), "in flight " + s.inFlight() + " of 4");
        }
        s.release(tokens.pop(), Outcome.SUCCESS); // 3 in flight: room for one
        admit(s, tokens, 1);
        assertEquals(LoadShedder.REJECTED, s.tryAdmit(P0));
        s.reconfigure(limited(s, 6)); // raised: admits at once
        admit(s, tokens, 2);
        assertEquals(LoadShedder.REJECTED, s.tryAdmit(P0));
        while (!tokens.isEmpty()) {
            s.release(tokens.pop(), Outcome.SUCCESS);
        }
        assertEquals(0, s.inFlight());
        assertEquals(2, metrics.transitions("api", PolicyKinds.CONFIG).size());
    }

    @Test
    void sharesChangeAndTheConfigIsTheLiveOne() {
        LoadShedder s = shedder(10);
        assertEquals(5, s.threshold(P3));
        LoadShedderConfig next = s.toBuilder().share(P3, 0.2).build().config();
        s.reconfigure(next);
        assertEquals(2, s.threshold(P3));
        assertEquals(10, s.threshold(P0));
        assertSame(next, s.config());
        assertEquals(0.2, s.toBuilder().build().config().share(P3));
    }

    @Test
    void aRaisedLimitLetsAWaiterIn() throws Exception {
        LoadShedder s = LoadShedder.builder("api").limit(ConcurrencyLimit.fixed(1)).queue(4, Duration.ofMinutes(1))
                .ticker(ticker).metrics(metrics).build();
        Permit held = s.acquire(P0);
        Future<Permit> waiter = threads.submit(() -> s.acquire(P0));
        while (s.queued() == 0) {
            Thread.onSpinWait();
        }
        s.reconfigure(s.toBuilder().limit(ConcurrencyLimit.fixed(2)).build().config());
        try (Permit second = waiter.get(10, TimeUnit.SECONDS)) {
            assertTrue(second.isAdmitted());
            assertEquals(2, s.inFlight());
        }
        held.close();
        assertEquals(0, s.inFlight());
    }

    @Test
    void whatCannotChangeIsRefusedNamingItAndTheOldSettingsStay() {
        LoadShedder s = shedder(10);
        LoadShedderConfig before = s.config();
        IllegalArgumentException fixed = assertThrows(IllegalArgumentException.class, () -> s.reconfigure(s.toBuilder()
                .limit(ConcurrencyLimit.gradient().build()).queue(8, Duration.ofMillis(5)).build().config()));
        assertTrue(fixed.getMessage().startsWith("cannot reconfigure 'api': limit cannot change from fixed to adaptive"),
                fixed.getMessage());
        assertTrue(fixed.getMessage().contains("; queueCapacity cannot change at run time (was 0, given 8)"),
                fixed.getMessage());
        assertSame(before, s.config());
        assertEquals(10, s.limit());

        LoadShedder adaptive = LoadShedder.builder("adaptive").limit(ConcurrencyLimit.gradient().maxLimit(50).build())
                .ticker(ticker).metrics(metrics).build();
        IllegalArgumentException bounds = assertThrows(IllegalArgumentException.class, () -> adaptive.reconfigure(
                adaptive.toBuilder().limit(ConcurrencyLimit.gradient().maxLimit(80).build()).build().config()));
        assertTrue(bounds.getMessage().startsWith("cannot reconfigure 'adaptive': limit: an adaptive limit's settings "
                + "(bounds included) cannot change at run time"), bounds.getMessage());
        assertTrue(bounds.getMessage().contains("maxLimit=80"), bounds.getMessage());
        adaptive.reconfigure(adaptive.toBuilder().share(P3, 0.3).build().config()); // same limit settings: accepted
        assertEquals(6, adaptive.threshold(P3)); // 30% of the initial 20
    }

    /**
     * Under load: three threads call through the shedder while this thread changes the limit. While a
     * change is under way at most {@code max(old, new)} calls run, once the calls begun before it ended
     * at most the new limit; every call gets one answer and in-flight balances to zero.
     */
    @Test
    void changingTheLimitUnderLoadNeverOverAdmitsAndBalancesTheSlots() throws Exception {
        long seed = System.nanoTime();
        System.out.println("LoadShedderReconfigurationTest seed=" + seed);
        Random random = new Random(seed);
        int workers = 3;
        LoadShedder s = shedder(4);
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
                        s.call(CallContext.empty(), c -> {
                            int now = running.incrementAndGet();
                            int allowed = cap.get();
                            if (now > allowed) {
                                violation.compareAndSet(null, now + " calls ran with at most " + allowed + " allowed");
                            }
                            Thread.onSpinWait();
                            running.decrementAndGet();
                            return null;
                        });
                    } catch (ShedException shed) {
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
            int next = 1 + random.nextInt(3); // below the workers, so a lowered limit is felt
            cap.set(Math.max(limit, next));
            s.reconfigure(limited(s, next));
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
        assertNull(violation.get(), "seed " + seed);
        assertEquals(asked.sum(), answered.sum(), "every call gets exactly one answer (seed " + seed + ")");
        assertEquals(0, s.inFlight(), "every slot back (seed " + seed + ")");
        assertEquals(limit, s.limit(), "seed " + seed);
    }
}
