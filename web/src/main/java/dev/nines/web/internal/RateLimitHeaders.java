package dev.nines.web.internal;

import dev.nines.ratelimit.AcquireResult;
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
 * {@code "api-1"}, ...); {@code RateLimit} describes the one the limiter reports as binding
 * ({@link AcquireResult#bindingLimit()}): the limit with the fewest permits left after a grant, the
 * one with the longest wait after a refusal. With 100/s and 5/min, the fifth request in a second is
 * told {@code "api-1";r=0;t=60} and the sixth gets 429 with {@code Retry-After: 12} and the same
 * item. On a refusal {@code t} is never less than {@code Retry-After}.
 */
public final class RateLimitHeaders {

    private RateLimitHeaders() {
    }

    /** Both headers for a limiter named {@code policy} with {@code limits}, after decision {@code r}. */
    public static Map<String, String> of(String policy, List<Limit> limits, AcquireResult r) {
        Map<String, String> headers = new LinkedHashMap<>();
        StringBuilder policies = new StringBuilder();
        for (int i = 0; i < limits.size(); i++) {
            Limit l = limits.get(i);
            policies.append(i == 0 ? "" : ", ").append(item(policy, i, limits.size()))
                    .append(";q=").append(l.permits()).append(";w=").append(secondsUp(l.period().toNanos()));
        }
        headers.put("RateLimit-Policy", policies.toString());
        long left = r.acquired() ? Math.max(0, r.remainingPermits()) : 0;
        int binding = Math.min(Math.max(0, r.bindingLimit()), limits.size() - 1);
        Limit l = limits.get(binding);
        // a token bucket is whole again when it has refilled to its burst; after a refusal it is
        // nanosToWait from its next permit and burst - 1 intervals from the rest
        double interval = l.period().toNanos() / (double) l.permits();
        double whole = r.acquired() ? (l.burst() - left) * interval : (l.burst() - 1) * interval + r.nanosToWait();
        long reset = secondsUp((long) Math.min(Long.MAX_VALUE, whole));
        headers.put("RateLimit", item(policy, binding, limits.size()) + ";r=" + left + ";t=" + reset);
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
