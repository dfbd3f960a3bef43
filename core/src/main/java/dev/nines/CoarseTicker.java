package dev.nines;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link Ticker} whose reading is refreshed by one timer thread at a fixed resolution instead of
 * read from the clock on every call: a reading costs one volatile load rather than a
 * {@link System#nanoTime()} call (24–28 ns on a virtualised x86 machine).
 *
 * <p><b>What it gives up:</b> a reading lags the exact clock by up to one resolution, plus however
 * long the operating system delays the timer thread (on a machine whose cores are all busy, that can
 * be milliseconds). Readings never run ahead of the exact clock and never go backwards. Use it where
 * that error is small against what is measured: an SLO's one-minute buckets, a limit refilled per
 * second. The default everywhere in nines stays {@link Ticker#system()}.
 *
 * <p>Each instance owns a daemon thread ({@code nines-coarse-ticker}) until {@link #close()}; after
 * that, it reads the exact clock on every call, so a closed ticker is still correct, only no faster.
 * {@link #shared()} is one instance per JVM at one millisecond, never closed.
 */
public final class CoarseTicker implements Ticker, AutoCloseable {

    /** The finest resolution accepted: below it, the timer thread would cost more than it saves. */
    public static final Duration MIN_RESOLUTION = Duration.ofNanos(100_000);
    /** The coarsest resolution accepted. */
    public static final Duration MAX_RESOLUTION = Duration.ofSeconds(1);

    private final Duration resolution;
    private final Thread thread;
    private volatile long reading;
    private volatile boolean exact;

    private CoarseTicker(Duration resolution) {
        this.resolution = resolution;
        this.reading = System.nanoTime();
        long periodNanos = resolution.toNanos();
        this.thread = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                LockSupport.parkNanos(periodNanos);
                reading = System.nanoTime();
            }
            exact = true;
        }, "nines-coarse-ticker");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Starts a ticker refreshed every {@code resolution}, on a daemon thread of its own.
     *
     * @throws IllegalArgumentException if {@code resolution} is outside
     *     [{@link #MIN_RESOLUTION}, {@link #MAX_RESOLUTION}]
     */
    public static CoarseTicker start(Duration resolution) {
        Objects.requireNonNull(resolution, "resolution");
        if (resolution.compareTo(MIN_RESOLUTION) < 0 || resolution.compareTo(MAX_RESOLUTION) > 0) {
            throw new IllegalArgumentException("resolution must be within [" + MIN_RESOLUTION + ", "
                    + MAX_RESOLUTION + "] but was " + resolution);
        }
        return new CoarseTicker(resolution);
    }

    /** Returns the JVM's shared coarse ticker at one millisecond, started on first use and never closed. */
    public static CoarseTicker shared() {
        return Shared.INSTANCE;
    }

    @Override
    public long read() {
        return exact ? System.nanoTime() : reading;
    }

    /** Returns how often the reading is refreshed. */
    public Duration resolution() {
        return resolution;
    }

    /**
     * Stops the timer thread; from then on every reading comes from the exact clock. Idempotent. The
     * {@link #shared()} ticker ignores it.
     */
    @Override
    public void close() {
        if (this != Shared.INSTANCE) {
            thread.interrupt();
        }
    }

    @Override
    public String toString() {
        return "CoarseTicker[" + resolution + (exact ? ", closed" : "") + "]";
    }

    /** Holder: the shared ticker's thread starts when it is first asked for. */
    private static final class Shared {
        static final CoarseTicker INSTANCE = new CoarseTicker(Duration.ofMillis(1));
    }
}
