package dev.nines.circuitbreaker;

import dev.nines.FailureFilter;
import dev.nines.Scheduler;
import dev.nines.Ticker;
import dev.nines.circuitbreaker.internal.ProbeGate;
import dev.nines.circuitbreaker.internal.TimeWindow;
import dev.nines.circuitbreaker.internal.WindowCounts;
import dev.nines.internal.PolicyBuilder;
import dev.nines.internal.Validation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Configures a {@link CircuitBreaker}: setters only store, and {@link #build()} validates every
 * setting and fails with one
 * {@link IllegalArgumentException} listing each bad field with its value, such as
 * {@code failureRateThreshold must be a fraction in (0, 1] but was 50.0 (50% is 0.5)}. Messages name the setter to
 * change ({@code countWindow must be in [1, 1048575] but was 0}).
 *
 * <p>Its name, {@link #ticker(Ticker) ticker}, {@link #metrics(dev.nines.metrics.MetricsSink)
 * metrics} sink and {@link #scheduler(Scheduler) half-open timer} are kept as every nines builder
 * keeps them: what was never set stays unset, also on a {@link CircuitBreaker#toBuilder()} copy,
 * and resolves to its default at each {@code build()}. Every default is readable on
 * {@link CircuitBreakerConfig}.
 *
 * <p>Not thread-safe; the breaker it builds is. Setters reject {@code null} at once.
 */
@SuppressWarnings("exports") // the shared base is internal; its public setters are this builder's API
public final class CircuitBreakerBuilder extends PolicyBuilder<CircuitBreakerBuilder> {

    /** Time-window buckets are about one second long, and at most this many. */
    static final int MAX_TIME_BUCKETS = 60;

    double failureRateThreshold = 0.5;
    double slowCallRateThreshold = 1.0;
    Duration slowCallDurationThreshold = Duration.ofSeconds(60);
    SlidingWindowType windowType = SlidingWindowType.COUNT;
    int windowSize = 100;
    Duration windowDuration = Duration.ofSeconds(10);
    int minimumCalls = 20;
    Duration openDuration = Duration.ofSeconds(60);
    double openDurationMultiplier = 1.0;
    Duration maxOpenDuration;
    int halfOpenProbes = 10;
    Duration maxProbeDuration = Duration.ofSeconds(60);
    FailureFilter failures = FailureFilter.exceptions();
    boolean halfOpenOnRequest;
    final List<CircuitBreakerListener> listeners = new ArrayList<>();

    CircuitBreakerBuilder(String name) {
        super(name);
    }

    CircuitBreakerBuilder(CircuitBreakerConfig c) {
        super(c.wiring);
        failureRateThreshold = c.failureRateThreshold;
        slowCallRateThreshold = c.slowCallRateThreshold;
        slowCallDurationThreshold = c.slowCallDurationThreshold;
        windowType = c.windowType;
        windowSize = c.windowSize;
        windowDuration = c.windowDuration;
        minimumCalls = c.minimumCalls;
        openDuration = c.openDuration;
        openDurationMultiplier = c.openDurationMultiplier;
        maxOpenDuration = c.configuredMaxOpenDuration; // unset stays unset: the cap follows openDuration
        halfOpenProbes = c.halfOpenProbes;
        maxProbeDuration = c.maxProbeDuration;
        failures = c.failures;
        halfOpenOnRequest = c.halfOpenOnRequest;
        listeners.addAll(c.listeners);
    }

    /**
     * The share of failed calls in the window, a fraction in (0, 1], at or above which the breaker
     * opens (and which reopens it from HALF_OPEN, counted out of all the probes). Default 0.5, which
     * is 50%; {@link #build()} rejects a percent such as {@code 50}.
     */
    public CircuitBreakerBuilder failureRateThreshold(double fraction) {
        this.failureRateThreshold = fraction;
        return this;
    }

    /**
     * The share of slow calls in the window, a fraction in (0, 1], at or above which the breaker
     * opens (and which reopens it from HALF_OPEN, counted out of all the probes). Default 1.0, which
     * is 100%; {@link #build()} rejects a percent such as {@code 80}.
     */
    public CircuitBreakerBuilder slowCallRateThreshold(double fraction) {
        this.slowCallRateThreshold = fraction;
        return this;
    }

    /** A call lasting at least this long is slow. Default 60 s. */
    public CircuitBreakerBuilder slowCallDurationThreshold(Duration threshold) {
        this.slowCallDurationThreshold = Objects.requireNonNull(threshold, "slowCallDurationThreshold");
        return this;
    }

    /** Judges the last {@code calls} calls (1 to 1,048,575). The default: 100 calls. */
    public CircuitBreakerBuilder countWindow(int calls) {
        this.windowType = SlidingWindowType.COUNT;
        this.windowSize = calls;
        return this;
    }

    /**
     * Judges the calls of the last {@code span} (at least 1 s), kept in about one-second buckets
     * (at most 60 buckets; a longer span gets longer buckets).
     */
    public CircuitBreakerBuilder timeWindow(Duration span) {
        this.windowType = SlidingWindowType.TIME;
        this.windowDuration = Objects.requireNonNull(span, "timeWindow");
        return this;
    }

    /** Calls the window must hold before the breaker judges rates. Default 20. */
    public CircuitBreakerBuilder minimumCalls(int calls) {
        this.minimumCalls = calls;
        return this;
    }

    /** How long the breaker stays OPEN before it lets probes through. Default 60 s. */
    public CircuitBreakerBuilder openDuration(Duration duration) {
        this.openDuration = Objects.requireNonNull(duration, "openDuration");
        return this;
    }

    /**
     * Makes each consecutive opening (an opening after probes failed) last {@code multiplier}
     * times longer than the one before, up to {@code max}. A successful close starts over.
     * Without this call the open duration stays constant (the cap is the open duration, whatever
     * it is set to later, also on a {@link CircuitBreaker#toBuilder()} copy). Errors name the
     * arguments {@code openDurationGrowth multiplier} ({@code >= 1.0}, finite) and
     * {@code openDurationGrowth max} ({@code >= openDuration}).
     */
    public CircuitBreakerBuilder openDurationGrowth(double multiplier, Duration max) {
        this.openDurationMultiplier = multiplier;
        this.maxOpenDuration = Objects.requireNonNull(max, "openDurationGrowth max");
        return this;
    }

    /** Probe calls admitted in HALF_OPEN (1 to 1000). Default 10. */
    public CircuitBreakerBuilder halfOpenProbes(int probes) {
        this.halfOpenProbes = probes;
        return this;
    }

    /**
     * How long a HALF_OPEN breaker waits for probe outcomes once every probe is out, counted from
     * the last probe's admission. If an outcome is still missing then (an abandoned permit, a
     * future that never completes), the breaker reopens, whatever the outcomes that did arrive: a
     * dependency that leaves a probe hanging that long is not trusted again. Default 60 s.
     */
    public CircuitBreakerBuilder maxProbeDuration(Duration duration) {
        this.maxProbeDuration = Objects.requireNonNull(duration, "maxProbeDuration");
        return this;
    }

    /**
     * Which outcomes count against the dependency's health: a {@link FailureFilter.Verdict#FAILURE}
     * is recorded as a failure, an {@link FailureFilter.Verdict#IGNORED} outcome is not recorded at
     * all (it frees its permit and leaves the window as it was), and a
     * {@link FailureFilter.Verdict#SUCCESS} is recorded as a success (the dependency answered, with
     * an exception or a result that says nothing against it). Two rules of the breaker come on top:
     * a cancelled call ({@link java.util.concurrent.CancellationException}) is always ignored, and
     * an {@link Error} the filter does not ignore is always a failure. Default
     * {@link FailureFilter#exceptions()}: every exception (and so every {@code Error}) is a failure,
     * every result a success.
     */
    public CircuitBreakerBuilder failures(FailureFilter failures) {
        this.failures = Objects.requireNonNull(failures, "failures");
        return this;
    }

    /**
     * The half-open timer: moves OPEN to HALF_OPEN on {@code timer} when the open duration ends, instead of on the
     * first permission request after it. Calls rejected while open then read no clock at all,
     * which makes rejection several times cheaper, and {@link CircuitBreaker#state()} shows
     * HALF_OPEN without waiting for traffic; the price is one scheduled task per opening. The timer
     * must keep the same time as the {@link #ticker(Ticker) ticker} (a manual one in tests). If the
     * timer refuses the task, the breaker falls back to checking the clock.
     *
     * <p>A task the timer accepts and then loses (after {@code shutdownNow()}, or on a stalled
     * thread) is caught where the clock is read anyway: by the first call through the lambda forms
     * or {@link CircuitBreaker#acquirePermission()} after the open time, and by
     * {@link CircuitBreaker#state()} and the {@code state} gauge. Each ends the overdue stay; one
     * more than a second overdue also turns the timer off for good, as a refusal does. Only
     * {@link CircuitBreaker#tryAcquirePermission()} reads no clock while OPEN: a breaker used
     * through it alone, with nothing reading its state, stays OPEN if its task is lost. Choose
     * {@link #halfOpenOnRequest()} for such a breaker on a timer that may be shut down.
     *
     * <p>Default: {@link Scheduler#system()} while the ticker is {@link Ticker#system()}, the two
     * clocks that agree; with any other ticker, no timer (as after {@link #halfOpenOnRequest()}),
     * since a real timer cannot follow a manual clock.
     */
    @Override
    public CircuitBreakerBuilder scheduler(Scheduler timer) {
        super.scheduler(timer);
        this.halfOpenOnRequest = false;
        return this;
    }

    /**
     * Ends OPEN on the first permission request after the open duration rather than on a timer:
     * nothing is scheduled, and each rejection while open reads the clock once to see whether the
     * open time is over. For a breaker that must not touch the shared scheduler thread.
     */
    public CircuitBreakerBuilder halfOpenOnRequest() {
        this.halfOpenOnRequest = true;
        return this;
    }

    /** Adds a listener for transitions and rejections. */
    public CircuitBreakerBuilder listener(CircuitBreakerListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * Validates the settings and builds the breaker, CLOSED.
     *
     * @throws IllegalArgumentException listing every invalid setting with its value
     */
    public CircuitBreaker build() {
        Validation v = validation()
                .fraction("failureRateThreshold", failureRateThreshold)
                .fraction("slowCallRateThreshold", slowCallRateThreshold)
                .positive("slowCallDurationThreshold", slowCallDurationThreshold)
                .atLeast("minimumCalls", minimumCalls, 1);
        if (windowType == SlidingWindowType.COUNT) {
            v.between("countWindow", windowSize, 1, WindowCounts.MAX);
            v.check(windowSize < 1 || minimumCalls <= windowSize, "minimumCalls",
                    "<= countWindow (" + windowSize + ")", minimumCalls);
        } else {
            boolean inRange = windowDuration.compareTo(Duration.ofSeconds(1)) >= 0
                    && windowDuration.compareTo(Duration.ofDays(1)) <= 0;
            v.check(inRange, "timeWindow", "in [PT1S, PT24H]", windowDuration);
            if (inRange) {
                int buckets = timeBuckets(windowDuration);
                long reachable = TimeWindow.capacityPerBucket(buckets) / 2;
                v.check(minimumCalls <= reachable, "minimumCalls",
                        "<= " + reachable + " for a time window of " + buckets + " buckets", minimumCalls);
            }
        }
        v.positive("openDuration", openDuration)
                .check(openDurationMultiplier >= 1.0 && !Double.isInfinite(openDurationMultiplier),
                        "openDurationGrowth multiplier", "a finite number >= 1.0", openDurationMultiplier)
                .check(maxOpenDuration == null || maxOpenDuration.compareTo(openDuration) >= 0,
                        "openDurationGrowth max", ">= openDuration (" + openDuration + ")", maxOpenDuration)
                .between("halfOpenProbes", halfOpenProbes, 1, ProbeGate.MAX_PROBES)
                .positive("maxProbeDuration", maxProbeDuration)
                .throwIfInvalid();
        // resolved into the config only (the sink, the growth cap): the builder keeps "not set", so
        // building it again (or from toBuilder()) takes the default of that moment
        return new CircuitBreaker(new CircuitBreakerConfig(this, wiring()));
    }

    /** Buckets of a time window: one per started second, at most {@link #MAX_TIME_BUCKETS}. */
    static int timeBuckets(Duration windowDuration) {
        long seconds = (windowDuration.toNanos() + 999_999_999L) / 1_000_000_000L;
        return (int) Math.min(MAX_TIME_BUCKETS, Math.max(1, seconds));
    }
}
