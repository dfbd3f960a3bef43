package dev.nines.shedding.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The gradient algorithm behind {@link dev.nines.shedding.limit.GradientLimit}: gathers samples into
 * windows and, as each window closes, moves the limit and the baseline as that class's javadoc
 * states (the formulas, the baseline guard, recovery). The public type validates the settings and
 * delegates here.
 *
 * <p>Thread-safe and lock-free: samples go to striped adders; the thread that closes a window
 * updates the limit while others keep sampling, and readers see the limit through a volatile read.
 * Times are nanosecond readings of the caller's ticker, compared only as differences.
 */
public final class GradientWindow {

    /** The lowest gradient a window applies to the limit. */
    public static final double MIN_GRADIENT = 0.5;

    private final int minLimit;
    private final int maxLimit;
    private final double smoothing;
    private final double tolerance;
    private final long windowNanos;
    private final int minWindowSamples;
    private final double baselineDecay;
    private final double backoffRatio;
    private final double appLimitedFraction;
    private final int resetAfterWindows;
    private final int recoveryWindows;

    // sampling, written by every completing thread
    private final LongAdder rttSum = new LongAdder();
    private final LongAdder samples = new LongAdder();
    private final LongAdder drops = new LongAdder();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicBoolean updating = new AtomicBoolean();

    // window state: written only by the thread holding 'updating', published by its release
    private volatile long windowStart;
    private volatile boolean started;
    private double estimate;
    private double baseline;
    private double preOverload;
    private int calmWindows;
    private int windowsAtMin;

    private volatile int limit;

    /**
     * Settings already validated by the public builder; see {@link dev.nines.shedding.limit.GradientLimit.Builder}
     * for their meaning and ranges. {@code windowNanos} is the shortest window in nanoseconds.
     */
    public GradientWindow(int initialLimit, int minLimit, int maxLimit, double smoothing, double tolerance,
            long windowNanos, int minWindowSamples, double baselineDecay, double backoffRatio,
            double appLimitedFraction, int resetAfterWindows, int recoveryWindows) {
        this.minLimit = minLimit;
        this.maxLimit = maxLimit;
        this.smoothing = smoothing;
        this.tolerance = tolerance;
        this.windowNanos = windowNanos;
        this.minWindowSamples = minWindowSamples;
        this.baselineDecay = baselineDecay;
        this.backoffRatio = backoffRatio;
        this.appLimitedFraction = appLimitedFraction;
        this.resetAfterWindows = resetAfterWindows;
        this.recoveryWindows = recoveryWindows;
        this.estimate = initialLimit;
        this.limit = initialLimit;
    }

    /** The current limit: a volatile read. */
    public int limit() {
        return limit;
    }

    /** The current unloaded-latency estimate in nanoseconds; 0 before the first full window. */
    public long baselineNanos() {
        return (long) baseline; // a racy read of a double is fine for reporting
    }

    /** Learns from one completed call; see {@link dev.nines.shedding.limit.ConcurrencyLimit#onSample}. */
    public void onSample(long nowNanos, long rttNanos, int inFlight, boolean dropped) {
        if (dropped) {
            drops.increment();
        } else {
            rttSum.add(Math.max(0L, rttNanos));
            samples.increment();
        }
        raiseMax(inFlight);
        if (!started) {
            startWindow(nowNanos);
        } else if (nowNanos - windowStart >= windowNanos && updating.compareAndSet(false, true)) {
            try {
                if (nowNanos - windowStart >= windowNanos) {
                    closeWindow(nowNanos);
                }
            } finally {
                updating.set(false);
            }
        }
    }

    private void startWindow(long nowNanos) {
        if (updating.compareAndSet(false, true)) {
            try {
                if (!started) {
                    windowStart = nowNanos;
                    started = true;
                }
            } finally {
                updating.set(false);
            }
        }
    }

    private void raiseMax(int inFlight) {
        int seen = maxInFlight.get();
        while (inFlight > seen && !maxInFlight.compareAndSet(seen, inFlight)) {
            seen = maxInFlight.get();
        }
    }

    /** Runs in one thread at a time (the holder of {@code updating}). */
    private void closeWindow(long nowNanos) {
        long n = samples.sum();
        long dropped = drops.sum();
        if (n < minWindowSamples && dropped == 0) {
            return; // too few samples to judge; keep gathering into this window
        }
        n = samples.sumThenReset();
        long sum = rttSum.sumThenReset();
        dropped = drops.sumThenReset();
        int peak = maxInFlight.getAndSet(0);
        windowStart = nowNanos;

        double gradient = 1.0;
        double avg = n > 0 ? (double) sum / n : 0;
        if (n > 0) {
            if (baseline == 0 || avg < baseline) {
                baseline = avg;
            }
            gradient = Math.max(MIN_GRADIENT, Math.min(1.0, tolerance * baseline / Math.max(avg, 1)));
        }
        if (dropped > 0) {
            gradient = Math.min(gradient, backoffRatio);
        }
        boolean pressure = gradient < 1.0;
        boolean used = peak >= estimate * appLimitedFraction;
        double next;
        if (pressure) {
            if (calmWindows >= recoveryWindows) {
                preOverload = estimate; // the limit that served well until now
            }
            calmWindows = 0;
            // a drop is an unambiguous overload signal: no headroom
            double target = dropped > 0 ? estimate * gradient : estimate * gradient + Math.sqrt(estimate);
            next = (1 - smoothing) * estimate + smoothing * target;
        } else {
            calmWindows++;
            // growth is not smoothed: see the class javadoc
            next = used ? estimate + Math.sqrt(estimate) : estimate;
            if (calmWindows >= recoveryWindows && preOverload > next) {
                next = Math.max(next, (1 - smoothing) * estimate + smoothing * preOverload);
            }
            if (calmWindows >= recoveryWindows && estimate >= preOverload * 0.99) {
                preOverload = 0; // recovered
            }
            if (n > 0 && avg > baseline && !used) {
                // Only an idle limit's latency speaks for the service itself: in a used limit, slower
                // calls may be our own queueing within the tolerance band, where a saturated limit
                // settles, and learning from them would inflate the baseline window by window.
                baseline += (avg - baseline) * baselineDecay;
            }
        }
        next = clamp(next);
        guardBaseline(next, avg, n);
        estimate = next;
        limit = (int) Math.round(next);
    }

    private void guardBaseline(double next, double avg, long n) {
        if (Math.round(next) <= minLimit) {
            windowsAtMin++;
            if (windowsAtMin >= resetAfterWindows && n > 0) {
                baseline = avg; // relearn: the service is permanently slower than the baseline says
                windowsAtMin = 0;
            }
        } else {
            windowsAtMin = 0;
        }
    }

    private double clamp(double value) {
        return Math.max(minLimit, Math.min(maxLimit, value));
    }
}
