package dev.nines.shedding.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** Padding before the counter so it does not share a cache line with unrelated hot fields. */
abstract class InFlightPadBefore {
    long p00, p01, p02, p03, p04, p05, p06, p07;
}

/** The counter itself. */
abstract class InFlightValue extends InFlightPadBefore {
    volatile int value;
}

/** Padding after the counter. */
abstract class InFlightPadAfter extends InFlightValue {
    long p10, p11, p12, p13, p14, p15, p16, p17;
}

/**
 * The one in-flight counter that admission checks and increments in a single CAS, so in-flight
 * never exceeds the threshold however many threads race. Padded against false sharing.
 * Thread-safe and lock-free.
 */
public final class InFlightCounter extends InFlightPadAfter {

    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(InFlightValue.class, "value", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Takes a slot if fewer than {@code threshold} are taken. The check and the increment are one
     * CAS; a failed CAS retries on the fresh value (another thread made progress).
     */
    public boolean tryIncrementBelow(int threshold) {
        int seen = value;
        while (seen < threshold) {
            int witness = (int) VALUE.compareAndExchange(this, seen, seen + 1);
            if (witness == seen) {
                return true;
            }
            seen = witness;
        }
        return false;
    }

    /** Frees a slot; returns the in-flight count before it was freed. */
    public int decrement() {
        return (int) VALUE.getAndAdd(this, -1);
    }

    /** The current count. */
    public int get() {
        return value;
    }
}
