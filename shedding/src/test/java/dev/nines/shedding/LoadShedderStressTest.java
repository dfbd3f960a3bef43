package dev.nines.shedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.Priority;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.Outcome;
import dev.nines.shedding.limit.Limit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Many threads hammer one shedder; the invariants are checked on every admission and at the end. */
class LoadShedderStressTest {

    private static final int THREADS = 16;
    private static final int ROUNDS = 20_000;

    @Test
    void inFlightNeverExceedsTheLimitAndEveryPermitIsReleasedExactlyOnce() throws Exception {
        int limit = 8;
        InMemoryMetrics metrics = new InMemoryMetrics();
        LoadShedder shedder = LoadShedder.builder("stress").limit(Limit.fixed(limit)).metrics(metrics).build();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxSeen = new AtomicInteger();
        AtomicLong admitted = new AtomicLong();
        AtomicLong doubleReleases = new AtomicLong();
        int[] perPriorityMax = new int[4];
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            threads.add(new Thread(() -> {
                try {
                    start.await();
                    ThreadLocalRandom r = ThreadLocalRandom.current();
                    for (int i = 0; i < ROUNDS; i++) {
                        Priority p = Priority.ofLevel(r.nextInt(4));
                        try (Permit permit = shedder.tryAcquire(p)) {
                            if (!permit.isAdmitted()) {
                                continue;
                            }
                            admitted.incrementAndGet();
                            int now = running.incrementAndGet();
                            maxSeen.accumulateAndGet(now, Math::max);
                            if (now > shedder.threshold(p) && now > limit) {
                                errors.add(new AssertionError("running " + now + " over limit " + limit));
                            }
                            running.decrementAndGet();
                            boolean first = r.nextBoolean() ? permit.success() : permit.dropped();
                            if (!first || permit.failure() || permit.ignore()) {
                                doubleReleases.incrementAndGet();
                            }
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        threads.forEach(Thread::start);
        start.countDown();
        for (Thread t : threads) {
            t.join(Duration.ofSeconds(30).toMillis());
        }
        assertTrue(errors.isEmpty(), errors.toString());
        assertTrue(maxSeen.get() <= limit, "max running " + maxSeen.get());
        assertEquals(0, shedder.inFlight(), "every admitted permit released");
        assertEquals(0, doubleReleases.get());
        long released = metrics.count("stress", Outcome.SUCCESS) + metrics.count("stress", Outcome.TIMED_OUT)
                + metrics.count("stress", Outcome.IGNORED) + metrics.count("stress", Outcome.FAILURE);
        assertEquals(admitted.get(), released, "exactly one release per admission");
        assertEquals((long) THREADS * ROUNDS, admitted.get() + metrics.count("stress", Outcome.SHED));
        assertTrue(perPriorityMax.length == 4);
    }

    @Test
    void theTokenApiKeepsTheCountExactUnderAnAdaptiveLimit() throws Exception {
        LoadShedder shedder = LoadShedder.builder("adaptive")
                .limit(Limit.gradient().initialLimit(8).minLimit(2).maxLimit(16).window(Duration.ofMillis(1)).build())
                .build();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger overLimit = new AtomicInteger();
        Thread[] threads = new Thread[THREADS];
        for (int t = 0; t < THREADS; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < ROUNDS; i++) {
                    long token = shedder.tryAdmit(Priority.P0);
                    if (token == LoadShedder.REJECTED) {
                        continue;
                    }
                    if (running.incrementAndGet() > 16) {
                        overLimit.incrementAndGet(); // maxLimit bounds every limit the algorithm publishes
                    }
                    running.decrementAndGet();
                    shedder.release(token, Outcome.SUCCESS);
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(0, overLimit.get());
        assertEquals(0, shedder.inFlight());
    }
}
