/**
 * nines rate limiting: the lock-free token bucket, the multi-limit and keyed (per-client)
 * limiters, and {@code @WithRateLimit}. Only API packages are exported; {@code internal} stays inside.
 */
module dev.nines.ratelimit {
    requires transitive dev.nines.core;
    requires com.github.benmanes.caffeine;

    exports dev.nines.ratelimit;
    exports dev.nines.ratelimit.annotation;

    provides dev.nines.annotation.AnnotationHandler with dev.nines.ratelimit.internal.RateLimitHandler;
}
