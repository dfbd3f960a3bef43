package dev.nines.redis;

import dev.nines.AsyncCall;
import dev.nines.CallContext;
import dev.nines.Next;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.metrics.PolicyKinds;
import dev.nines.ratelimit.AcquireResult;
import dev.nines.ratelimit.KeyedRateLimiter;
import dev.nines.ratelimit.Rate;
import dev.nines.ratelimit.internal.LimiterPolicy;
import dev.nines.redis.internal.FleetEngine;
import dev.nines.redis.internal.KeyLayout;
import dev.nines.redis.internal.RedisDecider;
import dev.nines.redis.internal.RedisSettings;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;

/**
 * Per-client limits shared by every instance of a service: the buckets live in Redis, so 20 pods
 * with {@code 10 per second} per client grant a client 10 per second, not 200.
 *
 * <p><b>One round trip.</b> A decision is one {@code EVALSHA} of a Lua script that applies GCRA to
 * every limit, all or nothing, on Redis's own clock ({@code TIME}), so the fleet's clocks do not
 * matter. Each limit of a key is one Redis string that expires when its bucket would be full again:
 * idle clients cost Redis nothing. The limits travel with each call, so instances configured with
 * different limits apply different limits to the same key. On a Redis Cluster every key of a
 * decision carries the client key as hash tag: one slot. {@link #availablePermits(String)} is one
 * read-only run of the same script.
 *
 * <p><b>Leasing</b> ({@link RedisKeyedRateLimiterBuilder#lease}, off by default): a round trip takes
 * up to {@code leasePermits} and this instance serves them itself until used or {@code leaseTime}
 * ends; a lease is taken before any of its permits is served, so leasing never grants more than the
 * limit. Its cost: per key and instance, up to {@code leasePermits - 1} permits can sit unused here
 * (and lapse) while another instance is refused.
 *
 * <p><b>Redis down.</b> Every decision waits at most {@code timeout}; a {@link #breaker()} guards the
 * connection and, while open, decisions skip Redis entirely and follow {@link WhenRedisDown}. Its
 * state is a gauge {@value #REDIS_UP_GAUGE} (1 while Redis decides) and the breaker's transitions in
 * the metrics sink; give {@link #breaker()} to the web module's {@code HealthEndpoint.builder().breaker(breaker, false)}
 * to show it (not critical: the limiter answers while it is open).
 * Thread-safe.
 */
public final class RedisKeyedRateLimiter implements KeyedRateLimiter {

    /** The gauge: 1 while the breaker lets decisions reach Redis, 0 while the down mode decides. */
    public static final String REDIS_UP_GAUGE = "redis_up";

    private final RedisKeyedRateLimiterConfig config;
    private final String name;
    private final List<Rate> limits;
    private final long smallestBurst;
    private final KeyLayout layout;
    private final FleetEngine engine;
    private final CircuitBreaker breaker;

    RedisKeyedRateLimiter(RedisKeyedRateLimiterConfig config) {
        this.config = config;
        this.name = config.name();
        this.limits = config.limits();
        this.smallestBurst = limits.stream().mapToLong(Rate::burst).min().orElseThrow();
        this.layout = new KeyLayout(config.keyPrefix(), limits.size());
        this.breaker = config.breaker();
        RedisSettings s = config.settings();
        RedisDecider decider = new RedisDecider(s.script, breaker, config.ticker(), config.timeout().toNanos(), limits);
        this.engine = new FleetEngine(name, decider, config.whenDown(), config.expectedInstances(), limits,
                config.leasePermits(), config.leaseTime(), config.maxKeys(), config.ticker());
        config.metrics().registerGauge(name, PolicyKinds.RATE_LIMITER, REDIS_UP_GAUGE,
                () -> breaker.state().rejectsCalls() ? 0 : 1);
    }

    /** Starts a Redis keyed limiter called {@code name}; give it a connection and at least one limit. */
    public static RedisKeyedRateLimiterBuilder builder(String name) {
        return new RedisKeyedRateLimiterBuilder(name);
    }

    static String defaultPrefix(String name) {
        return "nines:rl:" + name + ":";
    }

    @Override
    public String name() {
        return name;
    }

    /** The settings this limiter was built with, defaults resolved. */
    public RedisKeyedRateLimiterConfig config() {
        return config;
    }

    /** A builder holding this limiter's settings (the same connection and breaker). */
    public RedisKeyedRateLimiterBuilder toBuilder() {
        return new RedisKeyedRateLimiterBuilder(config);
    }

    /** The circuit breaker guarding Redis: its state says whether Redis or the down mode decides. */
    public CircuitBreaker breaker() {
        return breaker;
    }

    @Override
    public List<Rate> limits() {
        return limits;
    }

    @Override
    public long tryAcquireOrWaitNanos(String key, long permits) {
        return tryAcquireDetailed(key, permits).nanosToWait();
    }

    /** One round trip (none while a lease covers it or the breaker is open); waits at most the timeout. */
    @Override
    public AcquireResult tryAcquireDetailed(String key, long permits) {
        Objects.requireNonNull(key, "key");
        checkPermits(permits);
        return engine.acquire(key, layout::keyed, permits, 0);
    }

    /** At most one round trip (a read-only run of the script); the down mode's count while Redis is down. */
    @Override
    public long availablePermits(String key) {
        return engine.available(Objects.requireNonNull(key, "key"), layout::keyed);
    }

    private void checkPermits(long permits) {
        if (permits < 1 || permits > smallestBurst) {
            throw new IllegalArgumentException("permits must be in [1, " + smallestBurst + "] (the smallest burst of "
                    + limits + ") but was " + permits);
        }
    }

    @Override
    public <T> T execute(CallContext context, Callable<T> call, Next next) throws Exception {
        long wait = tryAcquireOrWaitNanos(context.keyOr(ANONYMOUS_KEY), 1);
        return LimiterPolicy.execute(name, config.metrics(), config.ticker(), wait, context, call, next);
    }

    @Override
    public <T> CompletionStage<T> executeAsync(CallContext context, AsyncCall<T> call, Next next) {
        long wait = tryAcquireOrWaitNanos(context.keyOr(ANONYMOUS_KEY), 1);
        return LimiterPolicy.executeAsync(name, config.metrics(), config.ticker(), wait, context, call, next);
    }

    @Override
    public String toString() {
        return "RedisKeyedRateLimiter[" + name + ", " + limits + " per key, " + config.whenDown() + "]";
    }
}
