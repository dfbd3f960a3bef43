package dev.nines;

/**
 * A source of monotonic time in nanoseconds.
 *
 * <p>Every time-dependent component of nines reads time through a {@code Ticker} so that tests
 * can drive time by hand with a {@link ManualTicker} instead of sleeping. Only differences between
 * two readings are meaningful; the origin is arbitrary and readings may be negative.
 *
 * <p>Implementations must be thread-safe: policies read them from every calling thread and from
 * timer threads. {@link #system()} is.
 */
@FunctionalInterface
public interface Ticker {

    /** Returns the current reading in nanoseconds. */
    long read();

    /** Returns the ticker backed by {@link System#nanoTime()}. */
    static Ticker system() {
        return SystemTicker.INSTANCE;
    }
}

/** A single instance keeps the call site monomorphic in production. */
enum SystemTicker implements Ticker {
    INSTANCE;

    @Override
    public long read() {
        return System.nanoTime();
    }
}
