package dev.nines;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Ticker} that moves only when told to: the way tests drive time.
 *
 * <p>Thread-safe; many threads may read while one advances.
 */
public final class ManualTicker implements Ticker {

    private final AtomicLong nanos;

    /** Starts at zero. */
    public ManualTicker() {
        this(0L);
    }

    /** Starts at {@code startNanos}; useful to test behaviour near overflow. */
    public ManualTicker(long startNanos) {
        this.nanos = new AtomicLong(startNanos);
    }

    @Override
    public long read() {
        return nanos.get();
    }

    /** Moves time forward by {@code duration}; returns the new reading. */
    public long advance(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        return advance(duration.toNanos());
    }

    /** Moves time forward by {@code amount} of {@code unit}; returns the new reading. */
    public long advance(long amount, TimeUnit unit) {
        return advance(unit.toNanos(amount));
    }

    /** Moves time forward by {@code deltaNanos}; returns the new reading. */
    public long advance(long deltaNanos) {
        if (deltaNanos < 0) {
            throw new IllegalArgumentException("deltaNanos must be >= 0 but was " + deltaNanos);
        }
        return nanos.addAndGet(deltaNanos);
    }

    @Override
    public String toString() {
        return "ManualTicker[" + nanos.get() + "ns]";
    }
}
