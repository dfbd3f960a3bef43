package dev.nines.shedding.internal;

import dev.nines.Priority;
import dev.nines.shedding.Tier;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Derives the degradation tier from which priorities were shed recently: a priority counts as
 * being shed for {@code holdNanos} after its last rejection. The published tier is the worse of
 * that and the forced tier. The success path only compares the published tier with
 * {@link Tier#FULL}.
 *
 * <p>A rejection that can change the tier is dated with a clock reading ({@link #onShed}). One of a
 * priority the published tier already sheds, the common case under sustained overload, reads no
 * clock: {@link #markShed} only marks the priority, and the next {@link #refresh} (every release
 * while the tier is not FULL, every tier read) dates the mark with its own reading. Such a
 * rejection is therefore dated a little late, never early, so a tier is held at least
 * {@code holdNanos} after the last rejection.
 *
 * <p>Thread-safe and lock-free: a change of tier is decided by one CAS, so every reported change is
 * a real step from the previously published tier.
 */
public final class TierTracker {

    /** Receives each published change; called by the thread whose CAS made it. */
    @FunctionalInterface
    public interface OnChange {
        /** The published tier went from {@code from} to {@code to} (never equal). */
        void changed(Tier from, Tier to);
    }

    private static final VarHandle PUBLISHED;
    private static final VarHandle LAST_SHED;
    private static final VarHandle MARKED;
    /** The offset of a priority never shed: no offset is negative, since every reading follows the origin. */
    private static final long NEVER = Long.MIN_VALUE;

    static {
        try {
            PUBLISHED = MethodHandles.lookup().findVarHandle(TierTracker.class, "published", Tier.class);
            LAST_SHED = MethodHandles.arrayElementVarHandle(long[].class);
            MARKED = MethodHandles.arrayElementVarHandle(int[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long holdNanos;
    private final long origin;
    private final OnChange onChange;
    /** Per priority, its last rejection as nanoseconds since {@code origin} (a difference, never a reading). */
    private final long[] lastShed = {NEVER, NEVER, NEVER, NEVER};
    /** 1 where a priority was shed since the last refresh, not yet dated. */
    private final int[] marked = new int[4];
    private volatile Tier published = Tier.FULL;
    private volatile Tier forced;

    /**
     * @param holdNanos how long a priority counts as shed after its last rejection
     * @param origin    a reading of the ticker taken before any reading passed to this tracker
     * @param onChange  told of every published change
     */
    public TierTracker(long holdNanos, long origin, OnChange onChange) {
        this.holdNanos = holdNanos;
        this.origin = origin;
        this.onChange = onChange;
    }

    /** The published tier, as last computed. */
    public Tier published() {
        return published;
    }

    /** The published tier, refreshed at {@code now} first (a calm period may have ended a tier). */
    public Tier current(long now) {
        refresh(now);
        return published;
    }

    /** Records that a request of {@code priority} was shed at {@code now}. */
    public void onShed(Priority priority, long now) {
        advance(priority.ordinal(), now);
        if (published.sheds(priority)) {
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
        if (!published.sheds(priority)) {
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
        Tier seen = published;
        Tier next = derive(now);
        while (next != seen) {
            Tier witness = (Tier) PUBLISHED.compareAndExchange(this, seen, next);
            if (witness == seen) {
                onChange.changed(seen, next);
                return;
            }
            seen = witness;
            next = derive(now);
        }
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
