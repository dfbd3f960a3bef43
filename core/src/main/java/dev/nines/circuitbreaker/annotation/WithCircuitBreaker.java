package dev.nines.circuitbreaker.annotation;

import dev.nines.annotation.PolicyAnnotation;
import dev.nines.circuitbreaker.SlidingWindowType;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the method through a {@link dev.nines.circuitbreaker.CircuitBreaker}. A breaker already
 * registered under {@link #name()} in the proxy's {@link dev.nines.annotation.PolicyRegistry} is
 * used as is (the other attributes are then ignored); otherwise one is built from the attributes
 * and registered, so every method naming it shares it. Durations are ISO-8601 ({@code PT30S}).
 * Defaults match {@link dev.nines.circuitbreaker.CircuitBreakerBuilder}. Sits at
 * {@link dev.nines.annotation.PipelineOrder#CIRCUIT_BREAKER}: inside a retry, outside a bulkhead.
 */
@Documented
@PolicyAnnotation
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface WithCircuitBreaker {

    /** The breaker's name; empty means {@code Interface.method}. */
    String name() default "";

    /** Share of failed calls, a fraction in (0, 1], that opens the breaker: 0.5 is 50%. */
    double failureRateThreshold() default 0.5;

    /** Share of slow calls, a fraction in (0, 1], that opens the breaker: 1.0 is 100%. */
    double slowCallRateThreshold() default 1.0;

    /** A call at least this long is slow. */
    String slowCallDurationThreshold() default "PT60S";

    /** Count or time window. */
    SlidingWindowType windowType() default SlidingWindowType.COUNT;

    /** Calls (count window) or seconds (time window) the window spans. */
    int windowSize() default 100;

    /** Calls needed before rates are judged. */
    int minimumCalls() default 20;

    /** How long the breaker stays open. */
    String openDuration() default "PT60S";

    /** Growth of the open duration per consecutive opening; 1 keeps it constant. */
    double openDurationMultiplier() default 1.0;

    /** Cap of a grown open duration; empty means {@link #openDuration()}. */
    String maxOpenDuration() default "";

    /** Probe calls admitted when half-open. */
    int halfOpenProbes() default 10;

    /** How long missing probe outcomes are awaited before the breaker reopens. */
    String maxProbeDuration() default "PT60S";

    /**
     * Exception types (subtypes included) counted as failures; empty means the breaker's default,
     * every exception. Other exceptions count as successes. Together with {@link #ignored()} this is
     * {@code FailureFilter.on(failures).ignoring(ignored)}; see
     * {@link dev.nines.circuitbreaker.CircuitBreakerBuilder#failures}.
     */
    Class<? extends Throwable>[] failures() default {};

    /** Exception types (subtypes included) not counted at all, checked before {@link #failures()}. */
    Class<? extends Throwable>[] ignored() default {};
}
