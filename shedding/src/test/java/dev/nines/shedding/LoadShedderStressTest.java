package dev.nines.shedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.Priority;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.Outcome;
import dev.nines.shedding.limit.ConcurrencyLimit;
import dev.nines.testing.Race;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Many threads hammer one shedder; the invariants are checked on every admission and at the end.
 * A holder yields while it holds its permit, so permits overlap and the bounds are really reached;
 * each test asserts that its main bound was, so none passes by never getting near it.
 */
class LoadShedderStressTest {

    private static final int THREADS = 16;
    private static final int ROUNDS = 10_000;

    /** Runs {@code body} on {@link #THREADS} threads released together; rethrows the first failure. */
    private static void race(Runnable body) throws InterruptedException {
        Race.run(THREADS, thread -> body.run());
    }

    /** Holds a permit for a moment, letting other threads run meanwhile. */
    private static void hold() {
        for (int i = 0; i < 3; i++) {
            Thread.yield();
        }
    }

    /**
     * Mixed priorities: a priority may be admitted only while in-flight is below its threshold, so
     * the calls of that priority and every less important one never number more than it (the most
     * recently admitted of them found all the others already in flight). For P0 that is the limit.
     */
    @Test
    void mixedPrioritiesNeverExceedTheirSharesNorTheLimitAndEveryPermitIsReleasedOnce() throws Exception {
        int limit = 8;
        InMemoryMetrics metrics = new InMemoryMetrics();
        LoadShedder shedder = LoadShedder.builder("stress").limit(ConcurrencyLimit.fixed(limit)).metrics(metrics).build();
        int[] threshold = new int[4];
        for (Priority p : Priority.values()) {
            threshold[p.ordinal()] = shedder.threshold(p);
        }
        assertEquals(List.of(8, 7, 5, 4), List.of(threshold[0], threshold[1], threshold[2], threshold[3]));
        // in flight per level, 16 bits each, in one word: one atomic add gives a consistent snapshot
        AtomicLong byLevel = new AtomicLong();
        AtomicIntegerArray maxAtOrBelow = new AtomicIntegerArray(4); // max of calls of level >= index
        AtomicLong admitted = new AtomicLong();
        AtomicLong doubleReleases = new AtomicLong();
        List<String> violations = new CopyOnWriteArrayList<>();
        race(() -> {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            for (int i = 0; i < ROUNDS; i++) {
                Priority p = Priority.ofLevel(r.nextInt(4));
                long unit = 1L << (16 * p.ordinal());
                try (Permit permit = shedder.tryAcquire(p)) {
                    if (!permit.isAdmitted()) {
                        continue;
                    }
                    admitted.incrementAndGet();
                    long snapshot = byLevel.addAndGet(unit);
                    int atOrBelow = 0;
                    for (int level = 3; level >= 0; level--) {
                        atOrBelow += (int) ((snapshot >>> (16 * level)) & 0xFFFF);
                        maxAtOrBelow.accumulateAndGet(level, atOrBelow, Math::max);
                        if (atOrBelow > threshold[level] && violations.size() < 5) { // a few tell the story
                            violations.add(atOrBelow + " calls of P" + level + " or less important in flight, "
                                    + "over its threshold " + threshold[level]);
                        }
                    }
                    hold();
                    byLevel.addAndGet(-unit);
                    boolean first = r.nextBoolean() ? permit.success() : permit.dropped();
                    if (!first || permit.failure() || permit.ignore()) {
                        doubleReleases.incrementAndGet();
                    }
                }
            }
        });
        assertEquals(List.of(), violations);
        // the bounds of the middle priorities depend on the mix at each moment; the limit is reached
        assertEquals(limit, maxAtOrBelow.get(0), "in flight reached the limit: " + maxAtOrBelow);
        assertEquals(0, shedder.inFlight(), "every admitted permit released");
        assertEquals(0, doubleReleases.get());
        long released = metrics.count("stress", Outcome.SUCCESS) + metrics.count("stress", Outcome.TIMED_OUT)
                + metrics.count("stress", Outcome.IGNORED) + metrics.count("stress", Outcome.FAILURE);
        assertEquals(admitted.get(), released, "exactly one release per admission");
        assertEquals((long) THREADS * ROUNDS, admitted.get() + metrics.count("stress", Outcome.SHED));
    }

