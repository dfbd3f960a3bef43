package dev.nines.shedding.limit;

import dev.nines.internal.Validation;
import dev.nines.shedding.internal.GradientWindow;
import java.time.Duration;
import java.util.Objects;

/**
 * An adaptive {@link ConcurrencyLimit} driven by latency: it grows while calls complete about as fast as
 * they do unloaded, and shrinks in proportion once queueing makes them slower.
 *
 * <p>Samples are gathered in windows of at least {@code window} and {@code minWindowSamples}
 * calls. At the end of each window, with {@code avg} the window's mean latency and
 * {@code baseline} the unloaded latency:
 * <pre>
 * gradient = clamp(tolerance * baseline / avg, 0.5, 1)        (min(gradient, backoffRatio) if a call was dropped)
 * pressure (gradient &lt; 1): shrink, smoothed, towards the equilibrium
 *   target = limit * gradient + sqrt(limit)                    (no call dropped)
 *          = limit * gradient                                  (a call was dropped: no headroom)
 *   limit  = (1 - smoothing) * limit + smoothing * target
 * no pressure, and the limit was used: grow, not smoothed
 *   limit  = limit + sqrt(limit)
 * no pressure, and the limit was not used:
 *   limit  = limit
 * then limit = clamp(limit, minLimit, maxLimit)
 * </pre>
 * The limit counts as used when in-flight reached {@code appLimitedFraction} of it in the window;
 * otherwise it is not raised, so a quiet service does not inflate a limit it never tests.
 * Smoothing damps the reaction to noisy latency; growth is gentle already, so smoothing it as well
 * only made a limit started at the pool size take many seconds to give the lowest priority's share
 * room for the in-flight of a service running below capacity, shedding that priority all the while.
 *
 * <p><b>Baseline.</b> It is the lowest window mean seen, so queueing can lower it but never raise
 * it; it creeps up by {@code baselineDecay} of the gap only in windows without pressure in which
 * the limit was not used (in-flight stayed below {@code appLimitedFraction} of it, so the calls
 * did not queue behind each other and the service itself got slower). A used limit settles where
 * latency sits just within {@code tolerance} of the baseline; learning from those windows would
 * raise the baseline, and with it the limit, without end. So a long overload cannot inflate it. Guard: if the limit sits at {@code minLimit} for {@code resetAfterWindows} windows
 * the baseline is reset to the current mean, so a permanently slower service is relearned rather
 * than starved.
 *
 * <p><b>Recovery.</b> The limit held before pressure began is remembered; once
 * {@code recoveryWindows} consecutive windows show no pressure, the limit moves back towards it
 * (smoothed, or faster if growth alone is faster), so it returns to its pre-overload value soon after the overload ends.
 *
 * <p><b>Sampling.</b> A {@link dev.nines.shedding.LoadShedder} times only one call in
 * {@code sampleEvery} (default 8) but reports every dropped call, so a window needs about
 * {@code minWindowSamples × sampleEvery} calls (80 with the defaults) to close on the latency path:
 * at or above 800 calls/s windows close every {@code window}; below, they stretch until enough
 * samples arrive, delaying the limit's reaction in proportion. A window with a dropped call needs
 * no minimum count: it closes at the first sample once {@code window} has passed, never earlier.
 * For light traffic, time every call ({@code sampleEvery(1)}) or lower {@code minWindowSamples}.
 *
 * <p>Thread-safe and lock-free: samples go to striped adders; the thread that closes a window
 * updates the limit while others keep sampling, and readers see the limit through a volatile read.
 * This type holds the configuration; the algorithm runs in an internal collaborator.
 */
public final class GradientLimit implements ConcurrencyLimit {

    private final Builder config;
    private final GradientWindow algorithm;

    private GradientLimit(Builder b) {
        this.config = b.copy();
        this.algorithm = new GradientWindow(b.initialLimit, b.minLimit, b.maxLimit, b.smoothing, b.tolerance,
                Validation.nanos(b.window), b.minWindowSamples, b.baselineDecay, b.backoffRatio,
                b.appLimitedFraction, b.resetAfterWindows, b.recoveryWindows);
    }

    /** Starts configuring a gradient limit with the defaults listed on {@link Builder}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this limit's configuration, to derive a new limit from it. */
    public Builder toBuilder() {
        return config.copy();
    }

    /** A new gradient limit with this one's settings and nothing learned: {@code toBuilder().build()}. */
    @Override
    public GradientLimit fresh() {
        return toBuilder().build();
    }

    @Override
    public int currentLimit() {
        return algorithm.limit();
    }

    /** The current unloaded-latency estimate in nanoseconds; 0 before the first full window. */
    public long baselineNanos() {
        return algorithm.baselineNanos();
    }

    @Override
    public void onSample(long nowNanos, long rttNanos, int inFlight, boolean dropped) {
        algorithm.onSample(nowNanos, rttNanos, inFlight, dropped);
    }

    @Override
    public String toString() {
        return "GradientLimit[limit=" + currentLimit() + ", baseline=" + baselineNanos() + "ns]";
    }

    /**
     * Configures a {@link GradientLimit}. Defaults: initialLimit 20, minLimit 1, maxLimit 1000,
     * smoothing 0.2, tolerance 1.5, window 100 ms, minWindowSamples 10, baselineDecay 0.01,
     * backoffRatio 0.9, appLimitedFraction 0.4, resetAfterWindows 100, recoveryWindows 5.
     * Not thread-safe; {@link #build()} validates and copies.
     */
    public static final class Builder {
        private int initialLimit = 20;
        private int minLimit = 1;
        private int maxLimit = 1000;
        private double smoothing = 0.2;
        private double tolerance = 1.5;
        private Duration window = Duration.ofMillis(100);
        private int minWindowSamples = 10;
        private double baselineDecay = 0.01;
        private double backoffRatio = 0.9;
        private double appLimitedFraction = 0.4;
        private int resetAfterWindows = 100;
        private int recoveryWindows = 5;

