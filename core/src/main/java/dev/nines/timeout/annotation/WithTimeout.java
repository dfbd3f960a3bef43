package dev.nines.timeout.annotation;

import dev.nines.annotation.PolicyAnnotation;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Bounds the annotated method (or every method of the annotated interface) with a
 * {@link dev.nines.timeout.Timeout}.
 *
 * <p>{@link #scope()} picks what it bounds: {@link Scope#TOTAL} (the default) sits at
 * {@link dev.nines.annotation.PipelineOrder#TOTAL_TIMEOUT}, outside any {@code @WithRetry}, and bounds
 * the whole call; {@link Scope#ATTEMPT} sits at
 * {@link dev.nines.annotation.PipelineOrder#ATTEMPT_TIMEOUT}, inside the retry, and bounds each
 * attempt. Naming and registry use follow {@link dev.nines.retry.annotation.WithRetry}.
 */
@Documented
@PolicyAnnotation
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface WithTimeout {

    /** The time limit in milliseconds; must be &gt; 0. */
    long millis();

    /** Whether the limit bounds the whole call or each attempt. */
    Scope scope() default Scope.TOTAL;

    /** The policy's name in the registry; empty for the method's own. */
    String name() default "";

    /** What a timeout bounds. */
    enum Scope {
        /** The whole call, every retry and backoff included. */
        TOTAL,
        /** Each attempt on its own. */
        ATTEMPT
    }
}
