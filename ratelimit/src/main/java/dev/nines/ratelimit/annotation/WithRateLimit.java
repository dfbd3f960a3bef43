package dev.nines.ratelimit.annotation;

import dev.nines.annotation.PolicyAnnotation;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.TimeUnit;

/**
 * Limits calls of an interface method (or of every method of an interface) to {@code permits} per
 * {@code period} {@code unit}, applied by {@link dev.nines.annotation.NinesProxy} and the web
 * filters at {@link dev.nines.annotation.PipelineOrder#RATE_LIMIT}:
 *
 * <pre>{@code
 * @WithRateLimit(permits = 100, period = 1, unit = TimeUnit.SECONDS, burst = 20)
 * Quote quote(String symbol);
 *
 * @WithRateLimit(permits = 10, key = KeySource.ARGUMENT, argument = 0)   // one bucket per account
 * Receipt charge(String account, long cents);
 * }</pre>
 *
 * <p>A refused call throws {@link dev.nines.ratelimit.RateLimitedException} carrying the time until
 * a permit. With {@link KeySource#ARGUMENT} or {@link KeySource#CLIENT} each key gets its own bucket
 * (at most {@link #maxKeys()} keys). Each method gets its own limiter unless {@link #name()} names
 * one shared through the proxy's {@link dev.nines.annotation.PolicyRegistry}: the annotations sharing
 * a name must then agree on the limit, the key kind and {@code maxKeys}, unless a limiter registered
 * in code under that name overrides them all. Invalid or contradictory attributes fail when the
 * proxy is created, naming the method and the attribute.
 *
 * <p>Annotation instances are immutable and thread-safe; the limiters built from them are thread-safe.
 */
@Documented
@PolicyAnnotation
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface WithRateLimit {

    /** Permits per period; at least 1. */
    long permits();

    /** The length of the period in {@link #unit()}; at least 1, default 1. */
    long period() default 1;

    /** The unit of {@link #period()}; default seconds. */
    TimeUnit unit() default TimeUnit.SECONDS;

    /** The burst (bucket capacity); 0, the default, means equal to {@link #permits()}. */
    long burst() default 0;

    /** Where the per-client key comes from; default {@link KeySource#NONE}, one shared bucket. */
    KeySource key() default KeySource.NONE;

    /** The index of the key argument, required with {@link KeySource#ARGUMENT} and only then. */
    int argument() default -1;

    /** The most keys tracked with a keyed source; at least 1, default 100,000. */
    long maxKeys() default 100_000;

    /** A limiter name to share between methods; default: one limiter per method, named after it. */
    String name() default "";
}
