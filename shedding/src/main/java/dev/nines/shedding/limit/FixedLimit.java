package dev.nines.shedding.limit;

/** A {@link ConcurrencyLimit} that never changes and ignores samples. Immutable and thread-safe. */
public final class FixedLimit implements ConcurrencyLimit {

    private final int limit;

    private FixedLimit(int limit) {
        this.limit = limit;
    }

    /**
     * A limit of {@code limit} concurrent calls.
     *
     * @throws IllegalArgumentException if {@code limit < 1}
     */
    public static FixedLimit of(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1 but was " + limit);
        }
        return new FixedLimit(limit);
    }

    @Override
    public int currentLimit() {
        return limit;
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
        return "FixedLimit[" + limit + "]";
    }
}
