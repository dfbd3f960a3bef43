package dev.nines.shedding;

import dev.nines.Priority;

/**
 * How much of the service is on offer, derived from which priorities are being shed, so the
 * application can switch features off through a {@link TierListener}. Ordered from best to worst.
 * Immutable, as every enum constant is, and so thread-safe.
 */
public enum Tier {
    /** Nothing is shed: full service. */
    FULL,
    /** P3 is shed: reduced features (no recommendations, prefetch, analytics). */
    REDUCED,
    /** P2 and P3 are shed: essential service only. */
    ESSENTIAL,
    /** Only P0 is admitted (or even P0 is being shed): critical traffic only. */
    CRITICAL_ONLY;

    /** Whether this tier sheds every request of {@code priority}. */
    public boolean sheds(Priority priority) {
        return priority.level() > 3 - ordinal();
    }

    /** The tier in which {@code mostImportantShed} and everything less important is shed. */
    public static Tier shedding(Priority mostImportantShed) {
        switch (mostImportantShed) {
            case P3:
                return REDUCED;
            case P2:
                return ESSENTIAL;
            default:
                return CRITICAL_ONLY;
        }
    }

    /** The worse of this tier and {@code other}. */
    public Tier worst(Tier other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
