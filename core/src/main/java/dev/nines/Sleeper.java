package dev.nines;

import java.util.concurrent.TimeUnit;

/**
 * Waits for a while: how a synchronous policy (a retry's backoff) lets time pass.
 *
 * <p>Injectable so that tests advance a {@link ManualTicker} instead of sleeping. Implementations
 * must be thread-safe and must throw {@link InterruptedException} when the waiting thread is
 * interrupted.
 */
@FunctionalInterface
public interface Sleeper {

    /** Waits {@code nanos} nanoseconds; returns at once when {@code nanos <= 0}. */
    void sleep(long nanos) throws InterruptedException;

    /** The sleeper backed by {@link TimeUnit#sleep(long)} (the real clock). */
    static Sleeper system() {
        return SystemSleeper.INSTANCE;
    }
}

/** A single instance keeps the call site monomorphic in production. */
enum SystemSleeper implements Sleeper {
    INSTANCE;

    @Override
    public void sleep(long nanos) throws InterruptedException {
        if (nanos > 0) {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } else if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    @Override
    public String toString() {
        return "Sleeper.system()";
    }
}
