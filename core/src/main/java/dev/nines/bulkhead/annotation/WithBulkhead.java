package dev.nines.bulkhead.annotation;

import dev.nines.annotation.PolicyAnnotation;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Limits concurrent calls of the annotated method (or of every method of the annotated interface)
 * at {@link dev.nines.annotation.PipelineOrder#BULKHEAD}: with a
 * {@link dev.nines.bulkhead.SemaphoreBulkhead} (the default), or with a
 * {@link dev.nines.bulkhead.ThreadPoolBulkhead} when {@link #type()} is {@link Type#THREAD_POOL},
 * which runs each call on its own bounded pool and queue (the caller of a synchronous method waits
 * for the result; an asynchronous one gets its stage at once). Give several methods the same
 * {@link #name()} to share one limit. Naming and registry use follow
 * {@link dev.nines.retry.annotation.WithRetry}.
 */
@Documented
@PolicyAnnotation
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface WithBulkhead {

    /** Which bulkhead: a semaphore on the caller's thread, or a pool of threads of its own. */
    Type type() default Type.SEMAPHORE;

    /** The most calls at once (for {@link Type#THREAD_POOL}, the pool's threads); at least 1. */
    int maxConcurrent() default 25;

    /**
     * {@link Type#SEMAPHORE} only: how long a synchronous call waits for a permit, in milliseconds;
     * 0 rejects at once.
     */
    long maxWaitMillis() default 0;

    /**
     * {@link Type#THREAD_POOL} only: the most calls waiting for a thread, 0 for none; -1 (the
     * default) for the pool's own default of 100.
     */
    int queueCapacity() default -1;

    /** The bulkhead's name in the registry; empty for the method's own. */
    String name() default "";

    /** The kinds of bulkhead. */
    enum Type {
        /** Counts calls on the caller's thread; the cheapest. */
        SEMAPHORE,
        /** Runs calls on a bounded pool with a bounded queue, isolating the caller's threads. */
        THREAD_POOL
    }
}
