package dev.nines.ratelimit.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One single-limit bucket: its limit in units and its whole state, one {@code long} updated by CAS
 * (see {@link Gcra}). Thread-safe and lock-free.
 *
 * <p>A reconfiguration does not touch the limit of a live cell: it seals the cell (CAS of its state
 * to {@link Gcra#SEALED}) after linking a successor holding the converted state. A thread whose CAS
 * fails re-reads the state, sees the seal and continues on the successor, so no update made with
 * the old limit can land after the conversion. Cells of a keyed limiter are never sealed.
 */
public final class BucketCell {

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(BucketCell.class, "state", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final LimitSpec spec;
    private volatile long state;
    private volatile BucketCell successor;

    private BucketCell(LimitSpec spec, long state) {
        this.spec = spec;
        this.state = state;
    }

    /** A new, full bucket at {@code nowU}. */
    public static BucketCell full(LimitSpec spec, long nowU) {
        return new BucketCell(spec, Gcra.avoidSealed(nowU - spec.capSpan));
    }

    /** The limit of this cell. */
    public LimitSpec spec() {
        return spec;
    }

    /**
     * Takes {@code permits} now or reserves them for later, if the wait is at most
     * {@code maxWaitUnits}.
     *
     * @return the wait in units (0 when the permits are taken at once) if taken or reserved;
     *     otherwise the negated wait that would have been needed, and nothing is taken
     * @throws IllegalArgumentException unless {@code 1 <= permits <= capacity}
     */
    public static long reserve(BucketCell cell, long permits, long nowU, long maxWaitUnits) {
        BucketCell c = cell;
        for (;;) {
            LimitSpec sp = c.spec; // read before the contended state word: one cache miss, not two
            long s = c.state;
            if (s == Gcra.SEALED) {
                c = c.successor;
                continue;
            }
            sp.checkPermits(permits);
            long next = Gcra.base(s, nowU, sp.capSpan) + permits * sp.cost;
            long wait = next - nowU;
            if (wait > maxWaitUnits) {
                return -wait;
            }
            if (STATE.compareAndSet(c, s, Gcra.avoidSealed(next))) {
                return wait > 0 ? wait : 0;
            }
        }
    }

    /** Gives back {@code permits} taken or reserved earlier (an interrupted waiter's reservation). */
    public static void refund(BucketCell cell, long permits, long nowU) {
        BucketCell c = cell;
        for (;;) {
            long s = c.state;
            if (s == Gcra.SEALED) {
                c = c.successor;
                continue;
            }
            LimitSpec sp = c.spec;
            long next = Gcra.base(s, nowU, sp.capSpan) - Math.min(permits, sp.capacity) * sp.cost;
            if (STATE.compareAndSet(c, s, Gcra.avoidSealed(next))) {
                return;
            }
        }
    }

    /**
     * The units from {@code nowU} until {@code permits} could be taken at once: positive if they must
     * be waited for, otherwise 0 or less. Looks only; takes nothing.
     *
     * @throws IllegalArgumentException unless {@code 1 <= permits <= capacity}
     */
    public static long shortfall(BucketCell cell, long permits, long nowU) {
        BucketCell c = cell;
        for (;;) {
            LimitSpec sp = c.spec;
            long s = c.state;
            if (s == Gcra.SEALED) {
                c = c.successor;
                continue;
            }
            sp.checkPermits(permits);
            return Gcra.base(s, nowU, sp.capSpan) + permits * sp.cost - nowU;
        }
    }

    /** Whole permits held at {@code nowU}, negative while reservations are owed; at most the capacity. */
    public static long held(BucketCell cell, long nowU) {
        BucketCell c = cell;
        for (;;) {
            long s = c.state;
            if (s == Gcra.SEALED) {
                c = c.successor;
                continue;
            }
            return Math.floorDiv(nowU - Gcra.base(s, nowU, c.spec.capSpan), c.spec.cost);
        }
    }

    /** Whole permits available at {@code nowU}: 0 while reservations are pending, at most the capacity. */
    public static long available(BucketCell cell, long nowU) {
        return Math.max(0L, held(cell, nowU));
    }

    /** The units until {@code permits} (capped at the capacity) would be available at {@code nowU}; 0 if now. */
    public static long unitsUntil(BucketCell cell, long permits, long nowU) {
        BucketCell c = cell;
        for (;;) {
            long s = c.state;
            if (s == Gcra.SEALED) {
                c = c.successor;
                continue;
            }
            LimitSpec sp = c.spec;
            return Math.max(0L, Gcra.base(s, nowU, sp.capSpan) + Math.min(permits, sp.capacity) * sp.cost - nowU);
        }
    }

    /**
     * Seals this cell and returns its successor with {@code newSpec}, holding the tokens (or debt)
     * this cell had at {@code nowU}. Callers serialize reconfigurations of one bucket.
     */
    public BucketCell seal(LimitSpec newSpec, long nowU) {
        for (;;) {
            long s = state;
            long available = nowU - Gcra.base(s, nowU, spec.capSpan);
            long converted = Gcra.convertAvailable(available, spec.cost, newSpec.cost, newSpec.capSpan);
            BucketCell next = new BucketCell(newSpec, Gcra.avoidSealed(nowU - converted));
            successor = next; // published before the seal: whoever sees the seal sees this successor
            if (STATE.compareAndSet(this, s, Gcra.SEALED)) {
                return next;
            }
        }
    }
}
