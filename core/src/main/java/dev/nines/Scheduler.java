package dev.nines;

import java.util.Objects;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a task after a delay without blocking the caller: how asynchronous retries wait between
 * attempts and how timeouts fire.
 *
 * <p>Injectable so that tests fire timers by hand instead of letting time pass. Implementations
 * must be thread-safe.
 */
@FunctionalInterface
public interface Scheduler {

    /**
     * Runs {@code task} once, {@code delayNanos} from now (at once when zero or negative).
     *
     * @return a handle whose {@link Future#cancel(boolean)} stops a task that has not run yet
     */
    Future<?> schedule(Runnable task, long delayNanos);

    /** Adapts a {@link ScheduledExecutorService}; the caller owns its lifecycle. */
    static Scheduler of(ScheduledExecutorService executor) {
        Objects.requireNonNull(executor, "executor");
        return (task, delayNanos) -> executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * A shared scheduler on one daemon thread ({@code nines-scheduler}), created on first use.
     * Tasks given to it must be short: they complete futures and start the next attempt.
     */
    static Scheduler system() {
        return SystemScheduler.INSTANCE;
    }
}

/** Holder of the shared scheduler; the executor starts on first use. */
final class SystemScheduler {

    static final Scheduler INSTANCE = Scheduler.of(create());

    private SystemScheduler() {
    }

    private static ScheduledExecutorService create() {
        AtomicInteger count = new AtomicInteger();
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "nines-scheduler-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true); // cancelled timeouts must not pile up in the queue
        return executor;
    }
}
