package dev.nines.redis;

import dev.nines.Ticker;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.internal.PolicyWiring;
import dev.nines.metrics.MetricsSink;
import dev.nines.ratelimit.Rate;
import dev.nines.redis.internal.RedisSettings;
import io.lettuce.core.api.StatefulConnection;
import java.time.Duration;
import java.util.List;

/**
 * The settings a {@link RedisKeyedRateLimiter} was built with, defaults resolved. Made only by
 * {@link RedisKeyedRateLimiterBuilder#build()}; read it through {@link RedisKeyedRateLimiter#config()}.
 * Immutable and thread-safe.
 */
public final class RedisKeyedRateLimiterConfig {

    private final PolicyWiring wiring;
    private final RedisSettings settings; // frozen copy; null fields unset, so toBuilder() keeps them unset
    private final CircuitBreaker breaker;

    RedisKeyedRateLimiterConfig(PolicyWiring wiring, RedisSettings settings, CircuitBreaker breaker) {
        this.wiring = wiring;
        this.settings = settings;
        this.breaker = breaker;
    }

    /** The name metrics, the registry and rejections carry; no default. */
    public String name() {
        return wiring.name();
    }

    /** Every key's limits, taken all or nothing; at least one, no default. */
    public List<Rate> limits() {
        return List.copyOf(settings.limits);
    }

    /** The Lettuce connection: a {@code StatefulRedisConnection} or a {@code StatefulRedisClusterConnection}. */
    public StatefulConnection<String, String> connection() {
        return settings.script.connection();
    }

    /** Prepended to every Redis key; default {@code "nines:rl:" + name + ":"}. */
    public String keyPrefix() {
        return settings.keyPrefix(RedisKeyedRateLimiter.defaultPrefix(name()));
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

    /** The local leases and fallback buckets kept at once (least used dropped first); default 100,000. */
    public long maxKeys() {
        return settings.maxKeys();
    }

    /** The breaker guarding Redis: the one given, or the default one built for this limiter. */
    public CircuitBreaker breaker() {
        return breaker;
    }

    /** The time source of leases, the breaker and the local fallback (Redis's own clock decides otherwise). */
    public Ticker ticker() {
        return wiring.ticker();
    }

    /** Where rejections, outcomes and the {@value RedisKeyedRateLimiter#REDIS_UP_GAUGE} gauge go. */
    public MetricsSink metrics() {
        return wiring.metrics();
    }

    PolicyWiring wiring() {
        return wiring;
    }

    RedisSettings settings() {
        return settings;
    }

    @Override
    public String toString() {
        return "RedisKeyedRateLimiterConfig[name=" + name() + ", limits=" + limits() + ", keyPrefix=" + keyPrefix()
                + ", timeout=" + timeout() + ", whenDown=" + whenDown() + ", expectedInstances=" + expectedInstances()
                + ", leasePermits=" + leasePermits() + ", leaseTime=" + leaseTime() + "]";
    }
}
