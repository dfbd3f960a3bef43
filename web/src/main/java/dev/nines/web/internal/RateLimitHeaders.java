package dev.nines.web.internal;

import dev.nines.ratelimit.Limit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The IETF {@code RateLimit-Policy} and {@code RateLimit} header fields
 * (draft-ietf-httpapi-ratelimit-headers): {@code RateLimit-Policy: "api";q=100;w=60} advertises the
 * quota, {@code RateLimit: "api";r=42;t=35} what is left and the seconds until the quota is whole
 * again.
 *
 * <p><b>Several limits.</b> {@code RateLimit-Policy} lists every limit ({@code "api-0"},
 * {@code "api-1"}, ...); {@code RateLimit} describes the binding one, the limit with the fewest
 * permits left (after a grant) or the longest wait (after a refusal). The limiter reports only that
 * count and that wait, not which limit they belong to, so the limit is the one that can explain
 * them and is drained first: after a grant, the smallest burst that can still hold {@code r} (a
 * burst of requests empties it first); after a refusal, the shortest refill interval that can be
 * that wait away from its next permit. With 100/s and 5/min, the fifth request in a second is told
 * {@code "api-1";r=0;t=60} and the sixth gets 429 with {@code Retry-After: 12} and the same item.
 * On a refusal {@code t} is never less than {@code Retry-After}.
 */
public final class RateLimitHeaders {

    private RateLimitHeaders() {
    }

    /**
     * Both headers for a limiter named {@code policy} with {@code limits}, after a decision.
     *
     * @param acquired    whether the request was granted
     * @param remaining   whole permits left, the fewest across the limits
     * @param nanosToWait after a refusal, the wait until a permit (the longest across the limits)
     */
    public static Map<String, String> of(String policy, List<Limit> limits, boolean acquired, long remaining,
            long nanosToWait) {
        Map<String, String> headers = new LinkedHashMap<>();
        StringBuilder policies = new StringBuilder();
        for (int i = 0; i < limits.size(); i++) {
            Limit l = limits.get(i);
            policies.append(i == 0 ? "" : ", ").append(item(policy, i, limits.size()))
                    .append(";q=").append(l.permits()).append(";w=").append(secondsUp(l.period().toNanos()));
        }
        headers.put("RateLimit-Policy", policies.toString());
        long left = acquired ? Math.max(0, remaining) : 0;
        int binding = acquired ? fewestLeft(limits, left) : longestWait(limits, nanosToWait);
        Limit l = limits.get(binding);
        // a token bucket is whole again when it has refilled to its burst; after a refusal it is
        // nanosToWait from its next permit and burst - 1 intervals from the rest
        double interval = l.period().toNanos() / (double) l.permits();
        double whole = acquired ? (l.burst() - left) * interval : (l.burst() - 1) * interval + nanosToWait;
        long reset = secondsUp((long) Math.min(Long.MAX_VALUE, whole));
        headers.put("RateLimit", item(policy, binding, limits.size()) + ";r=" + left + ";t=" + reset);
        return headers;
    }

    /** After a grant: the smallest burst that can hold {@code left}; the slower limit on a tie. */
    private static int fewestLeft(List<Limit> limits, long left) {
        int best = 0;
        for (int i = 1; i < limits.size(); i++) {
            Limit l = limits.get(i);
            Limit b = limits.get(best);
            boolean fits = l.burst() >= left;
            boolean bestFits = b.burst() >= left;
            if (fits && (!bestFits || l.burst() < b.burst()
                    || l.burst() == b.burst() && intervalNanos(l) > intervalNanos(b))) {
                best = i;
            }
        }
        return best;
    }

    /**
     * After a refusal: the shortest refill interval that can be {@code wait} from its next permit;
     * if none can (reservations are pending), the longest interval.
     */
    private static int longestWait(List<Limit> limits, long wait) {
        int best = -1;
        int slowest = 0;
        for (int i = 0; i < limits.size(); i++) {
            long interval = intervalNanos(limits.get(i));
            // a bucket is never more than one interval from its next permit; +1 for the limiter's rounding
            if (interval + 1 >= wait && (best < 0 || interval < intervalNanos(limits.get(best)))) {
                best = i;
            }
            if (interval > intervalNanos(limits.get(slowest))) {
                slowest = i;
            }
        }
        return best >= 0 ? best : slowest;
    }

    /** The nanoseconds to refill one permit, rounded up. */
    private static long intervalNanos(Limit l) {
        long period = l.period().toNanos();
        return period / l.permits() + (period % l.permits() == 0 ? 0 : 1);
    }

    /** {@code Retry-After} in whole seconds, rounded up. */
    public static long secondsUp(long nanos) {
        if (nanos <= 0) {
            return 0;
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(nanos);
        return TimeUnit.SECONDS.toNanos(seconds) == nanos ? seconds : seconds + 1;
    }

    private static String item(String policy, int index, int count) {
        String name = count == 1 ? policy : policy + "-" + index;
        return '"' + name.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
