package dev.nines.circuitbreaker;

import dev.nines.FailureFilter;
import dev.nines.Scheduler;
import dev.nines.Ticker;
import dev.nines.internal.PolicyWiring;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.MetricsSink;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The validated, immutable settings of one {@link CircuitBreaker}, made by
 * {@link CircuitBreakerBuilder#build()} and returned by {@link CircuitBreaker#config()}. Every
 * default is readable here and stated on its getter; rates and thresholds are fractions, times
 * {@link Duration}s. Derive changed settings with {@link CircuitBreaker#toBuilder()}. Immutable and
 * thread-safe.
 */
public final class CircuitBreakerConfig {

    /** Name, ticker, timer and sink, as resolved and as configured (for toBuilder()). */
    final PolicyWiring wiring;
    final double failureRateThreshold;
    final double slowCallRateThreshold;
    final Duration slowCallDurationThreshold;
    final SlidingWindowType windowType;
    final int windowSize;
    final Duration windowDuration;
    final int minimumCalls;
    final Duration openDuration;
    final double openDurationMultiplier;
    final Duration maxOpenDuration;
    /** The cap the builder was given, {@code null} for the default: what toBuilder() carries on. */
    final Duration configuredMaxOpenDuration;
    final int halfOpenProbes;
    final Duration maxProbeDuration;
    final FailureFilter failures;
    final boolean halfOpenOnRequest;
    final List<CircuitBreakerListener> listeners;

    CircuitBreakerConfig(CircuitBreakerBuilder b, PolicyWiring wiring) {
        this.wiring = wiring;
        this.failureRateThreshold = b.failureRateThreshold;
        this.slowCallRateThreshold = b.slowCallRateThreshold;
        this.slowCallDurationThreshold = b.slowCallDurationThreshold;
        this.windowType = b.windowType;
        this.windowSize = b.windowSize;
        this.windowDuration = b.windowDuration;
        this.minimumCalls = b.minimumCalls;
        this.openDuration = b.openDuration;
        this.openDurationMultiplier = b.openDurationMultiplier;
        this.maxOpenDuration = b.maxOpenDuration == null ? b.openDuration : b.maxOpenDuration;
        this.configuredMaxOpenDuration = b.maxOpenDuration;
        this.halfOpenProbes = b.halfOpenProbes;
        this.maxProbeDuration = b.maxProbeDuration;
        this.failures = b.failures;
        this.halfOpenOnRequest = b.halfOpenOnRequest;
        this.listeners = List.copyOf(b.listeners);
    }

    /** The breaker's name, used by metrics, the registry and rejections. */
    public String name() {
        return wiring.name();
    }

    /** Share of failed calls in the window, a fraction in (0, 1], at which the breaker opens. Default 0.5. */
    public double failureRateThreshold() {
        return failureRateThreshold;
    }

    /** Share of slow calls in the window, a fraction in (0, 1], at which the breaker opens. Default 1.0. */
    public double slowCallRateThreshold() {
        return slowCallRateThreshold;
    }

    /** A call lasting this long or longer is slow. Default 60 s. */
    public Duration slowCallDurationThreshold() {
        return slowCallDurationThreshold;
    }

    /** Whether the window counts calls or time. Default {@link SlidingWindowType#COUNT}. */
    public SlidingWindowType windowType() {
        return windowType;
    }

    /** The number of calls a count window remembers. Default 100. */
    public int windowSize() {
        return windowSize;
    }

    /** The span of a time window. Default 10 s (used only by time windows). */
    public Duration windowDuration() {
        return windowDuration;
    }

    /** Calls the window must hold before rates are judged. Default 20. */
    public int minimumCalls() {
        return minimumCalls;
    }

    /** How long the first opening lasts. Default 60 s. */
    public Duration openDuration() {
        return openDuration;
    }

    /** Growth factor of the open duration per consecutive opening. Default 1 (constant). */
    public double openDurationMultiplier() {
        return openDurationMultiplier;
    }

    /**
     * The cap on a grown open duration. Default: the open duration (a builder from
     * {@link CircuitBreaker#toBuilder()} keeps it unset, so a new open duration moves it too).
     */
    public Duration maxOpenDuration() {
        return maxOpenDuration;
    }

    /** Probe calls admitted in HALF_OPEN. Default 10. */
    public int halfOpenProbes() {
        return halfOpenProbes;
    }

    /**
     * How long after the last probe was admitted the breaker waits for missing probe outcomes
     * before it treats them as failed and reopens. Default 60 s.
     */
    public Duration maxProbeDuration() {
        return maxProbeDuration;
    }

    /**
     * Which outcomes count as failures, which are ignored. Default {@link FailureFilter#exceptions()}.
     * On top of it a cancelled call is always ignored and an {@code Error} not ignored is always a
     * failure (see {@link CircuitBreakerBuilder#failures}).
     */
    public FailureFilter failures() {
        return failures;
    }

    /** The time source. Default {@link Ticker#system()}. */
    public Ticker ticker() {
        return wiring.ticker();
    }

    /**
     * The timer that moves OPEN to HALF_OPEN: the one given to {@code scheduler}, else
     * {@link Scheduler#system()} while the ticker is {@link Ticker#system()}; empty when OPEN ends
     * on the first request after it ({@code halfOpenOnRequest}, or another ticker and no timer).
     */
    public Optional<Scheduler> halfOpenTimer() {
        if (halfOpenOnRequest) {
            return Optional.empty();
        }
        Scheduler timer = wiring.scheduler(ticker() == Ticker.system() ? Scheduler.system() : null);
        return Optional.ofNullable(timer);
    }

    /**
     * The sink the breaker reports to (guarded): the one set, else {@link Metrics#getDefault()},
     * which forwards to the current default.
     */
    public MetricsSink metrics() {
        return wiring.metrics();
    }

    /** The listeners, in registration order. */
    public List<CircuitBreakerListener> listeners() {
        return listeners;
    }

    @Override
    public String toString() {
        return "CircuitBreakerConfig[name=" + name() + ", failureRateThreshold=" + failureRateThreshold
                + ", slowCallRateThreshold=" + slowCallRateThreshold + ", slowCallDurationThreshold="
                + slowCallDurationThreshold + ", window=" + (windowType == SlidingWindowType.COUNT
                        ? windowSize + " calls" : windowDuration) + ", minimumCalls=" + minimumCalls
                + ", openDuration=" + openDuration + ", openDurationMultiplier=" + openDurationMultiplier
                + ", maxOpenDuration=" + maxOpenDuration + ", halfOpenProbes=" + halfOpenProbes
                + ", maxProbeDuration=" + maxProbeDuration + ", failures=" + failures + "]";
    }
}
