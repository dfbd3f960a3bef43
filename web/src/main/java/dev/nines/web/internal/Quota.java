package dev.nines.web.internal;

import dev.nines.Policy;
import dev.nines.ratelimit.AcquireResult;
import dev.nines.ratelimit.KeyedRateLimiter;
import dev.nines.ratelimit.Limit;
import dev.nines.ratelimit.RateLimiter;
import java.util.List;
import java.util.Map;

/**
 * The rate limit of an endpoint, checked before anything else runs so that its remaining quota can
 * go into the response headers: a limiter shared by every client, or one bucket per client key.
 */
public abstract class Quota {

    /** The limiter behind {@code policy}, or {@code null} if it is not a rate limiter. */
    public static Quota of(Policy policy) {
        if (policy instanceof KeyedRateLimiter keyed) {
            return new Quota(keyed.name(), List.of(keyed.limit())) {
                @Override
                AcquireResult take(String key) {
                    return keyed.tryAcquireDetailed(key, 1);
                }
            };
        }
        if (policy instanceof RateLimiter shared) {
            return new Quota(shared.name(), shared.limits()) {
                @Override
                AcquireResult take(String key) {
                    return shared.tryAcquireDetailed(1);
                }
            };
        }
        return null;
    }

    private final String name;
    private final List<Limit> limits;

    private Quota(String name, List<Limit> limits) {
        this.name = name;
        this.limits = List.copyOf(limits);
    }

    abstract AcquireResult take(String key);

    /**
     * Takes one permit for {@code key}.
     *
     * @return the decision and the headers describing the quota after it
     */
    public Decision check(String key) {
        AcquireResult r = take(key);
        return new Decision(r.acquired(), r.nanosToWait(),
                RateLimitHeaders.of(name, limits, r));
    }

    /** The limiter's name. */
    public String name() {
        return name;
    }

    /**
     * One rate-limit decision.
     *
     * @param acquired    whether the request may go on
     * @param nanosToWait when it was refused, how long until a permit
     * @param headers     the {@code RateLimit-Policy} and {@code RateLimit} headers
     */
    public record Decision(boolean acquired, long nanosToWait, Map<String, String> headers) {
    }
}
