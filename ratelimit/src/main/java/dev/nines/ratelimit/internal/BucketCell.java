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
 * the old limit can land after the conversion. A keyed limiter seals a key's cell lazily, at the
 * first decision after a change, with {@link #sealReplaying}.
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

    /** A new, full bucket at {@code nowU}, holding exactly its capacity whatever the reading. */
    public static BucketCell full(LimitSpec spec, long nowU) {
        return new BucketCell(spec, Gcra.fullState(nowU, spec.capSpan));
    }

    /** The limit of this cell. */
    public LimitSpec spec() {
        return spec;
    }

    /** What {@link #take} returns when it takes nothing: below any distance a take can return. */
    public static final long REFUSED = Long.MIN_VALUE;

    /**
     * Takes {@code permits} now or reserves them for later, if the wait is at most
     * {@code maxWaitUnits}.
     *
     * @return the wait in units (0 when the permits are taken at once) if taken or reserved;
     *     otherwise the negated wait that would have been needed (at least 1), and nothing is taken
     * @throws IllegalArgumentException unless {@code 1 <= permits <= capacity} of {@code cell}'s
     *     limit; a reconfiguration racing with the call that lowers the capacity below
     *     {@code permits} refuses instead
     */
    public static long reserve(BucketCell cell, long permits, long nowU, long maxWaitUnits) {
        long d = take(cell, permits, nowU, maxWaitUnits);
        if (d == REFUSED) {
            return -Math.max(1L, shortfall(cell, permits, nowU));
        }
        return d > 0 ? d : 0;
    }

    /**
     * Like {@link #reserve}, but on success returns the distance from {@code nowU} to the state the
     * take wrote, {@code state - nowU}: the wait when positive, and {@code nowU + result} is what
     * {@link #giveBack} needs. Returns {@link #REFUSED} when it takes nothing.
     *
     * @throws IllegalArgumentException as {@link #reserve} does
     */
    public static long take(BucketCell cell, long permits, long nowU, long maxWaitUnits) {
        cell.spec.checkPermits(permits); // against the limit of the call's own time; a later one may refuse
        BucketCell c = cell;
        for (;;) {
            LimitSpec sp = c.spec; // read before the contended state word: one cache miss, not two
            long s = c.state;
            if (s == Gcra.SEALED) {
                c = c.successor;
                continue;
            }
            if (permits > sp.capacity) { // a racing reconfiguration lowered the burst: refuse, never throw
                return REFUSED;
            }
            long next = Gcra.base(s, nowU, sp.capSpan) + permits * sp.cost;
            long wait = next - nowU;
            if (wait > maxWaitUnits) {
                return REFUSED;
            }
            long written = Gcra.avoidSealed(next);
            if (STATE.compareAndSet(c, s, written)) {
                return written - nowU;
            }
        }
    }

    /**
     * Gives back {@code permits} taken or reserved by {@link #take} that the caller will not use
     * (another limit refused, or the waiter was interrupted). {@code takenState} is the state the
     * take wrote ({@code nowU + take(...)} at the take's reading); {@code nowU} must be a reading made
     * after the take, so at least as recent as that of any update since.
     *
     * <ul>
     *   <li>If nobody has changed the bucket since, the take is undone exactly.
     *   <li>If others have and a reservation is still pending (the state lies after {@code nowU}),
     *       nothing is given back: the permits lapse. A waiter may be asleep behind this take, and
     *       permits given back ahead of it would let a later caller (or a {@code tryAcquire}) be
     *       served first, against "waiters are served in arrival order".
     *   <li>Otherwise only what the capacity has not already discarded is credited. A caller that
     *       read the clock at {@code t0}, took, and was delayed, may give back after another caller,
     *       reading a later {@code t1}, found the bucket full and took all of it: the refill over the
     *       taken permits had already been capped away, and crediting them again would let an
     *       eleventh permit out of a burst of 10 at {@code t1}. A bucket full at some reading
     *       {@code t <= nowU} after the take withheld at most {@code takenState + capSpan - t} units
     *       of it, so at most {@code takenState + capSpan - nowU} units, and never more than the take
     *       itself, are given back. Exact whenever the bucket could not have filled since.
     * </ul>
     * Nothing is given back to a bucket reconfigured since the take: its successor's converted state
     * counts the take, and leaving it there can only refuse, never over-grant.
     */
    public static void giveBack(BucketCell cell, long permits, long takenState, long nowU) {
        for (;;) {
            long s = cell.state;
            if (s == Gcra.SEALED) {
                return;
            }
            LimitSpec sp = cell.spec;
            long span = permits * sp.cost;
            long next;
            if (s == takenState) {
                next = s - span;
            } else if (s - nowU > 0) {
                return;
            } else {
                long withheld = takenState - nowU + sp.capSpan; // a difference: readings may wrap
                if (withheld <= 0) {
                    return;
                }
                next = Gcra.base(s - Math.min(span, withheld), nowU, sp.capSpan);
            }
            if (STATE.compareAndSet(cell, s, Gcra.avoidSealed(next))) {
                return;
            }
        }
    }

    /**
     * The units from {@code nowU} until {@code permits} could be taken at once: positive if they must
     * be waited for, otherwise 0 or less. Looks only; takes nothing.
     *
     * @throws IllegalArgumentException unless {@code 1 <= permits <= capacity} of {@code cell}'s limit
     */
    public static long shortfall(BucketCell cell, long permits, long nowU) {
        cell.spec.checkPermits(permits); // as in take: a reconfiguration racing with the call never throws
        BucketCell c = cell;
        for (;;) {
            LimitSpec sp = c.spec;
            long s = c.state;
            if (s == Gcra.SEALED) {
                c = c.successor;
                continue;
            }
            // more than a lowered burst: the wait until a full bucket, and then some (it never comes)
            long n = Math.min(permits, sp.capacity + 1);
            return Gcra.base(s, nowU, sp.capSpan) + n * sp.cost - nowU;
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
        Gcra.Conversion conversion = new Gcra.Conversion(spec.cost, newSpec.cost, newSpec.capSpan); // once, not per lost CAS
        BucketCell next = new BucketCell(newSpec, 0);
        successor = next; // published before the seal: whoever sees the seal sees this successor
        for (;;) { // short, allocation-free unless the values are huge: busy takers cannot starve it
            long s = state;
            long available = nowU - Gcra.base(s, nowU, spec.capSpan);
            long converted = conversion.apply(available);
            // nobody uses the successor before the seal below succeeds, which happens after this write
            next.state = converted == newSpec.capSpan ? Gcra.fullState(nowU, newSpec.capSpan)
                    : Gcra.avoidSealed(nowU - converted);
            if (STATE.compareAndSet(this, s, Gcra.SEALED)) {
                return next;
            }
        }
    }

    /** Whether this cell was sealed: its successor holds the bucket now. */
    public boolean isSealed() {
        return state == Gcra.SEALED;
    }

    /** The cell holding this bucket's state now: this one, or the last successor of the seals since. */
    public BucketCell live() {
        BucketCell c = this;
        while (c.state == Gcra.SEALED) {
            c = c.successor;
        }
        return c;
    }

    /**
     * Seals this cell and returns its successor, replaying changes of limit that this cell missed:
     * the limit became {@code specs[i]} at reading {@code atU[i]} (ascending), and the tokens held at
     * each change are converted as {@link #seal} converts them at its reading, so each limit refills
     * over exactly the time it was in force, however late the replay runs. With {@code fromEmpty}
     * the state before {@code atU[0]} is not known (the changes before it were forgotten) and the
     * bucket is taken as empty at {@code atU[0]}: never more than it held, as a cell that takes
     * without waiting never owes. Callers serialize seals of one cell; takers may race freely.
     */
    public BucketCell sealReplaying(LimitSpec[] specs, long[] atU, boolean fromEmpty) {
        int n = specs.length;
        Gcra.Conversion[] conversions = new Gcra.Conversion[n]; // once, not per lost CAS
        LimitSpec from = spec;
        for (int i = 0; i < n; i++) {
            conversions[i] = new Gcra.Conversion(from.cost, specs[i].cost, specs[i].capSpan);
            from = specs[i];
        }
        BucketCell next = new BucketCell(specs[n - 1], 0);
        successor = next; // published before the seal: whoever sees the seal sees this successor
        for (;;) {
            long s = state;
            if (s == Gcra.SEALED) {
                throw new IllegalStateException("cell sealed twice: seals of one cell must be serialized");
            }
            long converted = fromEmpty ? atU[0] : s; // empty at atU[0]: the empty instant is the reading
            LimitSpec sp = fromEmpty ? specs[0] : spec;
            for (int i = fromEmpty ? 1 : 0; i < n; i++) {
                long available = atU[i] - Gcra.base(converted, atU[i], sp.capSpan);
                long tokens = conversions[i].apply(available);
                converted = tokens == specs[i].capSpan ? Gcra.fullState(atU[i], specs[i].capSpan) : atU[i] - tokens;
                sp = specs[i];
            }
            next.state = Gcra.avoidSealed(converted);
            if (STATE.compareAndSet(this, s, Gcra.SEALED)) {
                return next;
            }
        }
    }
}
