package dev.nines.ratelimit;

import java.util.concurrent.TimeUnit;

/**
 * How a blocking acquire waits for its reservation. Injectable so that tests advance a manual
 * ticker instead of sleeping. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Sleeper {

    /**
     * Waits about {@code nanos} nanoseconds.
     *
     * @throws InterruptedException if the waiting thread is interrupted; the acquire then returns its
     *     reservation
     */
    void sleep(long nanos) throws InterruptedException;

    /** Sleeps the current thread with {@link TimeUnit#sleep(long)} (wall-clock time). */
    static Sleeper system() {
        return TimeUnit.NANOSECONDS::sleep;
    }
}
