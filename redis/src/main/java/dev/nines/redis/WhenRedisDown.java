package dev.nines.redis;

/**
 * What a Redis limiter decides while Redis does not answer (its breaker is open, or a call failed or
 * timed out). Immutable and thread-safe.
 */
public enum WhenRedisDown {
    /** Grant every request: availability over the limit. Over-admission is unbounded while Redis is down. */
    FAIL_OPEN,
    /** Refuse every request: the limit over availability. */
    FAIL_CLOSED,
    /**
     * Decide in this JVM, each instance at the limit ÷ {@code expectedInstances} (the default): the fleet
     * then admits about (actual ÷ expected instances) × the limit, the only over-admission while down.
     */
    LOCAL_FALLBACK
}
