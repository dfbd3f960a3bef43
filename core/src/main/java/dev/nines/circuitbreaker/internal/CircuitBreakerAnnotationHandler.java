package dev.nines.circuitbreaker.internal;

import dev.nines.FailureFilter;
import dev.nines.Policy;
import dev.nines.annotation.AnnotatedMethod;
import dev.nines.annotation.AnnotationHandler;
import dev.nines.annotation.PipelineOrder;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.circuitbreaker.CircuitBreakerBuilder;
import dev.nines.circuitbreaker.SlidingWindowType;
import dev.nines.circuitbreaker.annotation.WithCircuitBreaker;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * Builds or finds the breaker for {@link WithCircuitBreaker @WithCircuitBreaker}. Registered through
 * {@code META-INF/services}; stateless and thread-safe.
 */
public final class CircuitBreakerAnnotationHandler implements AnnotationHandler<WithCircuitBreaker> {

    private static final String ANNOTATION = "WithCircuitBreaker";
    /** A time window is at most a day long (the builder's bound). */
    private static final long MAX_TIME_WINDOW_SECONDS = Duration.ofDays(1).toSeconds();

    @Override
    public Class<WithCircuitBreaker> annotationType() {
        return WithCircuitBreaker.class;
    }

    @Override
    public int order(WithCircuitBreaker annotation) {
        return PipelineOrder.CIRCUIT_BREAKER;
    }

    @Override
    public Policy create(WithCircuitBreaker a, AnnotatedMethod m) {
        String name = a.name().isEmpty() ? m.defaultPolicyName() : a.name();
        return m.policy(a.name(), CircuitBreaker.class, () -> build(name, a, m));
    }

    private static CircuitBreaker build(String name, WithCircuitBreaker a, AnnotatedMethod m) {
        CircuitBreakerBuilder b = CircuitBreaker.builder(name)
                .ticker(m.ticker())
                .metrics(m.metrics())
                .failureRateThreshold(a.failureRateThreshold())
                .slowCallRateThreshold(a.slowCallRateThreshold())
                .slowCallDurationThreshold(duration(m, "slowCallDurationThreshold", a.slowCallDurationThreshold()))
                .minimumCalls(a.minimumCalls())
                .openDuration(duration(m, "openDuration", a.openDuration()))
                .halfOpenProbes(a.halfOpenProbes())
                .maxProbeDuration(duration(m, "maxProbeDuration", a.maxProbeDuration()))
                .failures(failures(a));
        // checked here so the message names the annotation's attribute, not the builder's setter
        if (a.windowType() == SlidingWindowType.COUNT) {
            if (a.windowSize() < 1 || a.windowSize() > WindowCounts.MAX) {
                throw m.invalid(ANNOTATION, "windowSize", a.windowSize(),
                        "must be in [1, " + WindowCounts.MAX + "] calls for a COUNT window");
            }
            if (a.minimumCalls() > a.windowSize()) {
                throw m.invalid(ANNOTATION, "minimumCalls", a.minimumCalls(),
                        "must be <= windowSize (" + a.windowSize() + ")");
            }
            b.countWindow(a.windowSize());
        } else {
            if (a.windowSize() < 1 || a.windowSize() > MAX_TIME_WINDOW_SECONDS) {
                throw m.invalid(ANNOTATION, "windowSize", a.windowSize(),
                        "must be in [1, " + MAX_TIME_WINDOW_SECONDS + "] seconds for a TIME window");
            }
            b.timeWindow(Duration.ofSeconds(a.windowSize()));
        }
        if (a.openDurationMultiplier() != 1.0 || !a.maxOpenDuration().isEmpty()) {
            Duration open = duration(m, "openDuration", a.openDuration());
            Duration max = a.maxOpenDuration().isEmpty() ? open : duration(m, "maxOpenDuration", a.maxOpenDuration());
            // the builder takes both through one setter, openDurationGrowth; name the attributes instead
            if (!(a.openDurationMultiplier() >= 1.0) || Double.isInfinite(a.openDurationMultiplier())) {
                throw m.invalid(ANNOTATION, "openDurationMultiplier", a.openDurationMultiplier(),
                        "must be a finite number >= 1.0");
            }
            if (max.compareTo(open) < 0) {
                throw m.invalid(ANNOTATION, "maxOpenDuration", max, "must be >= openDuration (" + open + ")");
            }
            b.openDurationGrowth(a.openDurationMultiplier(), max);
        }
        return b.build();
    }

    /** {@code FailureFilter.on(failures).ignoring(ignored)}; no failure types keeps the default. */
    private static FailureFilter failures(WithCircuitBreaker a) {
        FailureFilter on = a.failures().length == 0 ? FailureFilter.exceptions() : FailureFilter.on(a.failures());
        return a.ignored().length == 0 ? on : on.ignoring(a.ignored());
    }

    private static Duration duration(AnnotatedMethod m, String attribute, String value) {
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw m.invalid(ANNOTATION, attribute, "'" + value + "'", "must be an ISO-8601 duration such as PT30S");
        }
    }
}
