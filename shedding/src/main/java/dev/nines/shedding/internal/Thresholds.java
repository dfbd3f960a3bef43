package dev.nines.shedding.internal;

import dev.nines.Priority;
import dev.nines.shedding.Tier;

/**
 * An immutable snapshot of how many in-flight calls each priority may find on arrival and still be
 * admitted: its share of the limit, or 0 if the forced tier excludes it. Rebuilt (off the hot
 * path) whenever the limit or the forced tier changes, and read with one volatile load per call.
 * Immutable (the array never escapes) and thread-safe.
 */
public final class Thresholds {

    private final int limit;
    private final int[] byLevel;
    private final Tier forced;

    private Thresholds(int limit, int[] byLevel, Tier forced) {
        this.limit = limit;
        this.byLevel = byLevel;
        this.forced = forced;
    }

    /**
     * Thresholds for {@code limit}: {@code max(1, floor(limit * share))} per priority, so even a
     * tiny limit admits each priority into an idle service; 0 for priorities {@code forced} sheds.
     */
    public static Thresholds of(int limit, double[] shares, Tier forced) {
        int[] t = new int[shares.length];
        for (int level = 0; level < shares.length; level++) {
            boolean excluded = forced != null && forced.sheds(Priority.ofLevel(level));
            t[level] = excluded ? 0 : (int) Math.max(1, Math.min(limit, Math.floor(limit * shares[level])));
        }
        return new Thresholds(limit, t, forced);
    }

    /** The admission threshold of {@code priority}. */
    public int of(Priority priority) {
        return byLevel[priority.ordinal()];
    }

    /** The limit these thresholds were derived from. */
    public int limit() {
        return limit;
    }

    /** The forced tier, or {@code null} when none. */
    public Tier forced() {
        return forced;
    }
}
