package dev.nines;

/**
 * How important a request is, from {@link #P0} (critical) to {@link #P3} (sheddable).
 *
 * <p>Lives in core because the {@link CallContext} carries it from the edge of a service (a web
 * filter, an annotation) to whatever policy admits or sheds the call. Under overload the load
 * shedder drops P3 first and P0 last.
 */
public enum Priority {
    /** Critical: checkout, payment confirmation, health checks. Shed only when P0 alone overloads. */
    P0,
    /** Important user-facing work, such as the cart. */
    P1,
    /** Degradable work, such as search. */
    P2,
    /** Sheddable: analytics, prefetch, recommendations. Shed first. */
    P3;

    private static final Priority[] VALUES = values();

    /** Returns the priority with the given level, 0 to 3. */
    public static Priority ofLevel(int level) {
        if (level < 0 || level >= VALUES.length) {
            throw new IllegalArgumentException("priority level must be 0..3 but was " + level);
        }
        return VALUES[level];
    }

    /** Returns 0 for P0 up to 3 for P3. */
    public int level() {
        return ordinal();
    }
}
