package dev.nines.redis;

import dev.nines.AsyncCall;
import dev.nines.CallContext;
import dev.nines.Next;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.metrics.PolicyKinds;
import dev.nines.ratelimit.AcquireResult;
import dev.nines.ratelimit.Rate;
import dev.nines.ratelimit.RateLimiter;
import dev.nines.ratelimit.internal.LimiterPolicy;
import dev.nines.redis.internal.FleetEngine;
import dev.nines.redis.internal.KeyLayout;
import dev.nines.redis.internal.RedisDecider;
import dev.nines.redis.internal.RedisSettings;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * One limit shared by every instance of a service (one set of buckets in Redis, no client key): a
 * service-wide quota towards a partner API, say. Decisions work as in {@link RedisKeyedRateLimiter}
 * (one Lua GCRA round trip on Redis's clock, optional leasing, a breaker and {@link WhenRedisDown}
 * while Redis does not answer); its Redis keys carry the limiter's name as hash tag.
 *
 * <p>{@link #acquire(long, Duration)} reserves in Redis (the bucket goes into debt by at most the
 * timeout) and sleeps here for the reservation; a reservation interrupted while sleeping lapses (it
 * is not given back). {@link #setLimits(List)} changes the limits this instance sends from the next
 * decision on; other instances keep theirs. Redis stores the instant each bucket is empty, so under
 * new limits a bucket keeps that instant (an empty one stays empty and refills at the new rate)
 * rather than its count of permits as the local limiters do. {@link #config()} is a
 * {@link RateLimiterConfig}, so code written for any {@link RateLimiter} reads it. Thread-safe.
 */
public final class RedisRateLimiter implements RateLimiter {

    static final String DEFAULT_PREFIX = "nines:rl:";

    private final RedisRateLimiterConfig config;
    private final String name;
    private final KeyLayout layout;
    private final Function<String, String[]> keys;
    private final FleetEngine engine;
    private final CircuitBreaker breaker;
    private volatile List<Rate> limits;

    RedisRateLimiter(RedisRateLimiterConfig config) {
        this.config = config;
        this.name = config.name();
        this.limits = config.limits();
        this.layout = new KeyLayout(config.keyPrefix(), limits.size());
        String[] fixed = layout.shared(name);
        this.keys = k -> fixed;
        this.breaker = config.breaker();
        RedisSettings s = config.settings();
        RedisDecider decider = new RedisDecider(s.script, breaker, config.ticker(), config.timeout().toNanos(), limits);
        this.engine = new FleetEngine(name, decider, config.whenDown(), config.expectedInstances(), limits,
                config.leasePermits(), config.leaseTime(), 1, config.ticker());
        config.metrics().registerGauge(name, PolicyKinds.RATE_LIMITER, RedisKeyedRateLimiter.REDIS_UP_GAUGE,
                () -> breaker.state().rejectsCalls() ? 0 : 1);
    }

    /** Starts a Redis limiter called {@code name} (also its keys' hash tag); give it a connection and a limit. */
    public static RedisRateLimiterBuilder builder(String name) {
        return new RedisRateLimiterBuilder(name);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public RedisRateLimiterConfig config() {
        return config;
    }

    /** A builder holding this limiter's settings (the same connection and breaker). */
    public RedisRateLimiterBuilder toBuilder() {
        return new RedisRateLimiterBuilder(config);
    }

    /** The circuit breaker guarding Redis: its state says whether Redis or the down mode decides. */
    public CircuitBreaker breaker() {
        return breaker;
    }

    @Override
    public long tryAcquireOrWaitNanos(long permits) {
        return tryAcquireDetailed(permits).nanosToWait();
    }

    @Override
    public AcquireResult tryAcquireDetailed(long permits) {
        checkPermits(permits);
        return engine.acquire("", keys, permits, 0);
    }

    @Override
    public boolean acquire(long permits, Duration timeout) throws InterruptedException {
        checkPermits(permits);
        long max = Math.max(0, timeout.toNanos());
        AcquireResult r = engine.acquire("", keys, permits, max);
        if (!r.acquired()) {
            return false;
        }
        config.sleeper().sleep(r.nanosToWait());
        return true;
    }

    /** At most one round trip (a read-only run of the script). */
    @Override
    public long availablePermits() {
        return engine.available("", keys);
    }

    @Override
    public List<Rate> limits() {
        return limits;
    }

    @Override
    public void setLimits(List<Rate> limits) {
        if (limits.size() != this.limits.size()) {
            throw new IllegalArgumentException("limits must keep their number (" + this.limits.size() + ") but was "
                    + limits.size() + ": " + limits);
        }
        for (Rate r : limits) {
            String problem = RedisDecider.spanProblem(r);
            if (problem != null) {
                throw new IllegalArgumentException("limit must be at most 2^52 ns from empty to full but was " + problem);
            }
        }
        engine.setLimits(limits);
        this.limits = List.copyOf(limits);
    }

    private void checkPermits(long permits) {
        long smallest = limits.stream().mapToLong(Rate::burst).min().orElseThrow();
        if (permits < 1 || permits > smallest) {
            throw new IllegalArgumentException("permits must be in [1, " + smallest + "] (the smallest burst of "
                    + limits + ") but was " + permits);
        }
    }

    @Override
    public <T> T execute(CallContext context, Callable<T> call, Next next) throws Exception {
        long wait = tryAcquireOrWaitNanos(1);
        return LimiterPolicy.execute(name, config.metrics(), config.ticker(), wait, context, call, next);
    }

    @Override
    public <T> CompletionStage<T> executeAsync(CallContext context, AsyncCall<T> call, Next next) {
        long wait = tryAcquireOrWaitNanos(1);
        return LimiterPolicy.executeAsync(name, config.metrics(), config.ticker(), wait, context, call, next);
    }

    @Override
    public String toString() {
        return "RedisRateLimiter[" + name + ", " + limits + ", " + config.whenDown() + "]";
    }
}
