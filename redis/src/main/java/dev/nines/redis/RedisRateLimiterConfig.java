package dev.nines.redis;

import dev.nines.Sleeper;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.internal.PolicyWiring;
import dev.nines.ratelimit.RateLimiterConfig;
import dev.nines.redis.internal.RedisSettings;
import io.lettuce.core.api.StatefulConnection;
import java.time.Duration;

/**
 * The settings a {@link RedisRateLimiter} was built with, defaults resolved: those of every
 * {@link RateLimiterConfig} (name, limits, ticker, sleeper, metrics) and the Redis ones. Made only by
 * {@link RedisRateLimiterBuilder#build()}; read it through {@link RedisRateLimiter#config()}.
 * Immutable and thread-safe.
 */
@SuppressWarnings("exports") // the wiring is shared with the nines modules only
public final class RedisRateLimiterConfig extends RateLimiterConfig {

    private final RedisSettings settings; // frozen copy; null fields unset, so toBuilder() keeps them unset
    private final CircuitBreaker breaker;

    RedisRateLimiterConfig(PolicyWiring wiring, Sleeper sleeper, RedisSettings settings, CircuitBreaker breaker) {
        super(wiring, settings.limits, sleeper);
        this.settings = settings;
        this.breaker = breaker;
    }

    /** The Lettuce connection: a {@code StatefulRedisConnection} or a {@code StatefulRedisClusterConnection}. */
    public StatefulConnection<String, String> connection() {
        return settings.script.connection();
    }

    /** Prepended to the Redis keys; default {@code "nines:rl:"} (the limiter's name is the hash tag). */
    public String keyPrefix() {
        return settings.keyPrefix(RedisRateLimiter.DEFAULT_PREFIX);
    }

    /** The longest a decision waits for Redis; default 50 ms. */
    public Duration timeout() {
        return settings.timeout();
    }

    /** What is decided while Redis does not answer; default {@link WhenRedisDown#LOCAL_FALLBACK}. */
    public WhenRedisDown whenDown() {
        return settings.whenDown();
    }

    /** The instances sharing the limit, dividing it in {@link WhenRedisDown#LOCAL_FALLBACK}; default 1. */
    public int expectedInstances() {
        return settings.expectedInstances();
    }

    /** Permits taken per round trip and served locally; 0 (the default) when leasing is off. */
    public long leasePermits() {
        return settings.leasePermits();
    }

    /** How long leased permits stay usable; {@code null} when leasing is off. */
    public Duration leaseTime() {
        return settings.leaseTime;
    }

    /** The breaker guarding Redis: the one given, or the default one built for this limiter. */
    public CircuitBreaker breaker() {
        return breaker;
    }

    RedisSettings settings() {
        return settings;
    }

    PolicyWiring policyWiring() {
        return wiring();
    }

    Sleeper sleeperAsConfigured() {
        return configuredSleeper();
    }

    @Override
    public String toString() {
        return "RedisRateLimiterConfig[name=" + name() + ", limits=" + limits() + ", keyPrefix=" + keyPrefix()
                + ", timeout=" + timeout() + ", whenDown=" + whenDown() + ", expectedInstances=" + expectedInstances()
                + ", leasePermits=" + leasePermits() + ", leaseTime=" + leaseTime() + "]";
    }
}
