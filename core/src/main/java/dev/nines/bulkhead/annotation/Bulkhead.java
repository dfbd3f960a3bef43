package dev.nines.bulkhead.annotation;

import dev.nines.annotation.PolicyAnnotation;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Limits concurrent calls of the annotated method (or of every method of the annotated interface)
 * with a {@link dev.nines.bulkhead.SemaphoreBulkhead} at
 * {@link dev.nines.annotation.PipelineOrder#BULKHEAD}. Give several methods the same
 * {@link #name()} to share one limit. Naming and registry use follow
 * {@link dev.nines.retry.annotation.Retry}.
 */
@Documented
@PolicyAnnotation
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Bulkhead {

    /** The most calls at once; at least 1. */
    int maxConcurrent() default 25;

    /** How long a synchronous call waits for a permit, in milliseconds; 0 rejects at once. */
    long maxWaitMillis() default 0;

    /** The bulkhead's name in the registry; empty for the method's own. */
    String name() default "";
}
