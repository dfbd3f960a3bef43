package dev.nines.bulkhead.internal;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The permits of a semaphore bulkhead. A bulkhead that never waits keeps them in one atomic
 * counter (acquire is one CAS, release one atomic add); one that waits uses a non-fair
 * {@link Semaphore}, which parks waiters without pinning virtual threads. Thread-safe. Not part of
 * the public API.
 */
public abstract class Permits {

    /** Permits for {@code max} concurrent calls; {@code waits} if callers may wait for one. */
    public static Permits of(int max, boolean waits) {
        return waits ? new Waiting(max) : new Counter(max);
    }

    /** Takes a permit if one is free now. */
    public abstract boolean tryAcquire();

    /** Takes a permit, waiting up to {@code nanos} for one. */
    public abstract boolean tryAcquire(long nanos) throws InterruptedException;

    /** Gives a permit back. */
    public abstract void release();

    /** Permits free now. */
    public abstract int available();

    private static final class Counter extends Permits {
        private final int max;
        private final AtomicInteger used = new AtomicInteger();

        Counter(int max) {
            this.max = max;
        }

        @Override
        public boolean tryAcquire() {
            int seen = used.get();
            while (seen < max) {
                if (used.compareAndSet(seen, seen + 1)) {
                    return true;
                }
                seen = used.get(); // another caller won: decide again on fresh state
            }
            return false;
        }

        @Override
        public boolean tryAcquire(long nanos) {
            return tryAcquire(); // never waits
        }

        @Override
        public void release() {
            used.decrementAndGet();
        }

        @Override
        public int available() {
            return max - used.get();
        }
    }

    private static final class Waiting extends Permits {
        private final Semaphore semaphore;

        Waiting(int max) {
            this.semaphore = new Semaphore(max);
        }

        @Override
        public boolean tryAcquire() {
            return semaphore.tryAcquire();
        }

        @Override
        public boolean tryAcquire(long nanos) throws InterruptedException {
            return semaphore.tryAcquire(nanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void release() {
            semaphore.release();
        }

        @Override
        public int available() {
            return semaphore.availablePermits();
        }
    }
}
