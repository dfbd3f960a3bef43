package dev.nines.shedding.internal;

import dev.nines.shedding.limit.ConcurrencyLimit;

/**
 * The live form of a shedder's fixed limit: a fixed limit that {@code LoadShedder.reconfigure} may
 * set to another value. Learns nothing from samples. Thread-safe: one volatile int. Not part of the
 * public API.
 */
public final class SettableLimit implements ConcurrencyLimit {

    private volatile int limit;

    /** A limit of {@code limit} concurrent calls, already validated (at least 1). */
    public SettableLimit(int limit) {
        this.limit = limit;
    }

    @Override
    public int currentLimit() {
        return limit;
    }

    /** Sets the limit; the shedder republishes its thresholds after. */
    public void set(int limit) {
        this.limit = limit;
    }

    @Override
    public void onSample(long nowNanos, long rttNanos, int inFlight, boolean dropped) {
        // a fixed limit learns nothing
    }

    @Override
    public boolean usesSamples() {
        return false;
    }

    @Override
    public String toString() {
        return "SettableLimit[" + limit + "]";
    }
}
