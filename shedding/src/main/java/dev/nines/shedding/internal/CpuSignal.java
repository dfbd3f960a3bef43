package dev.nines.shedding.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/**
 * Samples a CPU load (0..1) at most once per interval and says whether it is at or above the
 * threshold. Sampling happens on whichever completing thread first finds the interval over (one
 * CAS decides which); everyone else reads a volatile flag. A supplier that throws or returns a
 * negative or NaN value (the JDK's "not available") leaves the flag off. Thread-safe.
 */
public final class CpuSignal {

    private final DoubleSupplier load;
    private final double threshold;
    private final long intervalNanos;
    private final AtomicLong nextSample;
    private volatile boolean overloaded;
    private volatile double lastLoad = -1;

    /**
     * @param load          the CPU load, 0..1
     * @param threshold     the load at and above which the service counts as overloaded
     * @param intervalNanos the shortest time between two samples
     * @param now           the current ticker reading; the first sample is taken at once
     */
    public CpuSignal(DoubleSupplier load, double threshold, long intervalNanos, long now) {
        this.load = load;
        this.threshold = threshold;
        this.intervalNanos = intervalNanos;
        this.nextSample = new AtomicLong(now);
    }

    /** Whether the CPU is overloaded, sampling it first if the interval is over. */
    public boolean overloaded(long now) {
        long due = nextSample.get();
        if (now - due >= 0 && nextSample.compareAndSet(due, now + intervalNanos)) {
            double l = read();
            lastLoad = l;
            overloaded = l >= threshold;
        }
        return overloaded;
    }

    /** The last sampled load, or -1 if none was available. */
    public double lastLoad() {
        return lastLoad;
    }

    private double read() {
        try {
            double l = load.getAsDouble();
            return Double.isNaN(l) || l < 0 ? -1 : l;
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
