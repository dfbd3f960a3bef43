package dev.nines.redis.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.nines.Ticker;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.circuitbreaker.CircuitBreakerListener;
import dev.nines.circuitbreaker.CircuitState;
import dev.nines.metrics.MetricsSink;
import dev.nines.ratelimit.AcquireResult;
import dev.nines.ratelimit.Rate;
import dev.nines.ratelimit.RateLimiter;
import dev.nines.ratelimit.RateLimiterBuilder;
import dev.nines.redis.WhenRedisDown;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decision path both Redis limiters share: a local lease if one is held, else one guarded Redis
 * round trip ({@link RedisDecider}), else the {@link WhenRedisDown} mode. Leases and fallback buckets
 * live in bounded caches keyed by client key. Logs once per state change of the breaker (Redis lost,
 * Redis back). Thread-safe.
 */
public final class FleetEngine {

    private static final Logger LOG = LoggerFactory.getLogger("dev.nines.redis");

    private final String name;
    private final RedisDecider redis;
    private final WhenRedisDown whenDown;
    private final Ticker ticker;
    private final long leasePermits; // 0: no leasing
    private final long leaseNanos;
    private final Cache<String, Lease> leases;
    private final Cache<String, RateLimiter> fallback;
    private volatile List<Rate> limits;
    private final int expectedInstances;

    public FleetEngine(String name, RedisDecider redis, WhenRedisDown whenDown, int expectedInstances, List<Rate> limits,
            long leasePermits, Duration leaseTime, long maxKeys, Ticker ticker) {
        this.name = name;
        this.redis = redis;
        this.whenDown = whenDown;
        this.expectedInstances = expectedInstances;
        this.limits = List.copyOf(limits);
        this.ticker = ticker;
        this.leasePermits = leasePermits;
        this.leaseNanos = leaseTime == null ? 0 : leaseTime.toNanos();
        this.leases = leasePermits == 0 ? null : Caffeine.newBuilder().maximumSize(maxKeys).executor(Runnable::run).build();
        Duration idle = limits.stream().map(Rate::refillTime).max(Duration::compareTo).orElseThrow()
                .multipliedBy(expectedInstances).plusSeconds(1);
        this.fallback = Caffeine.newBuilder().maximumSize(maxKeys).expireAfterAccess(idle).executor(Runnable::run).build();
    }

    /** A listener for the breaker: one log line per state change, naming the limiter and the mode. */
    public static CircuitBreakerListener logger(String name, WhenRedisDown whenDown) {
        return new CircuitBreakerListener() {
            @Override
            public void onStateChange(CircuitBreaker breaker, CircuitState from, CircuitState to) {
                if (to.rejectsCalls()) {
                    LOG.warn("rate limiter '{}': Redis unreachable, deciding {} until it answers again", name, whenDown);
                } else if (to == CircuitState.CLOSED) {
                    LOG.info("rate limiter '{}': Redis answers again, back to the fleet-wide limit", name);
                }
            }
        };
    }

    /** Limits divided for one instance of {@code expected}: permits and burst ÷ expected (at least 1). */
    public static List<Rate> divided(List<Rate> limits, int expected) {
        return limits.stream().map(r -> Rate.of(r.permits(), r.period().multipliedBy(expected),
                Math.max(1, r.burst() / expected))).toList();
    }

    /** Replaces the limits (the shared limiter's {@code setLimits}); leases and fallback buckets start afresh. */
    public void setLimits(List<Rate> limits) {
        this.limits = List.copyOf(limits);
        redis.setLimits(limits);
        fallback.invalidateAll();
        if (leases != null) {
            leases.invalidateAll();
        }
    }

