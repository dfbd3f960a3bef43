package dev.nines.shedding.internal;

import dev.nines.Priority;
import dev.nines.Scheduler;
import dev.nines.Ticker;
import dev.nines.internal.InOrder;
import dev.nines.shedding.Tier;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Derives the degradation tier from which priorities were shed recently: a priority counts as
 * being shed for {@code holdNanos} after its last rejection. The published tier is the worse of
 * that and the forced tier. The success path only compares the published tier with
 * {@link Tier#FULL}.
 *
 * <p>A rejection that can change the tier is dated with a clock reading ({@link #onShed}). One of a
 * priority the published tier already sheds, the common case under sustained overload, reads no
 * clock: {@link #markShed} only marks the priority, and the next {@link #refresh} (every release
 * while the tier is not FULL, every tier read, every read of the tier gauge, the end-of-hold
 * timer) dates the mark with its own reading. Such a rejection is therefore dated a little late,
 * never early, so a tier is held at least {@code holdNanos} after the last rejection.
 *
 * <p><b>End of hold.</b> With a timer, each published tier that holds a shed priority schedules one
 * check for the moment that hold ends (re-armed while rejections renew it), so a tier ends within
 * its hold plus one clock tick of its last dated rejection whether or not traffic comes; a
 * rejection dated by that check itself (it read no clock) ends at most one hold later still.
 * Without a timer, or once the timer refuses a task, the tier ends at the next release, tier read
 * or gauge read after the hold.
 *
 * <p><b>Order.</b> Each change is published as one immutable {@link Change}, numbered one more
 * than the one it replaced by the same CAS that decides it (so a tier that changes away and back
 * is never mistaken for no change), and handed to {@link InOrder}: the {@link OnChange} hears
 * changes in CAS order, one at a time, each starting where the previous ended, on whichever thread
 * delivers it, without a lock.
 *
 * <p>Readings are compared only as differences: the last rejections are kept as nanoseconds since
 * an origin read at construction. Thread-safe and lock-free.
 */
public final class TierTracker {

    /** Receives each published change, in CAS order, one at a time. */
    @FunctionalInterface
    public interface OnChange {
        /** The published tier went from {@code from} to {@code to} (never equal). */
        void changed(Tier from, Tier to);
    }

    /** One published tier, numbered by the CAS that published it; also the event delivered. Immutable. */
    private static final class Change {
        final Tier from;
        final Tier tier;
        final long seq;

        Change(Tier from, Tier tier, long seq) {
            this.from = from;
            this.tier = tier;
            this.seq = seq;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(TierTracker.class);
    private static final VarHandle PUBLISHED;
    private static final VarHandle LAST_SHED;
    private static final VarHandle MARKED;
    private static final VarHandle ARMED;
    /** The offset of a priority never shed: no offset is negative, since every reading follows the origin. */
    private static final long NEVER = Long.MIN_VALUE;

    static {
        try {
            PUBLISHED = MethodHandles.lookup().findVarHandle(TierTracker.class, "published", Change.class);
            ARMED = MethodHandles.lookup().findVarHandle(TierTracker.class, "armed", boolean.class);
            LAST_SHED = MethodHandles.arrayElementVarHandle(long[].class);
            MARKED = MethodHandles.arrayElementVarHandle(int[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long holdNanos;
    private final Ticker ticker;
    private final long origin;
    private final Scheduler timer;
    private final InOrder<Change> deliveries;
    /** Per priority, its last rejection as nanoseconds since {@code origin} (a difference, never a reading). */
    private final long[] lastShed = {NEVER, NEVER, NEVER, NEVER};
    /** 1 where a priority was shed since the last refresh, not yet dated. */
    private final int[] marked = new int[4];
    private volatile Change published = new Change(null, Tier.FULL, 0);
    private volatile Tier forced;
    /** Whether an end-of-hold check is scheduled. */
    private volatile boolean armed;
    /** Set for good once the timer refuses a task. */
    private volatile boolean timerFailed;

    /**
     * @param holdNanos how long a priority counts as shed after its last rejection
     * @param ticker    the shedder's time source; read once here (the origin) and by the timer's checks
     * @param timer     schedules the end-of-hold checks, or {@code null} for none
     * @param onChange  told of every published change, in order
     */
    public TierTracker(long holdNanos, Ticker ticker, Scheduler timer, OnChange onChange) {
        this.holdNanos = holdNanos;
        this.ticker = ticker;
        this.origin = ticker.read();
        this.timer = timer;
        this.deliveries = new InOrder<>(c -> onChange.changed(c.from, c.tier));
    }

    /** The published tier, as last computed. */
    public Tier published() {
        return published.tier;
    }

    /** The published tier, refreshed at {@code now} first (a calm period may have ended a tier). */
    public Tier current(long now) {
        refresh(now);
        return published.tier;
    }

    /** Records that a request of {@code priority} was shed at {@code now}. */
    public void onShed(Priority priority, long now) {
        advance(priority.ordinal(), now);
        if (published.tier.sheds(priority)) {
            return; // the common case under sustained overload: nothing to publish
        }
        refresh(now);
    }

    /**
     * Records a rejection of {@code priority} without a clock reading, if the published tier
     * already sheds it: the next {@link #refresh} dates it. Writes nothing when the priority is
     * marked already.
     *
     * @return {@code false} if the tier does not shed {@code priority} yet: then call
     *     {@link #onShed} with a reading instead, since the tier must change now
     */
    public boolean markShed(Priority priority) {
        if (!published.tier.sheds(priority)) {
            return false;
        }
        int level = priority.ordinal();
        if ((int) MARKED.getOpaque(marked, level) == 0) {
            MARKED.setRelease(marked, level, 1);
        }
        return true;
    }

    /** Sets (or with {@code null} clears) the forced tier and publishes the result at once. */
    public void force(Tier tier, long now) {
        forced = tier;
        refresh(now);
    }

    /** The forced tier, or {@code null}. */
    public Tier forced() {
        return forced;
    }

    /** Recomputes the tier at {@code now} and publishes it if it changed. */
    public void refresh(long now) {
        for (int level = 0; level < marked.length; level++) {
            if ((int) MARKED.getAcquire(marked, level) != 0 && MARKED.compareAndSet(marked, level, 1, 0)) {
                advance(level, now);
            }
        }
        Change seen = published;
        Tier next = derive(now);
        while (next != seen.tier) {
            Change change = new Change(seen.tier, next, seen.seq + 1);
            Change witness = (Change) PUBLISHED.compareAndExchange(this, seen, change);
            if (witness == seen) {
                deliveries.publish(change.seq, change); // after the CAS: delivered in CAS order
                arm(now);
                return;
            }
            seen = witness;
            next = derive(now);
        }
    }

    /** Schedules the end-of-hold check for the hold that decides the tier now, unless one is scheduled. */
    private void arm(long now) {
        if (timer == null || timerFailed || armed) {
            return;
        }
        long delay = untilHoldEnds(now - origin);
        if (delay <= 0 || !ARMED.compareAndSet(this, false, true)) {
            return;
        }
        try {
            timer.schedule(this::endOfHold, delay);
        } catch (RuntimeException refused) {
            timerFailed = true;
            armed = false;
            LOG.warn("nines: a load shedder's tier timer refused its end-of-hold check; tiers now end on the "
                    + "next release, tier read or gauge read after their hold", refused);
        }
    }

    /** The timer's check: publishes the tier now (ending the hold that ran out) and re-arms for the next one. */
    private void endOfHold() {
        armed = false;
        long now = ticker.read();
        refresh(now);
        arm(now);
    }

    /**
     * Nanoseconds until the most important priority still within its hold leaves it, so the
     * derived tier changes; 0 if none is within its hold.
     */
    private long untilHoldEnds(long now) {
        for (int level = 0; level < lastShed.length; level++) {
            long at = (long) LAST_SHED.getAcquire(lastShed, level);
            if (at != NEVER && now - at < holdNanos) {
                return holdNanos - (now - at);
            }
        }
        return 0;
    }

    /** Moves the last rejection of {@code level} to {@code now}, never back in time. */
    private void advance(int level, long reading) {
        long now = reading - origin;
        long seen = (long) LAST_SHED.getAcquire(lastShed, level);
        while ((seen == NEVER || now - seen > 0) && !LAST_SHED.compareAndSet(lastShed, level, seen, now)) {
            seen = (long) LAST_SHED.getAcquire(lastShed, level); // another rejection moved it: retry on fresh state
        }
    }

    private Tier derive(long reading) {
        long now = reading - origin;
        Tier tier = Tier.FULL;
        for (int level = 0; level < lastShed.length; level++) {
            long at = (long) LAST_SHED.getAcquire(lastShed, level);
            if (at != NEVER && now - at < holdNanos) {
                tier = Tier.shedding(Priority.ofLevel(level));
                break;
            }
        }
        Tier f = forced;
        return f == null ? tier : tier.worst(f);
    }
}