    @Test
    void threadsAdmittingOnlyP3NeverHoldMoreThanP3sShare() throws Exception {
        InMemoryMetrics metrics = new InMemoryMetrics();
        LoadShedder shedder = LoadShedder.builder("p3").limit(ConcurrencyLimit.fixed(8)).metrics(metrics).build();
        int share = shedder.threshold(Priority.P3);
        assertEquals(4, share);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxSeen = new AtomicInteger();
        race(() -> {
            for (int i = 0; i < ROUNDS; i++) {
                long token = shedder.tryAdmit(Priority.P3);
                if (token == LoadShedder.REJECTED) {
                    continue;
                }
                maxSeen.accumulateAndGet(running.incrementAndGet(), Math::max);
                hold();
                running.decrementAndGet();
                shedder.release(token, Outcome.SUCCESS);
            }
        });
        assertEquals(share, maxSeen.get(), "P3 filled its share of the limit and never more than it");
        assertTrue(metrics.count("p3", Outcome.SHED) > 0, "P3 was shed at its share with half the limit free");
        assertEquals(0, shedder.inFlight());
    }

    /**
     * An adaptive limit under many threads, in manual time: each holder advances the shared clock
     * (so latency grows with concurrency, and 1 ms windows close as the threads work), and some
     * calls time out. The limit moves, yet in-flight never exceeds the largest limit it may publish.
     */
    @Test
    void theTokenApiKeepsTheCountExactUnderAnAdaptiveLimit() throws Exception {
        ManualTicker ticker = new ManualTicker();
        int maxLimit = 16;
        LoadShedder shedder = LoadShedder.builder("adaptive").ticker(ticker).sampleEvery(1)
                .limit(ConcurrencyLimit.gradient().initialLimit(8).minLimit(2).maxLimit(maxLimit).window(Duration.ofMillis(1))
                        .minWindowSamples(5).build())
                .build();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxSeen = new AtomicInteger();
        Set<Integer> limits = ConcurrentHashMap.newKeySet();
        race(() -> {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            for (int i = 0; i < ROUNDS; i++) {
                long token = shedder.tryAdmit(Priority.P0);
                if (token == LoadShedder.REJECTED) {
                    continue;
                }
                maxSeen.accumulateAndGet(running.incrementAndGet(), Math::max);
                ticker.advance(r.nextInt(10_000, 50_000)); // 10-50 us of work, seen by every holder
                hold();
                running.decrementAndGet();
                shedder.release(token, r.nextInt(20) == 0 ? Outcome.TIMED_OUT : Outcome.SUCCESS);
                limits.add(shedder.limit());
            }
        });
        assertTrue(maxSeen.get() <= maxLimit, "max running " + maxSeen.get());
        assertTrue(limits.size() > 1, "the limit adapted: " + limits);
        assertEquals(0, shedder.inFlight());
    }

    /**
     * With a waiting queue, completions hand their slots straight to waiters while other threads
     * race through the fast path: the slot is passed on, never freed twice or granted twice, so
     * in-flight stays within the limit and the count comes back to zero.
     */
    @Test
    void handingSlotsToWaitersKeepsInFlightWithinTheLimitAndEveryPermitIsReleasedOnce() throws Exception {
        int limit = 4;
        InMemoryMetrics metrics = new InMemoryMetrics();
        LoadShedder shedder = LoadShedder.builder("handover").limit(ConcurrencyLimit.fixed(limit)).ticker(new ManualTicker())
                .metrics(metrics).queue(THREADS, Duration.ofSeconds(10)).build();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        AtomicLong admitted = new AtomicLong();
        AtomicLong waited = new AtomicLong();
        List<String> violations = new CopyOnWriteArrayList<>();
        race(() -> {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            for (int i = 0; i < ROUNDS / 4; i++) {
                Priority p = Priority.ofLevel(r.nextInt(4));
                Permit permit;
                if (r.nextBoolean()) {
                    permit = shedder.tryAcquire(p);
                    if (!permit.isAdmitted()) {
                        continue;
                    }
                } else {
                    try {
                        permit = shedder.acquire(p); // waits in the queue when there is no room
                        waited.incrementAndGet();
                    } catch (ShedException e) {
                        continue; // displaced by a more important waiter, or the queue was full
                    }
                }
                admitted.incrementAndGet();
                int now = running.incrementAndGet();
                maxRunning.accumulateAndGet(now, Math::max);
                if (now > limit || shedder.inFlight() > limit) {
                    violations.add(now + " running, " + shedder.inFlight() + " in flight, limit " + limit);
                }
                hold();
                running.decrementAndGet();
                permit.success();
            }
        });
        assertEquals(List.of(), violations);
        assertEquals(limit, maxRunning.get(), "the limit was reached");
        assertTrue(waited.get() > 0, "some callers went through the queue");
        assertEquals(0, shedder.inFlight(), "every slot came back");
        assertEquals(0, shedder.queued(), "nobody left waiting");
        assertEquals(admitted.get(), metrics.count("handover", Outcome.SUCCESS), "exactly one release per admission");
    }
}