    /** Takes {@code permits} for {@code clientKey}, whose Redis keys {@code keys} computes; waits at most {@code maxWaitNanos} (a reservation). */
    public AcquireResult acquire(String clientKey, Function<String, String[]> keys, long permits, long maxWaitNanos) {
        Lease lease = null;
        if (leases != null && maxWaitNanos == 0) {
            lease = leases.getIfPresent(clientKey);
            if (lease != null) {
                long left = lease.take(permits, ticker.read());
                if (left >= 0) {
                    return new AcquireResult(true, left, 0);
                }
            }
        }
        long max = leases != null && maxWaitNanos == 0 ? Math.max(permits, leasePermits) : permits;
        RedisDecider.Decision d = redis.decide(keys.apply(clientKey), permits, max, maxWaitNanos);
        if (d == null) {
            return whenDown(clientKey, permits);
        }
        if (!d.granted()) {
            return new AcquireResult(false, d.remaining(), Math.max(1, d.waitNanos()), d.binding());
        }
        long extra = d.taken() - permits;
        if (extra > 0) {
            long now = ticker.read();
            long expiresAt = now + leaseNanos;
            Lease held = leases.asMap().merge(clientKey, new Lease(extra, expiresAt),
                    (old, fresh) -> new Lease(old.drain(now) + extra, expiresAt));
            return new AcquireResult(true, d.remaining() + held.left(now), 0, d.binding());
        }
        return new AcquireResult(true, d.remaining(), d.waitNanos(), d.binding());
    }

    /** Whole permits {@code clientKey} could take now: one read-only round trip (or the fallback's count). */
    public long available(String clientKey, Function<String, String[]> keys) {
        RedisDecider.Decision d = redis.decide(keys.apply(clientKey), 0, 0, 0);
        Lease lease = leases == null ? null : leases.getIfPresent(clientKey);
        long leased = lease == null ? 0 : lease.left(ticker.read());
        if (d == null) {
            return switch (whenDown) {
                case FAIL_OPEN -> limits.stream().mapToLong(Rate::burst).min().orElseThrow();
                case FAIL_CLOSED -> 0;
                case LOCAL_FALLBACK -> local(clientKey).availablePermits();
            };
        }
        return d.remaining() + leased;
    }

    private AcquireResult whenDown(String clientKey, long permits) {
        return switch (whenDown) {
            case FAIL_OPEN -> new AcquireResult(true, 0, 0);
            case FAIL_CLOSED -> new AcquireResult(false, 0, redisRetryNanos());
            case LOCAL_FALLBACK -> local(clientKey).tryAcquireDetailed(permits);
        };
    }

    private long redisRetryNanos() {
        return Math.max(1, redis.breaker().config().openDuration().toNanos());
    }

    private RateLimiter local(String clientKey) {
        return fallback.get(clientKey, k -> {
            RateLimiterBuilder b = RateLimiter.builder(name + "-fallback").ticker(ticker).metrics(MetricsSink.noop());
            divided(limits, expectedInstances).forEach(b::limit);
            return b.build();
        });
    }

    /** A batch of permits taken from Redis, served here until used or expired. Thread-safe (one CAS per take). */
    static final class Lease {
        private final java.util.concurrent.atomic.AtomicLong left;
        private final long expiresAt;

        Lease(long permits, long expiresAt) {
            this.left = new java.util.concurrent.atomic.AtomicLong(permits);
            this.expiresAt = expiresAt;
        }

        /** Takes {@code permits} and returns what is left, or -1 (taking nothing) if too few or expired. */
        long take(long permits, long now) {
            if (now - expiresAt >= 0) {
                return -1;
            }
            long have = left.get();
            while (have >= permits) {
                long witness = left.compareAndExchange(have, have - permits);
                if (witness == have) {
                    return have - permits;
                }
                have = witness;
            }
            return -1;
        }

        long left(long now) {
            return now - expiresAt >= 0 ? 0 : left.get();
        }

        /**
         * Takes every permit still usable at {@code now} (atomically: a racing {@link #take} gets
         * them or this does, never both), for a lease that replaces this one: a thread that leased
         * while another did loses none of the permits Redis gave out.
         */
        long drain(long now) {
            long rest = left.getAndSet(0);
            return now - expiresAt >= 0 ? 0 : rest;
        }
    }
}
