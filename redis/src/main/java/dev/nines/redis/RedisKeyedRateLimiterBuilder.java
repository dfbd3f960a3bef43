package dev.nines.redis;

import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.internal.PolicyBuilder;
import dev.nines.ratelimit.Rate;
import dev.nines.redis.internal.KeyLayout;
import dev.nines.redis.internal.RedisSettings;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.time.Duration;
import java.util.Objects;

/**
 * Configures a {@link RedisKeyedRateLimiter}: the connection, every key's limits, and what happens
 * while Redis is down. Start with {@link RedisKeyedRateLimiter#builder(String)}, or derive one with
 * {@link RedisKeyedRateLimiter#toBuilder()}.
 *
 * <p>Setters only store (a {@code null} fails at once); {@link #build()} checks everything and reports
 * every invalid setting at once. Not thread-safe.
 */
@SuppressWarnings("exports") // the base is shared with the nines modules only; its public setters are API
public final class RedisKeyedRateLimiterBuilder extends PolicyBuilder<RedisKeyedRateLimiterBuilder> {

    private final RedisSettings settings;

    RedisKeyedRateLimiterBuilder(String name) {
        super(name);
        this.settings = new RedisSettings();
    }

    RedisKeyedRateLimiterBuilder(RedisKeyedRateLimiterConfig from) {
        super(from.wiring());
        this.settings = from.settings().copy();
    }

    /** The connection to one Redis (or the primary Sentinel names); required. Build the client with {@link RedisClients}. */
    public RedisKeyedRateLimiterBuilder connection(StatefulRedisConnection<String, String> connection) {
        settings.connection(connection);
        return this;
    }

    /** The connection to a Redis Cluster; required (or the single-node form). */
    public RedisKeyedRateLimiterBuilder connection(StatefulRedisClusterConnection<String, String> connection) {
        settings.connection(connection);
        return this;
    }

    /** Adds a limit of every key; at least one. With several, a permit needs every one (all or nothing). */
    public RedisKeyedRateLimiterBuilder limit(Rate limit) {
        settings.limits.add(Objects.requireNonNull(limit, "limit"));
        return this;
    }

    /** Prepended to every Redis key; default {@code "nines:rl:" + name + ":"}. */
    public RedisKeyedRateLimiterBuilder keyPrefix(String keyPrefix) {
        settings.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
        return this;
    }

    /** The longest a decision waits for Redis before it applies {@link #whenDown}; default 50 ms. */
    public RedisKeyedRateLimiterBuilder timeout(Duration timeout) {
        settings.timeout = Objects.requireNonNull(timeout, "timeout");
        return this;
    }

    /** What is decided while Redis does not answer; default {@link WhenRedisDown#LOCAL_FALLBACK}. */
    public RedisKeyedRateLimiterBuilder whenDown(WhenRedisDown mode) {
        settings.whenDown = Objects.requireNonNull(mode, "whenDown");
        return this;
    }

    /** How many instances share the limit: the local fallback gives each the limit ÷ this; default 1. */
    public RedisKeyedRateLimiterBuilder expectedInstances(int instances) {
        settings.expectedInstances = instances;
        return this;
    }

    /**
     * Turns leasing on: a round trip takes up to {@code permits} (at least 2, at most the smallest burst)
     * and this instance serves the rest itself for at most {@code time}. Fewer round trips on hot keys,
     * at the price that leased permits can sit unused here while another instance is refused.
     */
    public RedisKeyedRateLimiterBuilder lease(long permits, Duration time) {
        settings.leasePermits = permits;
        settings.leaseTime = Objects.requireNonNull(time, "time");
        return this;
    }

    /**
     * The breaker guarding Redis; default one opening at 50% failures of 10 calls, for 1 s, probing on
     * request, whose state changes the limiter logs. A breaker given here is used as it is: give it a
     * listener to log its state changes.
     */
    public RedisKeyedRateLimiterBuilder breaker(CircuitBreaker breaker) {
        settings.breaker = Objects.requireNonNull(breaker, "breaker");
        return this;
    }

    /** The local leases and fallback buckets kept at once; at least 1, default 100,000. */
    public RedisKeyedRateLimiterBuilder maxKeys(long maxKeys) {
        settings.maxKeys = maxKeys;
        return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException naming every invalid setting and its value
     */
    public RedisKeyedRateLimiter build() {
        String prefix = settings.keyPrefix(RedisKeyedRateLimiter.defaultPrefix(name()));
        settings.check(validation(), new KeyLayout(prefix, settings.limits.size()), null).throwIfInvalid();
        RedisSettings frozen = settings.copy();
        return new RedisKeyedRateLimiter(new RedisKeyedRateLimiterConfig(wiring(), frozen,
                RedisClients.breaker(name(), frozen, wiring())));
    }
}
