package dev.nines.shedding.internal;

import dev.nines.Priority;
import dev.nines.Ticker;
import dev.nines.shedding.ShedException.Reason;

/**
 * The shedder's waiting layer, over its non-waiting {@link PriorityAdmission}: a request that finds
 * no room waits in the bounded priority {@link WaitQueue} with CoDel-style timeouts; a completing
 * call hands its slot straight to the most important waiter whose share allows it, so a new
 * arrival never overtakes a waiter for a slot freed by a completion.
 *
 * <p>Thread-safe. Admissions that find room take the layer below's lock-free path; only requests
 * that wait take the queue's lock.
 */
public final class WaitingAdmission implements Admission {

    private final PriorityAdmission admission;
    private final WaitQueue queue;
    private final LimitFeedback feedback;
    private final Ticker ticker;
    private final Rejections rejections;

    /**
     * @param admission  the non-waiting admission this layer waits for
     * @param queue      where requests wait
     * @param feedback   makes the tokens of granted waiters
     * @param ticker     read for the wait and for a rejection when no reading is at hand
     * @param rejections records a rejection and builds its exception
     */
    public WaitingAdmission(PriorityAdmission admission, WaitQueue queue, LimitFeedback feedback, Ticker ticker,
            Rejections rejections) {
        this.admission = admission;
        this.queue = queue;
        this.feedback = feedback;
        this.ticker = ticker;
        this.rejections = rejections;
    }

    /**
     * {@inheritDoc} Admits at once if there is room; else waits in the queue unless the forced tier
     * excludes the priority, and throws when the wait ends without a slot.
     */
    @Override
    public long admit(Priority priority, long waitBudget, boolean read, long reading) {
        long token = admission.tryAdmit(priority, read, reading);
        if (token != LimitFeedback.REJECTED) {
            return token;
        }
        long now = read ? reading : ticker.read();
        if (admission.threshold(priority) == 0) {
            throw rejections.shed(priority, admission.limitReason(priority), now);
        }
        WaitQueue.Waiter waiter = queue.enqueue(priority, now, waitBudget); // a budget, not a reading
        if (waiter == null) {
            throw rejections.shed(priority, Reason.QUEUE_FULL, now);
        }
        drain(now); // a slot may have freed between our attempt and our enqueue
        int state = queue.await(waiter, ticker);
        if (state == WaitQueue.GRANTED) {
            return feedback.startWaiterToken(); // a waiter's latency is the overload signal: always time it
        }
        long end = ticker.read();
        Reason reason = state == WaitQueue.DISPLACED ? Reason.QUEUE_FULL
                : Thread.currentThread().isInterrupted() ? Reason.INTERRUPTED
                : WaitQueue.pastDeadline(waiter, end) ? Reason.DEADLINE_EXPIRED : Reason.QUEUE_TIMEOUT;
        throw rejections.shed(priority, reason, end);
    }

    @Override
    public boolean hasWaiters() {
        return queue.size() > 0;
    }

    /** {@inheritDoc} Only while something is in flight, whose slot it can be. */
    @Override
    public boolean handOver(long now) {
        return admission.inFlight() > 0 && WaitQueue.handedOver(queue.handOver(now, admission));
    }

    @Override
    public void drain(long now) {
        queue.drain(now, admission); // each dropped waiter reports its own shedding when it wakes
    }

    @Override
    public int queued() {
        return queue.size();
    }
}
