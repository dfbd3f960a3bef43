package dev.nines.ratelimit;

import dev.nines.Ticker;
import dev.nines.internal.PolicyWiring;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.MetricsSink;

/**
 * The settings a {@link LocalKeyedRateLimiter} was built with, defaults resolved: its name, the limit of
 * every key's bucket, the most keys it tracks, its ticker and metrics sink. Made only by
 * {@link KeyedRateLimiterBuilder#build()}; read it through {@link LocalKeyedRateLimiter#config()}.
 * Immutable and thread-safe.
 */
public final class KeyedRateLimiterConfig {

    /** The default of {@link #maxKeys()}. */
    static final long DEFAULT_MAX_KEYS = 100_000;

    private final PolicyWiring wiring;
    private final Rate limit;
    private final Long maxKeys; // as configured: null while unset, so toBuilder() keeps it unset

    KeyedRateLimiterConfig(PolicyWiring wiring, Rate limit, Long maxKeys) {
        this.wiring = wiring;
        this.limit = limit;
        this.maxKeys = maxKeys;
    }

    /** The name metrics, the registry and {@link RateLimitedException}s carry; no default. */
    public String name() {
        return wiring.name();
    }

    /** The limit of every key's bucket; no default: exactly one is required. */
    public Rate limit() {
        return limit;
    }

    /** The hard bound on the keys tracked at once; default 100,000. */
    public long maxKeys() {
        return maxKeys == null ? DEFAULT_MAX_KEYS : maxKeys;
    }

    /** The time source, also the clock of the buckets' expiry; default {@link Ticker#system()}. */
    public Ticker ticker() {
        return wiring.ticker();
    }

    /**
     * Where rejections, outcomes and the {@value KeyedRateLimiter#KEYS_GAUGE} gauge go; default
     * {@link Metrics#getDefault()}, which forwards to the current default.
     */
    public MetricsSink metrics() {
        return wiring.metrics();
    }

    PolicyWiring wiring() {
        return wiring;
    }

    Long configuredMaxKeys() {
        return maxKeys;
    }

    @Override
    public String toString() {
        return "KeyedRateLimiterConfig[name=" + name() + ", limit=" + limit + ", maxKeys=" + maxKeys() + ", ticker="
                + ticker() + "]";
    }
}
