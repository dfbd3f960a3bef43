package dev.nines.shedding.internal;

import dev.nines.Priority;
import dev.nines.shedding.ShedException;
import dev.nines.shedding.ShedException.Reason;

/**
 * The shedder's blocking admission and the queue hooks its release path calls: either
 * {@link PriorityAdmission} alone (no queue: never waits) or {@link WaitingAdmission} layered over
 * it (a queue), the way a blocking limiter is layered over a non-blocking one. Non-blocking
 * admission ({@link PriorityAdmission#tryAdmit}) never goes through this interface.
 *
 * <p>Implementations are thread-safe.
 */
public interface Admission {

    /**
     * How a layer reports a rejection: the rejection is recorded (tier, metrics) and, where it is
     * thrown, its exception built. Must be thread-safe and allocate only the exception.
     */
    interface Rejections {
        /** Records that {@code priority} was shed for {@code reason} at {@code now} and returns the exception to throw. */
        ShedException shed(Priority priority, Reason reason, long now);

        /**
         * Records that {@code priority} was shed, building nothing. If {@code read}, {@code now} is a
         * reading taken for this decision; else the clock is read only if the tier must change.
         */
        void record(Priority priority, boolean read, long now);
    }

    /**
     * Admits a request of {@code priority}, waiting if this layer waits, and returns its token.
     *
     * @param waitBudget the deadline's remaining nanos ({@link WaitQueue#NO_DEADLINE} if none): a
     *                   duration, never a reading
     * @param read       whether {@code now} is a reading of the ticker taken for this decision already
     * @throws ShedException if the request is shed
     */
    long admit(Priority priority, long waitBudget, boolean read, long now);

    /** Whether requests wait now (a volatile read; always false without a queue). */
    boolean hasWaiters();

    /**
     * Offers the slot of a call completing at {@code now} to the most important waiter; true if a
     * waiter took it (the slot stays taken), false if the caller must free it.
     */
    boolean handOver(long now);

    /** Grants free slots to waiters, most important first, dropping those whose wait is over. */
    void drain(long now);

    /** Requests waiting now (0 without a queue). */
    int queued();
}
