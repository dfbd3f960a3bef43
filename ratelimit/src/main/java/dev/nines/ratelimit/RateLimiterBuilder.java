package dev.nines.ratelimit;

import dev.nines.Sleeper;
import dev.nines.internal.PolicyBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Configures a {@link RateLimiter}: its limits, and the name, ticker, sleeper and metrics every
 * policy has. Start with {@link RateLimiter#builder(String)}, or derive one from a built limiter
 * with {@link TokenBucket#toBuilder()} / {@link MultiLimitRateLimiter#toBuilder()}.
 *
 * <pre>{@code
 * RateLimiter limiter = RateLimiter.builder("search")
 *         .limit(Rate.perSecond(100))
 *         .limit(Rate.perMinute(2_000))
 *         .build();
 * }</pre>
 *
 * <p>Setters only store (a {@code null} fails at once); {@link #build()} checks everything and
 * reports every invalid setting at once. What was never set stays unset, also in a
 * {@code toBuilder()} copy, so its {@code build()} resolves the defaults of that moment. Not
 * thread-safe.
 */
@SuppressWarnings("exports") // the base is shared with the nines modules only; its public setters are API
public final class RateLimiterBuilder extends PolicyBuilder<RateLimiterBuilder> {

    private final List<Rate> limits = new ArrayList<>();
    private boolean inherited; // limits copied from a built limiter: the first limit(...) replaces them
    private Sleeper sleeper;

    RateLimiterBuilder(String name) {
        super(name);
    }

    RateLimiterBuilder(RateLimiterConfig from) {
        super(from.wiring());
        this.limits.addAll(from.limits());
        this.inherited = true;
        this.sleeper = from.configuredSleeper();
    }

    /**
     * Adds a limit; every limit must allow a permit for it to be granted. In a {@code toBuilder()}
     * copy the first call replaces the limits of the limiter it was made from, and later calls add.
     */
    public RateLimiterBuilder limit(Rate limit) {
        Objects.requireNonNull(limit, "limit");
        if (inherited) {
            limits.clear();
            inherited = false;
        }
        limits.add(limit);
        return this;
    }

    /** How blocking acquires wait; default {@link Sleeper#system()}. */
    public RateLimiterBuilder sleeper(Sleeper sleeper) {
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        return this;
    }

    /**
     * Builds a {@link TokenBucket} for one limit, a {@link MultiLimitRateLimiter} for several.
     *
     * @throws IllegalArgumentException naming every invalid setting and its value: a blank name, no limit
     */
    public RateLimiter build() {
        validation().check(!limits.isEmpty(), "limits", "at least one limit", limits).throwIfInvalid();
        RateLimiterConfig config = new RateLimiterConfig(wiring(), limits, sleeper);
        return limits.size() == 1 ? new TokenBucket(config) : new MultiLimitRateLimiter(config);
    }
}
