package dev.nines.shedding.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The one in-flight counter that admission checks and increments in a single CAS, so in-flight
 * never exceeds the threshold however many threads race. Padded against false sharing.
 *
 * <p>The same 64-bit word also numbers the admissions: the low 32 bits hold the in-flight count,
 * the high 32 bits count admissions, and one CAS adds one to both. So each admission learns its
 * sequence number (used to time every N-th call) for free: no second shared counter to contend on,
 * and the numbering is exact however many threads race. Every update is an addition, so the two
 * halves stay correct modulo 2<sup>64</sup> even when a buggy double release briefly drives the
 * count below zero and borrows from the sequence. Thread-safe and lock-free.
 */
public final class InFlightCounter extends InFlightPadAfter {

    /** What {@link #tryAdmit(int)} returns when the threshold is reached. */
    public static final int NO_SLOT = -1;

    private static final long ONE_ADMISSION = (1L << 32) + 1;
    private static final VarHandle WORD;

    static {
        try {
            WORD = MethodHandles.lookup().findVarHandle(InFlightValue.class, "word", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Starts with nothing in flight and no admissions counted. */
    public InFlightCounter() {
    }

    /**
     * Takes a slot if fewer than {@code threshold} are taken, and returns this admission's sequence
     * number (0, 1, 2, ... modulo 2<sup>31</sup>, so never negative), or {@link #NO_SLOT}. The check
     * and the increment are one CAS; a failed CAS retries on the fresh value (another thread made
     * progress).
     */
    public int tryAdmit(int threshold) {
        long seen = word;
        while ((int) seen < threshold) {
            long next = seen + ONE_ADMISSION;
            long witness = (long) WORD.compareAndExchange(this, seen, next);
            if (witness == seen) {
                return sequence(seen) & Integer.MAX_VALUE;
            }
            seen = witness;
        }
        return NO_SLOT;
    }

    /** Takes a slot if fewer than {@code threshold} are taken; see {@link #tryAdmit(int)}. */
    public boolean tryIncrementBelow(int threshold) {
        return tryAdmit(threshold) != NO_SLOT;
    }

    /** Frees a slot; returns the in-flight count before it was freed. */
    public int decrement() {
        return (int) (long) WORD.getAndAdd(this, -1L);
    }

    /** Undoes a {@link #decrement()} that freed a slot nobody held; counts no admission. */
    public void undoDecrement() {
        WORD.getAndAdd(this, 1L);
    }

    /** The current count. */
    public int get() {
        return (int) word;
    }

    /** The admissions counted in {@code word}: remove the signed in-flight half, keep the rest. */
    private static int sequence(long word) {
        return (int) ((word - (int) word) >>> 32);
    }
}

/** Padding before the counter so it does not share a cache line with unrelated hot fields. */
abstract class InFlightPadBefore {
    long p00, p01, p02, p03, p04, p05, p06, p07;
}

/** The counter itself. */
abstract class InFlightValue extends InFlightPadBefore {
    volatile long word;
}

/** Padding after the counter. */
abstract class InFlightPadAfter extends InFlightValue {
    long p10, p11, p12, p13, p14, p15, p16, p17;
}
