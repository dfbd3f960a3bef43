package dev.nines.shedding.throttle;

import dev.nines.FailureFilter;
import dev.nines.Ticker;
import dev.nines.internal.PolicyWiring;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.MetricsSink;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The settings of one {@link AdaptiveThrottle}, read with {@link AdaptiveThrottle#config()}: every
 * default is visible here. Made only by {@link AdaptiveThrottleBuilder#build()}; derive another
 * throttle with {@link AdaptiveThrottle#toBuilder()}. Immutable and thread-safe.
 */
public final class AdaptiveThrottleConfig {

    private final PolicyWiring wiring;
    private final double k;
    private final double maxRejectProbability;
    private final Duration window;
    private final int buckets;
    private final DoubleSupplier random;
    private final FailureFilter failures;

    AdaptiveThrottleConfig(AdaptiveThrottleBuilder b, PolicyWiring wiring) {
        this.wiring = wiring;
        this.k = b.k;
        this.maxRejectProbability = b.maxRejectProbability;
        this.window = b.window;
        this.buckets = b.buckets;
        this.random = b.random;
        this.failures = b.failures;
    }

    /** The throttle's name, used by metrics and its {@link ThrottledException}. */
    public String name() {
        return wiring.name();
    }

    /** The multiplier K of the formula, at least 1: larger is more lenient. Default 2. */
    public double k() {
        return k;
    }

    /** The highest local reject probability, a fraction in (0, 1]. Default 1 (the formula alone). */
    public double maxRejectProbability() {
        return maxRejectProbability;
    }

    /** The sliding window the counts are kept over. Default 2 minutes. */
    public Duration window() {
        return window;
    }

    /** How many buckets the window is kept in, in [1, 1000]. Default 20. */
    public int buckets() {
        return buckets;
    }

    /** The random source, uniform in [0, 1). Default {@link java.util.concurrent.ThreadLocalRandom}. */
    public DoubleSupplier random() {
        return random;
    }

    /**
     * Which outcomes mean the backend refused the request; any other is an accept. Default
     * {@code FailureFilter.on(RejectedCallException.class)}. See
     * {@link AdaptiveThrottleBuilder#failures(FailureFilter)}.
     */
    public FailureFilter failures() {
        return failures;
    }

    /** The time source. Default {@link Ticker#system()}. */
    public Ticker ticker() {
        return wiring.ticker();
    }

    /**
     * The metrics sink (guarded): the one set, else {@link Metrics#getDefault()},
     * which forwards to the current default.
     */
    public MetricsSink metrics() {
        return wiring.metrics();
    }

    @Override
    public String toString() {
        return "AdaptiveThrottleConfig[" + name() + ", k=" + k + ", maxRejectProbability=" + maxRejectProbability
                + ", window=" + window + " in " + buckets + " buckets, failures=" + failures + "]";
    }

    PolicyWiring wiring() {
        return wiring;
    }
}
