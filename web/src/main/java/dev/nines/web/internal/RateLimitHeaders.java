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
 */
public final class RateLimitHeaders {

    private RateLimitHeaders() {
    }

    /** Both headers for a limiter named {@code policy} with {@code limits}, after a decision. */
    public static Map<String, String> of(String policy, List<Limit> limits, long remaining) {
        Map<String, String> headers = new LinkedHashMap<>();
        StringBuilder policies = new StringBuilder();
        for (int i = 0; i < limits.size(); i++) {
            Limit l = limits.get(i);
            policies.append(i == 0 ? "" : ", ").append(item(policy, i, limits.size()))
                    .append(";q=").append(l.permits()).append(";w=").append(secondsUp(l.period().toNanos()));
        }
        headers.put("RateLimit-Policy", policies.toString());
        // for a token bucket the quota is whole again when the bucket has refilled to its burst
        Limit first = limits.get(0);
        long missing = Math.max(0, first.burst() - remaining);
        double nanosPerPermit = first.period().toNanos() / (double) first.permits();
        long reset = secondsUp((long) Math.min(Long.MAX_VALUE, missing * nanosPerPermit));
        headers.put("RateLimit", item(policy, 0, limits.size()) + ";r=" + Math.max(0, remaining) + ";t=" + reset);
        return headers;
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
