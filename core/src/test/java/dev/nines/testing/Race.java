package dev.nines.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one body on many threads released at the same moment, for stress tests of concurrency
 * claims: each thread is started and parked on one latch first, so the bodies really overlap
 * instead of running one after another as threads happen to start. A body that throws, or a thread
 * still running after {@link #TIMEOUT}, fails the test with every error collected.
 *
 * <p>Stateless; thread-safe. Each call starts its own platform threads, named {@code race-<i>}, and
 * joins them before it returns.
 */
public final class Race {

    /** How long the racing threads may take, all together, before the race counts as hung. */
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** What each racing thread runs, given its index (0 to threads - 1). */
    @FunctionalInterface
    public interface Body {
        /** The work of racing thread {@code thread}. */
        void run(int thread) throws Exception;
    }

    /** What each racing thread runs when it counts something, given its index. */
    @FunctionalInterface
    public interface Counting {
        /** The work of racing thread {@code thread}; returns what it counted (permits granted, say). */
        long run(int thread) throws Exception;
    }

    private Race() {
    }

    /** Starts {@code threads} threads at once on {@code body} and waits for all; fails on a throw or a hang. */
    public static void run(int threads, Body body) throws InterruptedException {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1 but was " + threads);
        }
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
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        for (Thread t : started) {
            t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            assertTrue(!t.isAlive(), "a racing thread hung: " + t.getName());
        }
        if (!errors.isEmpty()) {
            AssertionError failure = new AssertionError(errors.size() + " racing thread(s) failed: " + errors,
                    errors.get(0));
            errors.stream().skip(1).forEach(failure::addSuppressed);
            throw failure;
        }
    }

    /** Like {@link #run}, and returns the sum of what the threads counted. */
    public static long sum(int threads, Counting body) throws InterruptedException {
        AtomicLong total = new AtomicLong();
        run(threads, thread -> total.addAndGet(body.run(thread)));
        return total.get();
    }
}
