package dev.nines.redis.internal;

import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.internal.Validation;
import dev.nines.ratelimit.Rate;
import dev.nines.redis.WhenRedisDown;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The settings both Redis limiters' builders store and check, beside the name, ticker and metrics of
 * every policy: one mutable copy per builder, one frozen copy per config. {@code null} fields are
 * unset and resolve to the defaults below. Not thread-safe while a builder fills it; a frozen copy is
 * never changed.
 */
public final class RedisSettings {

    /** Default {@code timeout}: tens of milliseconds, far above a healthy round trip, far below a user's patience. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(50);
    /** Default {@code expectedInstances}. */
    public static final int DEFAULT_EXPECTED_INSTANCES = 1;
    /** Default {@code maxKeys} (the local leases and fallback buckets tracked at once). */
    public static final long DEFAULT_MAX_KEYS = 100_000;

    public GcraScript script;
    public final List<Rate> limits = new ArrayList<>();
    public String keyPrefix;
    public Duration timeout;
    public WhenRedisDown whenDown;
    public Integer expectedInstances;
    public Long leasePermits;
    public Duration leaseTime;
    public CircuitBreaker breaker;
    public Long maxKeys;

    /** An empty set of settings. */
    public RedisSettings() {
    }

    /** A copy. */
    public RedisSettings copy() {
        RedisSettings c = new RedisSettings();
        c.script = script;
        c.limits.addAll(limits);
        c.keyPrefix = keyPrefix;
        c.timeout = timeout;
        c.whenDown = whenDown;
        c.expectedInstances = expectedInstances;
        c.leasePermits = leasePermits;
        c.leaseTime = leaseTime;
        c.breaker = breaker;
        c.maxKeys = maxKeys;
        return c;
    }

    /** Stores a single-node (or Sentinel-managed) connection. */
    public void connection(StatefulRedisConnection<String, String> connection) {
        script = GcraScript.on(Objects.requireNonNull(connection, "connection"));
    }

    /** Stores a Redis Cluster connection. */
    public void connection(StatefulRedisClusterConnection<String, String> connection) {
        script = GcraScript.on(Objects.requireNonNull(connection, "connection"));
    }

    public Duration timeout() {
        return timeout == null ? DEFAULT_TIMEOUT : timeout;
    }

    public WhenRedisDown whenDown() {
        return whenDown == null ? WhenRedisDown.LOCAL_FALLBACK : whenDown;
    }

    public int expectedInstances() {
        return expectedInstances == null ? DEFAULT_EXPECTED_INSTANCES : expectedInstances;
    }

    public long leasePermits() {
        return leasePermits == null ? 0 : leasePermits;
    }

    public long maxKeys() {
        return maxKeys == null ? DEFAULT_MAX_KEYS : maxKeys;
    }

    /** The prefix as configured, or {@code orElse}. */
    public String keyPrefix(String orElse) {
        return keyPrefix == null ? orElse : keyPrefix;
    }

    /**
     * Adds every problem to {@code v}: no connection, no limit, a limit too slow for the script, a
     * non-positive timeout, fewer than one expected instance, a bad lease, a prefix splitting slots.
     */
    public Validation check(Validation v, KeyLayout layout, String sharedName) {
        v.check(script != null, "connection", "set (a Lettuce StatefulRedisConnection or StatefulRedisClusterConnection)", "unset")
                .check(!limits.isEmpty(), "limit", "set at least once", "unset")
                .positive("timeout", timeout())
                .atLeast("expectedInstances", expectedInstances(), 1)
                .atLeast("maxKeys", maxKeys(), 1);
        for (Rate r : limits) {
            String problem = RedisDecider.spanProblem(r);
            v.check(problem == null, "limit", "at most 2^52 ns (about 52 days) from empty to full", problem);
        }
        if (leasePermits != null) {
            long smallestBurst = limits.stream().mapToLong(Rate::burst).min().orElse(Long.MAX_VALUE);
            v.between("lease permits", leasePermits, 2, smallestBurst)
                    .check(leaseTime != null && !leaseTime.isNegative() && !leaseTime.isZero(), "lease time", "positive",
                            leaseTime);
        }
        String slots = layout.slotProblem(sharedName);
        v.check(slots == null, "keyPrefix", "one Redis Cluster slot per decision", slots);
        return v;
    }
}
