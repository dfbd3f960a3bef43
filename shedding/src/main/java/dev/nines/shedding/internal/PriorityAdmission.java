package dev.nines.shedding.internal;

import dev.nines.Priority;
import dev.nines.Ticker;
import dev.nines.shedding.ShedException.Reason;
import dev.nines.shedding.Tier;
import dev.nines.shedding.limit.ConcurrencyLimit;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The shedder's priority admission, never waiting: one {@link InFlightCounter} checked against the
 * request's {@link Thresholds threshold} and incremented in a single CAS, so in-flight never exceeds
 * the limit however many threads race; the thresholds are the priorities' shares of the current
 * limit, republished when the limit or the forced tier changes.
 *
 * <p>It is also the {@link WaitQueue.Slots} a {@link WaitingAdmission} hands to waiters, and the
 * {@link Admission} of a shedder without a queue (whose {@link #admit} throws when there is no room).
 *
 * <p>Thread-safe and lock-free; admission and release allocate nothing.
 */
public final class PriorityAdmission implements Admission, WaitQueue.Slots {

    private static final VarHandle THRESHOLDS;

    static {
        try {
            THRESHOLDS = MethodHandles.lookup().findVarHandle(PriorityAdmission.class, "thresholds", Thresholds.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final InFlightCounter inFlight = new InFlightCounter();
    private final ConcurrencyLimit limit;
    private volatile double[] shares; // replaced whole by setShares, never modified
    private final TierTracker tiers;
    private final LimitFeedback feedback;
    private final Ticker ticker;
    private final Rejections rejections;
    private volatile Thresholds thresholds;

    /**
     * @param limit      the limit whose shares the priorities may fill
     * @param shares     each priority's share of the limit, by level; never modified
     * @param tiers      the tracker whose forced tier excludes priorities
     * @param feedback   makes the tokens of admitted calls
     * @param ticker     read for a rejection when no reading is at hand
     * @param rejections records a rejection and builds its exception
     */
    public PriorityAdmission(ConcurrencyLimit limit, double[] shares, TierTracker tiers, LimitFeedback feedback,
            Ticker ticker, Rejections rejections) {
        this.limit = limit;
        this.shares = shares;
        this.tiers = tiers;
        this.feedback = feedback;
        this.ticker = ticker;
        this.rejections = rejections;
        this.thresholds = Thresholds.of(limit.currentLimit(), shares, null);
    }

    /**
     * Admits a request of {@code priority} if its threshold allows, never waiting: returns its token,
     * or {@link LimitFeedback#REJECTED} without recording anything. If {@code read}, {@code now} is a
     * reading taken for this decision already.
     */
    public long tryAdmit(Priority priority, boolean read, long now) {
        int admission = inFlight.tryAdmit(thresholds.of(priority));
        if (admission != InFlightCounter.NO_SLOT) {
            return feedback.startToken(admission, read, now);
        }
        return LimitFeedback.REJECTED;
    }

    /**
     * {@link #tryAdmit}, and a rejection is recorded (tier and metrics) before {@link LimitFeedback#REJECTED}
     * is returned. Allocates nothing either way.
     */
    public long tryAdmitOrRecordShed(Priority priority, boolean read, long now) {
        long token = tryAdmit(priority, read, now);
        if (token == LimitFeedback.REJECTED) {
            rejections.record(priority, read, now);
        }
        return token;
    }

    /** {@inheritDoc} Without a queue: admits at once or throws with {@link #limitReason}. */
    @Override
    public long admit(Priority priority, long waitBudget, boolean read, long now) {
        long token = tryAdmit(priority, read, now);
        if (token != LimitFeedback.REJECTED) {
            return token;
        }
        throw rejections.shed(priority, limitReason(priority), read ? now : ticker.read());
    }

    /** Why a request found no room without waiting: the forced tier excludes it, or its share is full. */
    public Reason limitReason(Priority priority) {
        return thresholds.of(priority) == 0 ? Reason.FORCED_TIER : Reason.OVER_LIMIT;
    }

    /**
     * Frees the slot of a completing call and returns the in-flight count before, itself included;
     * if that is not positive nothing was in flight (a token released twice): the count is restored
     * and the caller reports the bug.
     */
    public int free() {
        int before = inFlight.decrement();
        if (before <= 0) {
            inFlight.undoDecrement();
        }
        return before;
    }

    /** Whether the limit moved away from the one the thresholds were derived from. */
    public boolean isStale() {
        return limit.currentLimit() != thresholds.limit();
    }

    /**
     * Publishes thresholds for the current limit and forced tier; retries only on a fresher race.
     * Returns whether this call published new thresholds (so waiters may now fit).
     */
    public boolean republish() {
        return publish(false);
    }

    /**
     * Takes new shares (each priority's, by level; never modified after) and publishes thresholds
     * derived from them; in-flight calls are untouched. Returns whether thresholds were published.
     */
    public boolean setShares(double[] shares) {
        this.shares = shares;
        return publish(true);
    }

    private boolean publish(boolean force) {
        Thresholds seen = thresholds;
        while (true) {
            int l = limit.currentLimit();
            Tier forced = tiers.forced();
            if (!force && seen.limit() == l && seen.forced() == forced) {
                return false;
            }
            // forced until this call publishes: a publisher that beat it may have read the old shares
            Thresholds next = Thresholds.of(l, shares, forced);
            Thresholds witness = (Thresholds) THRESHOLDS.compareAndExchange(this, seen, next);
            if (witness == seen) {
                return true;
            }
            seen = witness;
        }
    }

    /** The limit the current thresholds were derived from. */
    public int limit() {
        return thresholds.limit();
    }

    /** How many in-flight calls {@code priority} may find and still be admitted right now. */
    public int threshold(Priority priority) {
        return thresholds.of(priority);
    }

    /** Calls in flight now. */
    public int inFlight() {
        return inFlight.get();
    }

    // ---------------------------------------------------------------- WaitQueue.Slots

    @Override
    public boolean tryTake(Priority priority) {
        return inFlight.tryIncrementBelow(thresholds.of(priority));
    }

    @Override
    public void giveBack() {
        inFlight.decrement();
    }

    @Override
    public boolean mayTakeOver(Priority priority) {
        return inFlight.get() - 1 < thresholds.of(priority);
    }

    // ---------------------------------------------------------------- Admission without a queue

    /** No queue: nobody waits. */
    @Override
    public boolean hasWaiters() {
        return false;
    }

    /** No queue: the caller frees the slot. */
    @Override
    public boolean handOver(long now) {
        return false;
    }

    /** No queue: nothing to drain. */
    @Override
    public void drain(long now) {
    }

    /** No queue: 0. */
    @Override
    public int queued() {
        return 0;
    }
}
