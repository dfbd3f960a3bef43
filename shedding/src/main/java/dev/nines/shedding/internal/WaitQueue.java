package dev.nines.shedding.internal;

import dev.nines.Priority;
import dev.nines.Ticker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The optional bounded queue where requests wait for a slot, served in priority order (FIFO
 * within a priority), with CoDel-style timeouts: once every waiter granted for {@code interval}
 * had waited longer than {@code target} (a standing queue), waits are cut to {@code target}
 * until a waiter gets through faster; otherwise a waiter may wait up to {@code maxWait}. Waiters
 * past their own deadline are dropped before they run. A request that finds the queue full takes
 * the place of the newest waiter of the least important priority below its own, which is dropped
 * ({@link #DISPLACED}); only a request that finds it full of waiters at least as important is
 * refused. So a sustained flood of less important waiters cannot keep more important ones out.
 *
 * <p>Thread-safe. A {@link ReentrantLock} guards the queue, taken only when requests wait: the
 * admission fast path reads nothing but the volatile {@link #size()}.
 */
public final class WaitQueue {

    /** Where a waiter stands; changed only by CAS, so it is granted or given up exactly once. */
    public static final int WAITING = 0;
    /** A slot was handed to the waiter; it now holds a permit. */
    public static final int GRANTED = 1;
    /** The waiter gave up (its own timeout or interruption). */
    public static final int CANCELLED = 2;
    /** The queue dropped the waiter (CoDel timeout or deadline). */
    public static final int EXPIRED = 3;
    /** The queue was full and a more important request took the waiter's place. */
    public static final int DISPLACED = 4;

    /** The wait budget of a waiter without a deadline: a duration, never a reading. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Waiter.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * One waiting request. Its deadline is kept as a budget from {@code enqueuedAt}, so it is
     * compared only as a difference of readings. Thread-safe: its fields are final but
     * {@code state}, which changes only by CAS.
     */
    public static final class Waiter {
        final Priority priority;
        final long enqueuedAt;
        final long budget;
        final Thread thread;
        volatile int state;

        Waiter(Priority priority, long enqueuedAt, long budget) {
            this.priority = priority;
            this.enqueuedAt = enqueuedAt;
            this.budget = budget;
            this.thread = Thread.currentThread();
        }

        /**
         * The waiter's state: {@link #WAITING}, {@link #GRANTED}, {@link #CANCELLED}, {@link #EXPIRED}
         * or {@link #DISPLACED}.
         */
        public int state() {
            return state;
        }

        boolean transition(int from, int to) {
            return STATE.compareAndSet(this, from, to);
        }
    }

    /** The in-flight slots the queue hands to waiters. Implementations must be thread-safe. */
    public interface Slots {
        /** Takes a slot for a waiter of {@code priority} if its threshold allows one now. */
        boolean tryTake(Priority priority);

        /** Gives back a slot taken for a waiter that left in the meantime. */
        void giveBack();

        /**
         * Whether a waiter of {@code priority} may have the slot a completing call is about to
         * free: whether its threshold would admit it with that call gone.
         */
        boolean mayTakeOver(Priority priority);
    }

    private final ReentrantLock lock = new ReentrantLock();
    @SuppressWarnings({"unchecked", "rawtypes"})
    private final ArrayDeque<Waiter>[] byLevel = new ArrayDeque[] {
            new ArrayDeque<>(), new ArrayDeque<>(), new ArrayDeque<>(), new ArrayDeque<>()};
    private final int capacity;
    private final long maxWaitNanos;
    private final long targetNanos;
    private final long intervalNanos;
    private volatile int size;
    private boolean above; // guarded by lock: every grant since aboveSince waited longer than the target
    private long aboveSince; // guarded by lock, meaningful only while above
    private volatile boolean dropping; // written under lock

    /**
     * @param capacity      how many may wait at once
     * @param maxWaitNanos  the longest wait while there is no standing queue
     * @param targetNanos   the CoDel target: acceptable waiting time, and the wait once the queue stands
     * @param intervalNanos how long waits must exceed the target before they are cut short
     */
    public WaitQueue(int capacity, long maxWaitNanos, long targetNanos, long intervalNanos) {
        this.capacity = capacity;
        this.maxWaitNanos = maxWaitNanos;
        this.targetNanos = targetNanos;
        this.intervalNanos = intervalNanos;
    }

    /**
     * The queue at rest: nobody waiting, and the published size equal to what the levels hold (so
     * the fast path, which reads the size alone, sees the truth). Takes the lock; never on a call path.
     */
    public void check(Consumer<String> violations) {
        lock.lock();
        try {
            int held = 0;
            for (ArrayDeque<Waiter> level : byLevel) {
                held += level.size();
            }
            if (held != size) {
                violations.accept("the queue's size must equal the waiters it holds but was " + size + " with "
                        + held + " held");
            }
            if (held != 0) {
                violations.accept("no request may wait in the queue at rest but " + held + " did");
            }
        } finally {
            lock.unlock();
        }
    }

    /** How many are waiting. A volatile read: the fast path's only contact with the queue. */
    public int size() {
        return size;
    }

    /** Whether waits are currently cut short to the target (a standing queue). */
    public boolean isCuttingShort() {
        return dropping;
    }

    /**
     * Adds a waiter for the calling thread. If the queue is full, the newest waiter of the least
     * important priority below {@code priority} makes room (it wakes {@link #DISPLACED}); if there
     * is none, returns {@code null}.
     *
     * @param budget nanoseconds from {@code now} to the waiter's deadline, {@link #NO_DEADLINE} if none
     */
    public Waiter enqueue(Priority priority, long now, long budget) {
        lock.lock();
        try {
            if (size >= capacity && !displaceBelow(priority)) {
                return null;
            }
            Waiter w = new Waiter(priority, now, budget);
            byLevel[priority.ordinal()].addLast(w);
            size++;
            return w;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Grants slots to waiters, most important first, while {@code slots} has room for them;
     * drops waiters whose wait is over on the way. Returns how many were dropped, for metrics.
     */
    public int drain(long now, Slots slots) {
        int dropped = 0;
        lock.lock();
        try {
            while (size > 0) {
                dropped += expireHeads(now);
                Waiter head = firstHead();
                if (head == null || !slots.tryTake(head.priority)) {
                    break;
                }
                if (!grant(head, now)) {
                    slots.giveBack(); // it gave up between our look and our grant
                }
            }
            resetIfEmpty();
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    /** Takes {@code head} off the queue and wakes it with its slot; {@code false} if it gave up first. Under the lock. */
    private boolean grant(Waiter head, long now) {
        byLevel[head.priority.ordinal()].pollFirst();
        size--;
        if (!head.transition(WAITING, GRANTED)) {
            return false;
        }
        onGranted(now - head.enqueuedAt, now);
        LockSupport.unpark(head.thread);
        return true;
    }

    /**
     * Hands the slot of a completing call straight to the most important waiter, if its threshold
     * allows ({@link Slots#mayTakeOver}), so the slot is never free for a new arrival to take
     * first; drops waiters whose wait is over on the way. Returns both outcomes in one int, read
     * with {@link #handedOver(int)} (if true the caller must not free the slot: in-flight is
     * unchanged; else the caller frees it) and {@link #droppedIn(int)}, for metrics.
     */
    public int handOver(long now, Slots slots) {
        int dropped = 0;
        lock.lock();
        try {
            while (size > 0) {
                dropped += expireHeads(now);
                Waiter head = firstHead();
                if (head == null || !slots.mayTakeOver(head.priority)) {
                    break;
                }
                if (grant(head, now)) {
                    dropped += expireHeads(now); // as drain does: the grant may have made the queue stand
                    resetIfEmpty();
                    return dropped << 1 | 1;
                }
                // it gave up between our look and our grant: try the next one
            }
            resetIfEmpty();
            return dropped << 1;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the {@link #handOver} that returned {@code result} gave the slot to a waiter. */
    public static boolean handedOver(int result) {
        return (result & 1) != 0;
    }

    /** How many waiters the {@link #handOver} that returned {@code result} dropped on the way. */
    public static int droppedIn(int result) {
        return result >>> 1;
    }

    private void resetIfEmpty() {
        if (size == 0) {
            above = false;
            dropping = false;
        }
    }

    /** Withdraws a waiter that gave up; false if it was granted (it then holds a slot) or dropped first. */
    public boolean cancel(Waiter w) {
        if (!w.transition(WAITING, CANCELLED)) {
            return false;
        }
        lock.lock();
        try {
            if (byLevel[w.priority.ordinal()].remove(w)) {
                size--;
            }
        } finally {
            lock.unlock();
        }
        return true;
    }

    /**
     * Parks the calling waiter until it is granted, dropped, or its own wait is over (read on
     * {@code ticker}). Returns its final state; on timeout or interruption it is cancelled, unless
     * a grant won the race, in which case the result is {@link #GRANTED}.
     */
    public int await(Waiter w, Ticker ticker) {
        long limit = Math.min(w.budget, maxWaitNanos); // a duration: readings are compared only as differences
        while (w.state == WAITING) {
            long remaining = limit - (ticker.read() - w.enqueuedAt);
            if (remaining <= 0 || Thread.currentThread().isInterrupted()) {
                if (cancel(w)) {
                    return CANCELLED;
                }
                break;
            }
            LockSupport.parkNanos(this, remaining);
        }
        return w.state;
    }

    /** Whether {@code w}'s deadline has passed at {@code now}. */
    public static boolean pastDeadline(Waiter w, long now) {
        return now - w.enqueuedAt >= w.budget;
    }

    /**
     * Frees one place for a waiter of {@code priority}, under the lock: removes the newest waiter of
     * the least important priority below it and drops it. A waiter found already cancelled (its
     * {@link #cancel} is about to find it gone) frees its place just the same. False if every
     * waiter is at least as important as {@code priority}.
     */
    private boolean displaceBelow(Priority priority) {
        for (int level = byLevel.length - 1; level > priority.ordinal(); level--) {
            Waiter w = byLevel[level].pollLast();
            if (w != null) {
                size--;
                if (w.transition(WAITING, DISPLACED)) {
                    LockSupport.unpark(w.thread);
                }
                return true;
            }
        }
        return false;
    }

    private Waiter firstHead() {
        for (ArrayDeque<Waiter> q : byLevel) {
            Waiter w = q.peekFirst();
            if (w != null) {
                return w;
            }
        }
        return null;
    }

    private int expireHeads(long now) {
        long wait = dropping ? targetNanos : maxWaitNanos;
        int dropped = 0;
        for (ArrayDeque<Waiter> q : byLevel) {
            Waiter w;
            while ((w = q.peekFirst()) != null
                    && (w.state != WAITING || now - w.enqueuedAt >= wait || pastDeadline(w, now))) {
                q.pollFirst();
                size--;
                if (w.transition(WAITING, EXPIRED)) {
                    dropped++;
                    LockSupport.unpark(w.thread);
                }
            }
        }
        return dropped;
    }

    /** CoDel bookkeeping: has every grant for a whole interval waited longer than the target? */
    private void onGranted(long sojourn, long now) {
        if (sojourn < targetNanos) {
            above = false;
            dropping = false;
        } else if (!above) {
            above = true;
            aboveSince = now;
        } else if (now - aboveSince >= intervalNanos) {
            dropping = true;
        }
    }
}
