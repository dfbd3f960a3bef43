package dev.nines.circuitbreaker;

import dev.nines.Scheduler;
import dev.nines.Ticker;
import dev.nines.metrics.MetricsSink;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The validated, immutable settings of one {@link CircuitBreaker}, made by
 * {@link CircuitBreakerBuilder#build()}. Read them back here; derive changed settings with
 * {@link CircuitBreaker#toBuilder()}. Thread-safe.
 */
public final class CircuitBreakerConfig {

    final String name;
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
    final List<Class<? extends Throwable>> recordExceptions;
    final Predicate<Throwable> recordIf;
    final List<Class<? extends Throwable>> ignoreExceptions;
    final Predicate<Throwable> ignoreIf;
    final Predicate<Object> failureResult;
    final Predicate<Object> ignoreResult;
    final Ticker ticker;
    final Scheduler halfOpenTimer;
    final boolean halfOpenOnRequest;
    final MetricsSink metrics;
    /** The sink the builder was given, {@code null} for the default: what toBuilder() carries on. */
    final MetricsSink configuredMetrics;
    final List<CircuitBreakerListener> listeners;

    CircuitBreakerConfig(CircuitBreakerBuilder b, MetricsSink resolvedMetrics) {
        this.name = b.name;
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
        this.recordExceptions = List.copyOf(b.recordExceptions);
        this.recordIf = b.recordIf;
        this.ignoreExceptions = List.copyOf(b.ignoreExceptions);
        this.ignoreIf = b.ignoreIf;
        this.failureResult = b.failureResult;
        this.ignoreResult = b.ignoreResult;
        this.ticker = b.ticker;
        this.halfOpenTimer = b.halfOpenTimer;
        this.halfOpenOnRequest = b.halfOpenOnRequest;
        this.metrics = resolvedMetrics;
        this.configuredMetrics = b.metrics;
        this.listeners = List.copyOf(b.listeners);
    }

    /** The breaker's name, used by metrics, the registry and rejections. */
    public String name() {
        return name;
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

    /** Exception types recorded as failures; empty with no {@code recordIf} means every exception. */
    public List<Class<? extends Throwable>> recordExceptions() {
        return recordExceptions;
    }

    /** Exception types neither failures nor successes. */
    public List<Class<? extends Throwable>> ignoreExceptions() {
        return ignoreExceptions;
    }

    /** The time source. Default {@link Ticker#system()}. */
    public Ticker ticker() {
        return ticker;
    }

    /**
     * The timer that moves OPEN to HALF_OPEN: the one given to {@code automaticHalfOpen}, else
     * {@link Scheduler#system()} while the ticker is {@link Ticker#system()}; empty when OPEN ends
     * on the first request after it ({@code halfOpenOnRequest}, or another ticker and no timer).
     */
    public Optional<Scheduler> halfOpenTimer() {
        if (halfOpenTimer != null) {
            return Optional.of(halfOpenTimer);
        }
        return halfOpenOnRequest || ticker != Ticker.system() ? Optional.empty() : Optional.of(Scheduler.system());
    }

    /** The sink the breaker reports to (guarded). */
    public MetricsSink metrics() {
        return metrics;
    }

    /** The listeners, in registration order. */
    public List<CircuitBreakerListener> listeners() {
        return listeners;
    }

    @Override
    public String toString() {
        return "CircuitBreakerConfig[name=" + name + ", failureRateThreshold=" + failureRateThreshold
                + ", slowCallRateThreshold=" + slowCallRateThreshold + ", slowCallDurationThreshold="
                + slowCallDurationThreshold + ", window=" + (windowType == SlidingWindowType.COUNT
                        ? windowSize + " calls" : windowDuration) + ", minimumCalls=" + minimumCalls
                + ", openDuration=" + openDuration + ", openDurationMultiplier=" + openDurationMultiplier
                + ", maxOpenDuration=" + maxOpenDuration + ", halfOpenProbes=" + halfOpenProbes
                + ", maxProbeDuration=" + maxProbeDuration + "]";
    }
}
