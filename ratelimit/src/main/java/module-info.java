/**
 * nines rate limiting: the lock-free token bucket, the multi-limit and keyed (per-client)
 * limiters, and {@code @WithRateLimit}. Only API packages are exported; {@code internal} stays inside.
 */
@SuppressWarnings("module") // dev.nines.redis is built after this module
module dev.nines.ratelimit {
    requires transitive dev.nines.core;
    requires com.github.benmanes.caffeine;

    exports dev.nines.ratelimit;
    exports dev.nines.ratelimit.annotation;
    // how a limiter runs a call as a policy, shared with the Redis limiters (issue 16)
    exports dev.nines.ratelimit.internal to dev.nines.redis;

    provides dev.nines.annotation.AnnotationHandler with dev.nines.ratelimit.internal.RateLimitHandler;
}
