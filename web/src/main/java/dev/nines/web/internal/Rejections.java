package dev.nines.web.internal;

import dev.nines.RejectedCallException;
import dev.nines.ratelimit.RateLimitedException;
import dev.nines.shedding.ShedException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a rejection into an HTTP answer: 429 for a rate limit, 503 for everything else (shed,
 * breaker open, bulkhead full, timed out), with {@code Retry-After} in whole seconds rounded up and
 * an {@code application/problem+json} body (RFC 9457). Stateless and thread-safe; answers are
 * immutable.
 */
public final class Rejections {

    /** The media type of the bodies. */
    public static final String PROBLEM_JSON = "application/problem+json";

    private Rejections() {
    }

    /** The answer to send for {@code e}. */
    public static Answer answer(RejectedCallException e) {
        boolean rateLimited = e instanceof RateLimitedException;
        int status = rateLimited ? 429 : 503;
        // a shed request with no better estimate is told to come back in a second
        long retryAfterNanos = e.retryAfterNanos() >= 0 ? e.retryAfterNanos() : (e instanceof ShedException ? 1_000_000_000L : -1);
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "urn:nines:problem:" + kind(e));
        body.put("title", rateLimited ? "Too Many Requests" : "Service Unavailable");
        body.put("status", status);
        body.put("detail", String.valueOf(e.getMessage()));
        body.put("policy", e.policyName());
        if (retryAfterNanos >= 0) {
            long seconds = RateLimitHeaders.secondsUp(retryAfterNanos);
            headers.put("Retry-After", Long.toString(seconds));
            body.put("retryAfterSeconds", seconds);
        }
        if (e instanceof ShedException shed) {
            body.put("priority", shed.priority().name());
            body.put("tier", shed.tier().name());
        }
        return new Answer(status, headers, Json.object(body));
    }

    private static String kind(RejectedCallException e) {
        if (e instanceof RateLimitedException) {
            return "rate-limited";
        }
        if (e instanceof ShedException) {
            return "shed";
        }
        // circuit-breaker-open, bulkhead-full, timeout ... from the class name, no dependency needed
        String simple = e.getClass().getSimpleName().replace("Exception", "");
        return simple.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * An HTTP answer.
     *
     * @param status  the status code
     * @param headers headers to add
     * @param body    the problem+json body
     */
    public record Answer(int status, Map<String, String> headers, String body) {
    }
}
