package dev.nines.bulkhead.internal;

import dev.nines.internal.QuiescentInvariants;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.concurrent.locks.AbstractQueuedLongSynchronizer;

/**
 * The permits of a semaphore bulkhead. A bulkhead that never waits keeps them in one atomic
 * counter (acquire and release are one CAS each); one that waits keeps them in the state of a
 * non-fair queued synchronizer, which parks waiters without pinning virtual threads. Either way
 * the free permits never exceed the maximum: a release when every permit is free is refused in
 * the same compare-and-set that would have made it, so racing releases cannot both pass.
 *
 * <p>The maximum can change at run time ({@link #setMax}, callers serialize): calls holding
 * permits keep them; a lowered maximum admits no call until the calls in use drop below it, and a
 * raised one admits (and wakes) at once. While the change is being made, at most
 * {@code max(old, new)} permits are in use. Thread-safe. Not part of the public API.
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

    /** Permits free now; 0 while more are in use than a lowered maximum. */
    public abstract int available();

    /** Permits in use now. */
    public abstract int inUse();

    /** The most permits, all free at rest. */
    public abstract int max();

    /** Changes the maximum; callers serialize calls to this. In-use permits are kept. */
    public abstract void setMax(int max);

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
        private volatile int max;
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
            return Math.max(0, max - used.get());
        }

        @Override
        public int inUse() {
            return used.get();
        }

        @Override
        public int max() {
            return max;
        }

        @Override
        public void setMax(int max) {
            this.max = max; // acquires compare against the maximum they read: at most max(old, new) in use
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
            return sync.tryAcquireShared(1L) >= 0;
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
            return Math.max(0, sync.free());
        }

        @Override
        public int inUse() {
            long s = sync.snapshot();
            return Sync.maxOf(s) - Sync.freeOf(s);
        }

        @Override
        public int max() {
            return sync.max();
        }

        @Override
        public void setMax(int max) {
            sync.setMax(max);
        }

        @Override
        int waiters() {
            return sync.getQueueLength();
        }
    }

    /**
     * The maximum and the free permits, packed in the synchronizer's one {@code long} state (the
     * maximum in the high half, the free count in the low half), so that a release checks the bound
     * against the same snapshot it updates and a change of the maximum moves both in one
     * compare-and-set. The free count is the maximum minus the permits in use: negative while more
     * are in use than a lowered maximum. Acquiring barges ahead of queued waiters, as a non-fair
     * {@link java.util.concurrent.Semaphore} does; a release that would pass the maximum fails and
     * wakes no one.
     */
    private static final class Sync extends AbstractQueuedLongSynchronizer {
        private static final long serialVersionUID = 1L;

        Sync(int max) {
            setState(pack(max, max));
        }

        private static long pack(int max, int free) {
            return ((long) max << 32) | (free & 0xFFFF_FFFFL);
        }

        private static int maxOf(long state) {
            return (int) (state >>> 32);
        }

        private static int freeOf(long state) {
            return (int) state;
        }

        int max() {
            return maxOf(getState());
        }

        long snapshot() {
            return getState();
        }

        int free() {
            return freeOf(getState());
        }

        /** Moves the maximum and the free count together, keeping the permits in use. */
        void setMax(int newMax) {
            long s;
            do {
                s = getState();
            } while (!compareAndSetState(s, pack(newMax, freeOf(s) + newMax - maxOf(s))));
            if (newMax > maxOf(s)) {
                releaseShared(0); // wakes the queued waiters the new permits can serve
            }
        }

        @Override
        protected long tryAcquireShared(long permits) {
            long s = getState();
            while (freeOf(s) > 0) {
                if (compareAndSetState(s, s - 1)) { // the low half is positive: no borrow into the maximum
                    return freeOf(s) - 1L; // > 0: the next waiter may get one too
                }
                s = getState();
            }
            return -1;
        }

        @Override
        protected boolean tryReleaseShared(long permits) {
            if (permits == 0) {
                return true; // setMax's wake-up: nothing to give back, propagate to the waiters
            }
            long s = getState();
            while (freeOf(s) < maxOf(s)) {
                if (compareAndSetState(s, pack(maxOf(s), freeOf(s) + 1))) {
                    return true;
                }
                s = getState();
            }
            return false;
        }
    }
}
