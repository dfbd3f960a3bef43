package dev.nines.redis;

import dev.nines.Sleeper;
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
 * Configures a {@link RedisRateLimiter}: the connection, the limits, and what happens while Redis is
 * down. Start with {@link RedisRateLimiter#builder(String)}, or derive one with
 * {@link RedisRateLimiter#toBuilder()}. Setters only store (a {@code null} fails at once);
 * {@link #build()} reports every invalid setting at once. Not thread-safe.
 */
@SuppressWarnings("exports") // the base is shared with the nines modules only; its public setters are API
public final class RedisRateLimiterBuilder extends PolicyBuilder<RedisRateLimiterBuilder> {

    private final RedisSettings settings;
    private Sleeper sleeper;

    RedisRateLimiterBuilder(String name) {
        super(name);
        this.settings = new RedisSettings();
    }

    RedisRateLimiterBuilder(RedisRateLimiterConfig from) {
        super(from.policyWiring());
        this.settings = from.settings().copy();
        this.sleeper = from.sleeperAsConfigured();
    }

    /** The connection to one Redis (or the primary Sentinel names); required. Build the client with {@link RedisClients}. */
    public RedisRateLimiterBuilder connection(StatefulRedisConnection<String, String> connection) {
        settings.connection(connection);
        return this;
    }

    /** The connection to a Redis Cluster; required (or the single-node form). */
    public RedisRateLimiterBuilder connection(StatefulRedisClusterConnection<String, String> connection) {
        settings.connection(connection);
        return this;
    }

    /** Adds a limit; at least one. With several, a permit needs every one (all or nothing). */
    public RedisRateLimiterBuilder limit(Rate limit) {
        settings.limits.add(Objects.requireNonNull(limit, "limit"));
        return this;
    }

    /** Prepended to the Redis keys; default {@code "nines:rl:"}. */
    public RedisRateLimiterBuilder keyPrefix(String keyPrefix) {
        settings.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
        return this;
    }

    /** The longest a decision waits for Redis before it applies {@link #whenDown}; default 50 ms. */
    public RedisRateLimiterBuilder timeout(Duration timeout) {
        settings.timeout = Objects.requireNonNull(timeout, "timeout");
        return this;
    }

    /** What is decided while Redis does not answer; default {@link WhenRedisDown#LOCAL_FALLBACK}. */
    public RedisRateLimiterBuilder whenDown(WhenRedisDown mode) {
        settings.whenDown = Objects.requireNonNull(mode, "whenDown");
        return this;
    }

    /** How many instances share the limit: the local fallback gives each the limit ÷ this; default 1. */
    public RedisRateLimiterBuilder expectedInstances(int instances) {
        settings.expectedInstances = instances;
        return this;
    }

    /**
     * Turns leasing on: a round trip takes up to {@code permits} (at least 2, at most the smallest burst)
     * and this instance serves the rest itself for at most {@code time}; see {@link RedisRateLimiter}.
     */
    public RedisRateLimiterBuilder lease(long permits, Duration time) {
        settings.leasePermits = permits;
        settings.leaseTime = Objects.requireNonNull(time, "time");
        return this;
    }

    /**
     * The breaker guarding Redis; default one opening at 50% failures of 10 calls, for 1 s, probing on
     * request, whose state changes the limiter logs. A breaker given here is used as it is: give it a
     * listener to log its state changes.
     */
    public RedisRateLimiterBuilder breaker(CircuitBreaker breaker) {
        settings.breaker = Objects.requireNonNull(breaker, "breaker");
        return this;
    }

    /** How {@link RedisRateLimiter#acquire} waits for a reservation; default {@link Sleeper#system()}. */
    public RedisRateLimiterBuilder sleeper(Sleeper sleeper) {
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException naming every invalid setting and its value
     */
    public RedisRateLimiter build() {
        String prefix = settings.keyPrefix(RedisRateLimiter.DEFAULT_PREFIX);
        settings.check(validation(), new KeyLayout(prefix, settings.limits.size()), name()).throwIfInvalid();
        RedisSettings frozen = settings.copy();
        return new RedisRateLimiter(new RedisRateLimiterConfig(wiring(), sleeper, frozen,
                RedisClients.breaker(name(), frozen, wiring())));
    }
}
