package dev.nines.spring.boot.autoconfigure.internal;

import static dev.nines.spring.boot.autoconfigure.internal.PolicyBuilders.set;

import dev.nines.Policy;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.metrics.MetricsSink;
import dev.nines.ratelimit.Rate;
import dev.nines.redis.RedisKeyedRateLimiter;
import dev.nines.redis.RedisKeyedRateLimiterBuilder;
import dev.nines.redis.RedisRateLimiter;
import dev.nines.redis.RedisRateLimiterBuilder;
import dev.nines.spring.boot.autoconfigure.FleetRateLimiterProperties;
import dev.nines.spring.boot.autoconfigure.FleetRateLimiterProperties.FleetRateLimiterSettings;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.util.ClassUtils;

/**
 * Builds the fleet limiters of {@code nines.fleet-rate-limiter} on the application's Lettuce
 * connection. Loaded only when nines-redis and Lettuce are on the class path; stateless and
 * thread-safe.
 */
public final class FleetBuilders {

    private FleetBuilders() {
    }

    /** Whether nines-redis and Lettuce are on the class path. */
    public static boolean available(ClassLoader loader) {
        return ClassUtils.isPresent("dev.nines.redis.RedisRateLimiter", loader)
                && ClassUtils.isPresent("io.lettuce.core.api.StatefulRedisConnection", loader);
    }

    /**
     * The application's connection: its one {@code StatefulRedisConnection} bean, else its one
     * {@code StatefulRedisClusterConnection} bean, else {@code null}.
     */
    public static Object connection(ListableBeanFactory beans) {
        var single = beans.getBeanProvider(StatefulRedisConnection.class).getIfUnique();
        if (single != null) {
            return single;
        }
        return beans.getBeanProvider(StatefulRedisClusterConnection.class).getIfUnique();
    }

    @SuppressWarnings("unchecked")
    static Policy fleet(String name, FleetRateLimiterSettings s, MetricsSink metrics, Object connection) {
        if (connection == null) {
            throw new IllegalArgumentException("connection must be one StatefulRedisConnection<String, String> (or"
                    + " StatefulRedisClusterConnection) bean of the application but was none");
        }
        Rate rate = PolicyBuilders.rate(s.getLimit(), s.getBurst());
        boolean lease = s.getLeasePermits() != null || s.getLeaseTime() != null;
        if (lease && (s.getLeasePermits() == null || s.getLeaseTime() == null)) {
            throw new IllegalArgumentException("leasePermits must be set together with lease-time but was "
                    + s.getLeasePermits());
        }
        if (Boolean.TRUE.equals(s.getKeyed())) {
            RedisKeyedRateLimiterBuilder b = RedisKeyedRateLimiter.builder(name);
            if (connection instanceof StatefulRedisClusterConnection<?, ?> cluster) {
                b.connection((StatefulRedisClusterConnection<String, String>) cluster);
            } else {
                b.connection((StatefulRedisConnection<String, String>) connection);
            }
            b.limit(rate);
            set(s.getMaxKeys(), b::maxKeys);
            set(s.getKeyPrefix(), b::keyPrefix);
            set(s.getTimeout(), b::timeout);
            set(s.getWhenDown(), b::whenDown);
            set(s.getExpectedInstances(), b::expectedInstances);
            if (lease) {
                b.lease(s.getLeasePermits(), s.getLeaseTime());
            }
            set(metrics, b::metrics);
            return b.build();
        }
        if (s.getMaxKeys() != null) {
            throw new IllegalArgumentException("maxKeys must be unset unless keyed is true but was " + s.getMaxKeys());
        }
        RedisRateLimiterBuilder b = RedisRateLimiter.builder(name);
        if (connection instanceof StatefulRedisClusterConnection<?, ?> cluster) {
            b.connection((StatefulRedisClusterConnection<String, String>) cluster);
        } else {
            b.connection((StatefulRedisConnection<String, String>) connection);
        }
        b.limit(rate);
        set(s.getKeyPrefix(), b::keyPrefix);
        set(s.getTimeout(), b::timeout);
        set(s.getWhenDown(), b::whenDown);
        set(s.getExpectedInstances(), b::expectedInstances);
        if (lease) {
            b.lease(s.getLeasePermits(), s.getLeaseTime());
        }
        set(metrics, b::metrics);
        return b.build();
    }

    /** Whether {@code nines.fleet-rate-limiter} marks an instance critical (itself or by its defaults). */
    static boolean anyCritical(Binder binder) {
        FleetRateLimiterProperties fleet = binder.bindOrCreate(PolicyFactory.FLEET, FleetRateLimiterProperties.class);
        boolean byDefault = Boolean.TRUE.equals(fleet.getDefaults().getCritical());
        return fleet.getInstances().values().stream()
                .anyMatch(s -> s.getCritical() == null ? byDefault : s.getCritical());
    }

    /** The breaker guarding Redis of a fleet limiter, or {@code null} if {@code p} is not one. */
    static CircuitBreaker redisBreaker(Policy p) {
        if (p instanceof RedisRateLimiter r) {
            return r.breaker();
        }
        if (p instanceof RedisKeyedRateLimiter r) {
            return r.breaker();
        }
        return null;
    }
}
