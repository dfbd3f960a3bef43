package dev.nines.shedding.internal;

import dev.nines.Priority;
import dev.nines.shedding.Tier;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Derives the degradation tier from which priorities were shed recently: a priority counts as
 * being shed for {@code holdNanos} after its last rejection. The published tier is the worse of
 * that and the forced tier. Rejections write one timestamp; the success path only compares the
 * published tier with {@link Tier#FULL}. Thread-safe and lock-free: a change of tier is decided by
 * one CAS, so every reported change is a real step from the previously published tier.
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
    private static final long NEVER = Long.MIN_VALUE;

    static {
        try {
            PUBLISHED = MethodHandles.lookup().findVarHandle(TierTracker.class, "published", Tier.class);
            LAST_SHED = MethodHandles.arrayElementVarHandle(long[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long holdNanos;
    private final OnChange onChange;
    private final long[] lastShed = {NEVER, NEVER, NEVER, NEVER};
    private volatile Tier published = Tier.FULL;
    private volatile Tier forced;

    /**
     * @param holdNanos how long a priority counts as shed after its last rejection
     * @param onChange  told of every published change
     */
    public TierTracker(long holdNanos, OnChange onChange) {
        this.holdNanos = holdNanos;
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
        LAST_SHED.setRelease(lastShed, priority.ordinal(), now);
        if (published.sheds(priority)) {
            return; // the common case under sustained overload: nothing to publish
        }
        refresh(now);
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

    private Tier derive(long now) {
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
