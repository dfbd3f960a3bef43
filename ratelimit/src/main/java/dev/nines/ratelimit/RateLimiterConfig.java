package dev.nines.ratelimit;

import dev.nines.Sleeper;
import dev.nines.Ticker;
import dev.nines.internal.PolicyWiring;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.MetricsSink;
import java.util.List;

/**
 * The settings a {@link RateLimiter} was built with, defaults resolved: its name, its limits, its
 * ticker, sleeper and metrics sink. Made only by {@link RateLimiterBuilder#build()}; read it through
 * {@link RateLimiter#config()}. A local limiter's {@code config()} is the one in force: after
 * {@link RateLimiter#setLimits} or {@code reconfigure}, it holds the limits set. Not final: another implementation's config (the Redis limiter's)
 * extends it with its own settings, so {@link RateLimiter#config()} stays typed. Immutable and
 * thread-safe.
 */
@SuppressWarnings("exports") // the constructor's wiring is shared with the nines modules only
public class RateLimiterConfig {

    private final PolicyWiring wiring;
    private final List<Rate> limits;
    private final Sleeper sleeper; // as configured: null while unset, so toBuilder() keeps it unset

    /**
     * For {@link RateLimiterBuilder} and for the configs of other nines implementations (the Redis
     * limiter's), which add their own settings to these; {@code wiring} is a nines-internal type, so
     * no user code can call this.
     */
    protected RateLimiterConfig(PolicyWiring wiring, List<Rate> limits, Sleeper sleeper) {
        this.wiring = wiring;
        this.limits = List.copyOf(limits);
        this.sleeper = sleeper;
    }

    /** The name metrics, the registry and {@link RateLimitedException}s carry; no default. */
    public String name() {
        return wiring.name();
    }

    /**
     * The limits, in the order given; a permit is granted only when every one allows it. No default:
     * at least one is required.
     */
    public List<Rate> limits() {
        return limits;
    }

    /** The time source; default {@link Ticker#system()}. */
    public Ticker ticker() {
        return wiring.ticker();
    }

    /** How {@link RateLimiter#acquire(long, java.time.Duration)} waits; default {@link Sleeper#system()}. */
    public Sleeper sleeper() {
        return sleeper == null ? Sleeper.system() : sleeper;
    }

    /**
     * Where rejections, outcomes and the {@value RateLimiter#AVAILABLE_PERMITS_GAUGE} gauge go; default
     * {@link Metrics#getDefault()}, which forwards to the current default.
     */
    public MetricsSink metrics() {
        return wiring.metrics();
    }

    /** The name, ticker and metrics: for nines' own builders. */
    protected final PolicyWiring wiring() {
        return wiring;
    }

    /** The sleeper as configured, {@code null} while unset. */
    protected final Sleeper configuredSleeper() {
        return sleeper;
    }

    @Override
    public String toString() {
        return "RateLimiterConfig[name=" + name() + ", limits=" + limits + ", ticker=" + ticker() + ", sleeper="
                + sleeper() + "]";
    }
}
