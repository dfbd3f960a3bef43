package dev.nines.fallback.annotation;

import dev.nines.annotation.PolicyAnnotation;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Replaces a failure of the method with the result of another method of the same target object,
 * taking the same parameters, optionally followed by the failure:
 *
 * <pre>{@code
 * @WithFallback(method = "cachedQuote", failures = {IOException.class, RejectedCallException.class})
 * Quote quote(String symbol);
 * // in the implementation:
 * Quote cachedQuote(String symbol, Throwable failure) { ... }
 * }</pre>
 *
 * <p>The fallback method may be private; its return type must be assignable to the method's (for
 * a method returning a {@code CompletionStage}, it returns one too). Both are checked when the
 * proxy is created. Sits outermost ({@link dev.nines.annotation.PipelineOrder#FALLBACK}), so it
 * sees the final failure after retries and rejections.
 */
@Documented
@PolicyAnnotation
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface WithFallback {

    /** The name of the fallback method on the target object. */
    String method();

    /**
     * The failure types replaced, subtypes included; empty means the fallback's default, every
     * {@link Exception}. Together with {@link #ignored()} this is
     * {@code FailureFilter.on(failures).ignoring(ignored)}; see
     * {@link dev.nines.fallback.FallbackBuilder#failures}. A fallback method taking the failure
     * must accept every type listed here.
     */
    Class<? extends Throwable>[] failures() default {};

    /** Failure types (subtypes included) passed through unreplaced, even where {@link #failures()} matches. */
    Class<? extends Throwable>[] ignored() default {};
}
