package dev.nines.web.internal;

import dev.nines.RejectedCallException;
import dev.nines.ratelimit.RateLimitedException;
import dev.nines.shedding.ShedException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a rejection into an HTTP answer: 429 for a rate limit, 503 for everything else (shed,
 * breaker open, bulkhead full, timed out), with {@code Retry-After} in whole seconds rounded up and
 * an {@code application/problem+json} body (RFC 9457).
 *
 * <p>Every answer carries {@code Retry-After}. When the policy knows when a retry may succeed (a
 * rate limit's next permit, an open breaker's remaining open time) that is the value; when it does
 * not (a full bulkhead, a breaker forced open or with every half-open probe out, a shed request,
 * a timeout) the value is {@value #UNKNOWN_RETRY_AFTER_SECONDS}: the shortest wait the header can
 * state other than 0, which would invite an immediate retry into the same condition, and short
 * enough that a client comes back as soon as capacity may have returned. Stateless and
 * thread-safe; answers are immutable.
 */
public final class Rejections {

    /** The media type of the bodies. */
    public static final String PROBLEM_JSON = "application/problem+json";

    /** {@code Retry-After} when the refusing policy does not know when a retry may succeed, in seconds. */
    public static final long UNKNOWN_RETRY_AFTER_SECONDS = 1;

    private Rejections() {
    }

    /** The answer to send for {@code e}. */
    public static Answer answer(RejectedCallException e) {
        boolean rateLimited = e instanceof RateLimitedException;
        int status = rateLimited ? 429 : 503;
        long known = e.retryAfterNanos();
        long seconds = known >= 0 ? RateLimitHeaders.secondsUp(known) : UNKNOWN_RETRY_AFTER_SECONDS;
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "urn:nines:problem:" + kind(e));
        body.put("title", rateLimited ? "Too Many Requests" : "Service Unavailable");
        body.put("status", status);
        body.put("detail", String.valueOf(e.getMessage()));
        body.put("policy", e.policyName());
        headers.put("Retry-After", Long.toString(seconds));
        body.put("retryAfterSeconds", seconds);
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