        private Builder() {
        }

        /** The limit before the first window closes. */
        public Builder initialLimit(int initialLimit) {
            this.initialLimit = initialLimit;
            return this;
        }

        /** The lowest the limit goes, at least 1. */
        public Builder minLimit(int minLimit) {
            this.minLimit = minLimit;
            return this;
        }

        /** The highest the limit goes. */
        public Builder maxLimit(int maxLimit) {
            this.maxLimit = maxLimit;
            return this;
        }

        /** How far each window moves the limit towards its target, in (0, 1]; lower is steadier. */
        public Builder smoothing(double smoothing) {
            this.smoothing = smoothing;
            return this;
        }

        /** How much slower than the baseline calls may get before the limit shrinks, at least 1. */
        public Builder tolerance(double tolerance) {
            this.tolerance = tolerance;
            return this;
        }

        /** The shortest sampling window. */
        public Builder window(Duration window) {
            this.window = Objects.requireNonNull(window, "window");
            return this;
        }

        /**
         * The fewest latency samples a window needs before it closes (a window with a dropped call
         * closes without them, but still not before {@code window} has passed).
         * The shedder times one call in {@code sampleEvery} (default 8), so this many samples take
         * {@code minWindowSamples × sampleEvery} calls: more makes each window's mean steadier,
         * fewer lets windows close on time at lower traffic.
         */
        public Builder minWindowSamples(int minWindowSamples) {
            this.minWindowSamples = minWindowSamples;
            return this;
        }

        /** The share of the gap the baseline moves up per calm window, in [0, 1). */
        public Builder baselineDecay(double baselineDecay) {
            this.baselineDecay = baselineDecay;
            return this;
        }

        /** The factor applied to the limit in a window with a dropped call, in [0.5, 1). */
        public Builder backoffRatio(double backoffRatio) {
            this.backoffRatio = backoffRatio;
            return this;
        }

        /** In-flight must reach this share of the limit in a window for the limit to grow, in [0, 1]. */
        public Builder appLimitedFraction(double appLimitedFraction) {
            this.appLimitedFraction = appLimitedFraction;
            return this;
        }

        /** Windows at {@code minLimit} after which the baseline is relearned, at least 1. */
        public Builder resetAfterWindows(int resetAfterWindows) {
            this.resetAfterWindows = resetAfterWindows;
            return this;
        }

        /** Calm windows after which the limit returns towards its pre-overload value, at least 1. */
        public Builder recoveryWindows(int recoveryWindows) {
            this.recoveryWindows = recoveryWindows;
            return this;
        }

        /**
         * Builds the limit.
         *
         * @throws IllegalArgumentException listing every invalid field with its allowed range
         */
        public GradientLimit build() {
            new Validation()
                    .check(minLimit >= 1, "minLimit", ">= 1", minLimit)
                    .check(maxLimit >= minLimit, "maxLimit", ">= minLimit (" + minLimit + ")", maxLimit)
                    .check(initialLimit >= minLimit && initialLimit <= maxLimit, "initialLimit",
                            "in [minLimit, maxLimit] = [" + minLimit + ", " + maxLimit + "]", initialLimit)
                    .check(smoothing > 0 && smoothing <= 1, "smoothing", "in (0, 1]", smoothing)
                    .check(tolerance >= 1, "tolerance", ">= 1", tolerance)
                    .positive("window", window)
                    .check(minWindowSamples >= 1, "minWindowSamples", ">= 1", minWindowSamples)
                    .check(baselineDecay >= 0 && baselineDecay < 1, "baselineDecay", "in [0, 1)", baselineDecay)
                    .check(backoffRatio >= GradientWindow.MIN_GRADIENT && backoffRatio < 1, "backoffRatio", "in [0.5, 1)",
                            backoffRatio)
                    .check(appLimitedFraction >= 0 && appLimitedFraction <= 1, "appLimitedFraction", "in [0, 1]",
                            appLimitedFraction)
                    .check(resetAfterWindows >= 1, "resetAfterWindows", ">= 1", resetAfterWindows)
                    .check(recoveryWindows >= 1, "recoveryWindows", ">= 1", recoveryWindows)
                    .throwIfInvalid();
            return new GradientLimit(this);
        }

        /** Every setting, by name: two builders that print the same build limits that behave the same. */
        @Override
        public String toString() {
            return "GradientLimit.Builder[initialLimit=" + initialLimit + ", minLimit=" + minLimit + ", maxLimit="
                    + maxLimit + ", smoothing=" + smoothing + ", tolerance=" + tolerance + ", window=" + window
                    + ", minWindowSamples=" + minWindowSamples + ", baselineDecay=" + baselineDecay + ", backoffRatio="
                    + backoffRatio + ", appLimitedFraction=" + appLimitedFraction + ", resetAfterWindows="
                    + resetAfterWindows + ", recoveryWindows=" + recoveryWindows + "]";
        }

        private Builder copy() {
            Builder b = new Builder();
            b.initialLimit = initialLimit;
            b.minLimit = minLimit;
            b.maxLimit = maxLimit;
            b.smoothing = smoothing;
            b.tolerance = tolerance;
            b.window = window;
            b.minWindowSamples = minWindowSamples;
            b.baselineDecay = baselineDecay;
            b.backoffRatio = backoffRatio;
            b.appLimitedFraction = appLimitedFraction;
            b.resetAfterWindows = resetAfterWindows;
            b.recoveryWindows = recoveryWindows;
            return b;
        }
    }
}
