package dev.nines.shedding.throttle;

import dev.nines.FailureFilter;
import dev.nines.RejectedCallException;
import dev.nines.internal.PolicyBuilder;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Configures an {@link AdaptiveThrottle}: {@code AdaptiveThrottle.builder("backend")}, or
 * {@link AdaptiveThrottle#toBuilder()} to derive one from a built throttle. Setters only store
 * (rejecting {@code null} at once); {@link #build()} checks every setting and fails with one
 * {@link IllegalArgumentException} listing each bad field with its value, such as
 * {@code k must be >= 1 and finite but was 0.5}. The defaults are those of
 * {@link AdaptiveThrottleConfig}'s getters. Not thread-safe; the throttle it builds is.
 */
// the shared base is exported to the nines modules alone; its public setters are reached through this class
@SuppressWarnings("exports")
public final class AdaptiveThrottleBuilder extends PolicyBuilder<AdaptiveThrottleBuilder> {

    /** The default random source: {@link ThreadLocalRandom}, uniform in [0, 1). */
    static final DoubleSupplier DEFAULT_RANDOM = () -> ThreadLocalRandom.current().nextDouble();
    /** The default of {@link #failures(FailureFilter)}. */
    static final FailureFilter DEFAULT_FAILURES = FailureFilter.on(RejectedCallException.class);

    double k = 2.0;
    double maxRejectProbability = 1.0;
    Duration window = Duration.ofMinutes(2);
    int buckets = 20;
    DoubleSupplier random = DEFAULT_RANDOM;
    FailureFilter failures = DEFAULT_FAILURES;

    AdaptiveThrottleBuilder(String name) {
        super(name);
    }

    /** A builder holding {@code from}'s settings, unset staying unset. */
    AdaptiveThrottleBuilder(AdaptiveThrottleConfig from) {
        super(from.wiring());
        k = from.k();
        maxRejectProbability = from.maxRejectProbability();
        window = from.window();
        buckets = from.buckets();
        random = from.random();
        failures = from.failures();
    }

    /** The multiplier K: larger is more lenient. At least 1; default 2. */
    public AdaptiveThrottleBuilder k(double k) {
        this.k = k;
        return this;
    }

    /**
     * The highest local reject probability, a fraction in (0, 1]; default 1 (the formula alone).
     * Below 1, a share {@code 1 - p} of calls always reaches the backend, even one that rejects
     * everything: the price of learning at once that it has recovered. See
     * {@link AdaptiveThrottle} for the recovery times this buys.
     */
    public AdaptiveThrottleBuilder maxRejectProbability(double p) {
        this.maxRejectProbability = p;
        return this;
    }

    /**
     * The sliding window and how many buckets it is kept in; default 2 minutes in 20 buckets.
     * Recovery after an outage scales with the window.
     */
    public AdaptiveThrottleBuilder window(Duration window, int buckets) {
        this.window = Objects.requireNonNull(window, "window");
        this.buckets = buckets;
        return this;
    }

    /** The random source, uniform in [0, 1); default {@link ThreadLocalRandom}. */
    public AdaptiveThrottleBuilder random(DoubleSupplier random) {
        this.random = Objects.requireNonNull(random, "random");
        return this;
    }

    /**
     * Which outcomes of a call mean the backend refused the request (its {@code FAILURE} verdict):
     * no accept is counted, so the local reject probability rises. Any other verdict is an accept,
     * the backend took the request ({@code SUCCESS}, a failure that is its answer, such as a 404)
     * or said nothing about its load ({@code IGNORED}). Default
     * {@code FailureFilter.on(RejectedCallException.class)}: the overload signals, such as a shed
     * request, an open breaker, a full bulkhead or a timeout. Set it when the client maps a
     * backend's 429 or 503 to its own exception type, or returns it as a result:
     * {@code FailureFilter.on(RejectedCallException.class).failingResults(r -> ((Response) r).status() == 503)}.
     */
    public AdaptiveThrottleBuilder failures(FailureFilter failures) {
        this.failures = Objects.requireNonNull(failures, "failures");
        return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException listing every invalid field with its value and allowed range
     */
    public AdaptiveThrottle build() {
        validation()
                .check(k >= 1 && !Double.isInfinite(k), "k", ">= 1 and finite", k)
                .fraction("maxRejectProbability", maxRejectProbability)
                .positive("window", window)
                .check(buckets >= 1 && buckets <= 1000, "buckets", "in [1, 1000]", buckets)
                .throwIfInvalid();
        return new AdaptiveThrottle(new AdaptiveThrottleConfig(this, wiring()));
    }
}
