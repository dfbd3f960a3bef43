package dev.nines.web.internal;

import dev.nines.Policy;
import dev.nines.internal.Validation;
import dev.nines.ratelimit.AcquireResult;
import dev.nines.ratelimit.KeyedRateLimiter;
import dev.nines.ratelimit.Rate;
import dev.nines.ratelimit.RateLimiter;
import java.util.List;
import java.util.Map;

/**
 * The rate limit of an endpoint, checked before anything else runs so that its remaining quota can
 * go into the response headers: a limiter shared by every client, or one bucket per client key.
 * Any implementation of {@link RateLimiter} or {@link KeyedRateLimiter} serves (the local ones, the
 * fleet-wide Redis ones): it is used through those interfaces only.
 *
 * <p>A shared {@link RateLimiter}'s limits can change at runtime ({@link RateLimiter#setLimits});
 * its limits are read after every decision, so the headers describe the limits that decided. The
 * rendered {@code RateLimit-Policy} is kept until the limits change. Thread-safe.
 */
public abstract class Quota {

    /**
     * The limiter behind {@code policy}, or {@code null} if it is not a rate limiter.
     *
     * @throws IllegalArgumentException if the limiter's name cannot be sent in the {@code RateLimit}
     *     headers: see {@link #checkName(String)}
     */
    public static Quota of(Policy policy) {
        if (policy instanceof KeyedRateLimiter || policy instanceof RateLimiter) {
            checkName(policy.name());
        }
        if (policy instanceof KeyedRateLimiter keyed) { // any implementation: local, Redis, ...
            return new Quota(keyed.name(), keyed.limits()) {
                @Override
                AcquireResult take(String key) {
                    return keyed.tryAcquireDetailed(key, 1);
                }

                @Override
                List<Rate> limits() {
                    return keyed.limits();
                }
            };
        }
        if (policy instanceof RateLimiter shared) {
            return new Quota(shared.name(), shared.limits()) {
                @Override
                AcquireResult take(String key) {
                    return shared.tryAcquireDetailed(1);
                }

                @Override
                List<Rate> limits() {
                    return shared.limits();
                }
            };
        }
        return null;
    }

    /**
     * Checks that a limiter's name can go into the {@code RateLimit-Policy} and {@code RateLimit}
     * headers, where it is a structured-field string (RFC 8941): printable ASCII, 0x20 to 0x7E, in
     * which {@code "} and {@code \\} are escaped when sent. Anything else (a letter outside ASCII, a
     * control character, CR or LF) would make the header invalid, or the response unsendable.
     *
     * @throws IllegalArgumentException {@code rate limiter name must be printable ASCII ... but was '...'},
     *     each character outside the range shown as a Java escape, so the message itself stays printable
     */
    static void checkName(String name) {
        boolean ok = true;
        StringBuilder shown = new StringBuilder("'");
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 0x20 && c <= 0x7E) {
                shown.append(c);
            } else {
                ok = false;
                shown.append(String.format("\\u%04x", (int) c));
            }
        }
        new Validation().check(ok, "rate limiter name",
                "printable ASCII (0x20 to 0x7E) to be sent in the RateLimit headers", shown.append('\'')).throwIfInvalid();
    }

    private final String name;
    private volatile Rendered rendered;

    private Quota(String name, List<Rate> limits) {
        this.name = name;
        this.rendered = render(List.copyOf(limits));
    }

    abstract AcquireResult take(String key);

    /** The limits now. */
    abstract List<Rate> limits();

    /**
     * Takes one permit for {@code key}.
     *
     * @return the decision and the headers describing the quota after it
     */
    public Decision check(String key) {
        AcquireResult r = take(key);
        List<Rate> limits = limits();
        Rendered current = rendered;
        if (!current.limits.equals(limits)) {
            current = render(List.copyOf(limits)); // a racing render computes the same text
            rendered = current;
        }
        return new Decision(r.acquired(), r.nanosToWait(),
                RateLimitHeaders.of(current.policyHeader, current.items, current.limits, r));
    }

    private Rendered render(List<Rate> limits) {
        return new Rendered(limits, RateLimitHeaders.policy(name, limits), RateLimitHeaders.items(name, limits.size()));
    }

    /** The limiter's name. */
    public String name() {
        return name;
    }

    /**
     * The {@code RateLimit-Policy} value of one set of limits, and the quoted item of each limit
     * for the {@code RateLimit} value (escaping the name once, not per request).
     */
    private record Rendered(List<Rate> limits, String policyHeader, String[] items) {
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
