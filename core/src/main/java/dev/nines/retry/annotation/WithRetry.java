package dev.nines.retry.annotation;

import dev.nines.annotation.PolicyAnnotation;
import dev.nines.retry.Jitter;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Retries the annotated method (or every method of the annotated interface) through a
 * {@link dev.nines.retry.Retry}, placed at {@link dev.nines.annotation.PipelineOrder#RETRY}.
 *
 * <p>With a {@link #name()}, the policy registered under that name in the proxy's
 * {@link dev.nines.annotation.PolicyRegistry} is used if there is one (and its attributes here are
 * then only validated); otherwise one is built from these attributes and registered. Without a
 * name, a policy registered under {@code Interface.method} wins, otherwise the method gets its
 * own. Invalid attributes fail at proxy creation, naming the method and the attribute.
 */
@Documented
@PolicyAnnotation
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface WithRetry {

    /** The policy's name in the registry; empty for the method's own. */
    String name() default "";

    /** The most attempts, the first included; at least 1. */
    int maxAttempts() default 3;

    /** The delay before the first retry, in milliseconds; 0 or more. */
    long initialDelayMillis() default 100;

    /** How much each delay grows; at least 1.0 (1.0 is a fixed delay). */
    double multiplier() default 2.0;

    /** The longest delay, in milliseconds; at least {@link #initialDelayMillis()}. */
    long maxDelayMillis() default 10_000;

    /** How delays are randomized. */
    Jitter jitter() default Jitter.FULL;

    /** No attempt starts this long after the first, in milliseconds; 0 for no limit. */
    long maxDurationMillis() default 0;

    /**
     * The least time an attempt needs, in milliseconds; 0 or more. An attempt, the first included,
     * starts only if more than this is left before the call's deadline (set by a total timeout).
     */
    long minAttemptTimeMillis() default 0;

    /**
     * Exception types (subtypes included) to retry; empty means the retry's default, any
     * {@link Exception}. Together with {@link #ignored()} this is
     * {@code FailureFilter.on(failures).ignoring(ignored)}; see
     * {@link dev.nines.retry.RetryBuilder#failures}.
     */
    Class<? extends Throwable>[] failures() default {};

    /**
     * Exception types (subtypes included) never retried, even where {@link #failures()} matches:
     * the call gives up at once.
     */
    Class<? extends Throwable>[] ignored() default {};

    /**
     * The name of a {@link dev.nines.retry.RetryBudget} registered in the registry, shared by every
     * retry naming it; empty for none. A budget cannot be configured here, so the name only refers:
     * one that is not registered fails at proxy creation, naming the method, {@code budget} and the
     * budgets that are registered, unless {@link #createBudget()} is set.
     */
    String budget() default "";

    /**
     * Whether a {@link #budget()} that is not registered is created with default settings (and
     * registered, to be shared) instead of failing proxy creation. Default false.
     */
    boolean createBudget() default false;
}
