package dev.nines.bulkhead.internal;

import dev.nines.internal.QuiescentInvariants;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;

/**
 * The permits of a semaphore bulkhead. A bulkhead that never waits keeps them in one atomic
 * counter (acquire and release are one CAS each); one that waits keeps them in the state of a
 * non-fair queued synchronizer, which parks waiters without pinning virtual threads. Either way
 * the free permits never exceed the maximum: a release when every permit is free is refused in
 * the same compare-and-set that would have made it, so racing releases cannot both pass.
 * Thread-safe. Not part of the public API.
 */
public abstract class Permits implements QuiescentInvariants {

    /** Permits for {@code max} concurrent calls; {@code waits} if callers may wait for one. */
    public static Permits of(int max, boolean waits) {
        return waits ? new Waiting(max) : new Counter(max);
    }

    /** Takes a permit if one is free now. */
    public abstract boolean tryAcquire();

    /** Takes a permit, waiting up to {@code nanos} for one. */
    public abstract boolean tryAcquire(long nanos) throws InterruptedException;

    /** Gives a permit back; {@code false}, changing nothing, when every permit is already free. */
    public abstract boolean release();

    /** Permits free now. */
    public abstract int available();

    /** The most permits, all free at rest. */
    abstract int max();

    /** Threads queued for a permit now (0 for permits that never wait). */
    abstract int waiters();

    /** At rest every permit is free and no thread waits for one. Reads only. */
    @Override
    public void check(Consumer<String> violations) {
        int free = available();
        if (free != max()) {
            violations.accept("every permit must be free at rest but " + (max() - free) + " of " + max()
                    + " were still taken");
        }
        int queued = waiters();
        if (queued != 0) {
            violations.accept("no thread may wait for a permit at rest but " + queued + " did");
        }
    }

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
        public boolean release() {
            int seen = used.get();
            while (seen > 0) {
                if (used.compareAndSet(seen, seen - 1)) {
                    return true;
                }
                seen = used.get();
            }
            return false;
        }

        @Override
        public int available() {
            return max - used.get();
        }

        @Override
        int max() {
            return max;
        }

        @Override
        int waiters() {
            return 0;
        }
    }

    private static final class Waiting extends Permits {
        private final Sync sync;

        Waiting(int max) {
            this.sync = new Sync(max);
        }

        @Override
        public boolean tryAcquire() {
            return sync.tryAcquireShared(1) >= 0;
        }

        @Override
        public boolean tryAcquire(long nanos) throws InterruptedException {
            return sync.tryAcquireSharedNanos(1, nanos);
        }

        @Override
        public boolean release() {
            return sync.releaseShared(1);
        }

        @Override
        public int available() {
            return sync.free();
        }

        @Override
        int max() {
            return sync.max;
        }

        @Override
        int waiters() {
            return sync.getQueueLength();
        }
    }

    /**
     * The free permits as the synchronizer's state, between 0 and {@code max}. Acquiring barges
     * ahead of queued waiters, as a non-fair {@link java.util.concurrent.Semaphore} does; a
     * release that would pass {@code max} fails and wakes no one.
     */
    private static final class Sync extends AbstractQueuedSynchronizer {
        private static final long serialVersionUID = 1L;

        private final int max;

        Sync(int max) {
            this.max = max;
            setState(max);
        }

        int free() {
            return getState();
        }

        @Override
        protected int tryAcquireShared(int permits) {
            int free = getState();
            while (free > 0) {
                if (compareAndSetState(free, free - 1)) {
                    return free - 1; // > 0: the next waiter may get one too
                }
                free = getState();
            }
            return -1;
        }

        @Override
        protected boolean tryReleaseShared(int permits) {
            int free = getState();
            while (free < max) {
                if (compareAndSetState(free, free + 1)) {
                    return true;
                }
                free = getState();
            }
            return false;
        }
    }
}
