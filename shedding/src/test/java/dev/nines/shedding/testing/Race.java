package dev.nines.shedding.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;

/** Runs one body on many threads released together, for stress tests; fails on a throw or a hang. */
public final class Race {

    /** What each racing thread runs, given its index (0 to threads - 1). */
    @FunctionalInterface
    public interface Body {
        void run(int thread) throws Exception;
    }

    private Race() {
    }

    /** Starts {@code threads} threads at once on {@code body}, waits for all, and rethrows as a failure. */
    public static void run(int threads, Body body) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int index = t;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    body.run(index);
                } catch (Throwable e) {
                    errors.add(e);
                }
            }, "race-" + t);
            started.add(thread);
            thread.start();
        }
        start.countDown();
        for (Thread t : started) {
            t.join(Duration.ofSeconds(30).toMillis());
            assertTrue(!t.isAlive(), "a racing thread hung: " + t.getName());
        }
        assertTrue(errors.isEmpty(), errors.toString());
    }
}
