package dev.nines.web.internal;

import dev.nines.ratelimit.AcquireResult;
import dev.nines.ratelimit.Rate;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The IETF {@code RateLimit-Policy} and {@code RateLimit} header fields
 * (draft-ietf-httpapi-ratelimit-headers): {@code RateLimit-Policy: "api";q=20;w=2} advertises a
 * quota of {@code q} units per window of {@code w} seconds, {@code RateLimit: "api";r=19;t=1} the
 * units left now and the seconds until the quota is whole again.
 *
 * <p><b>A token bucket as a quota.</b> A bucket has no fixed window; what a client can know is
 * how much it may take at once (the burst) and how fast that comes back. So the window is the
 * time the bucket takes to refill its whole burst, rounded up to whole seconds:
 * {@code w = ceil(burst × period / permits)}, at least 1; and the quota is what the bucket
 * refills in that window, {@code q = floor(w × permits / period)}. When the burst refills in
 * whole seconds (the usual case) {@code q} is the burst, so {@code r} counts down from {@code q}
 * and an empty bucket is told {@code t = w}: {@code Rate.of(10, 1 s, 20)} is {@code q=20;w=2},
 * then {@code r=19}. When it does not, {@code q} is the burst scaled up to the whole-second window,
 * so that {@code q/w} still states the real rate rather than a fraction of it:
 * {@code Rate.of(10, 500 ms)} is {@code q=20;w=1}, not 10 per second. Either way {@code q/w}
 * never exceeds the bucket's rate, {@code r} never exceeds {@code q}, and {@code t} never exceeds
 * {@code w}.
 *
 * <p><b>Several limits.</b> {@code RateLimit-Policy} lists every limit ({@code "api-0"},
 * {@code "api-1"}, ...); {@code RateLimit} describes the one the limiter reports as binding
 * ({@link AcquireResult#bindingLimit()}): the limit with the fewest permits left after a grant, the
 * one with the longest wait after a refusal. With 100/s and 5/min, the fifth request in a second is
 * told {@code "api-1";r=0;t=60} and the sixth gets 429 with {@code Retry-After: 12} and the same
 * item. On a refusal {@code t} is never less than {@code Retry-After}.
 *
 * <p>Stateless and thread-safe.
 */
public final class RateLimitHeaders {

    private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);

    private RateLimitHeaders() {
    }

    /** Both headers for a limiter named {@code policy} with {@code limits}, after decision {@code r}. */
    public static Map<String, String> of(String policy, List<Rate> limits, AcquireResult r) {
        return of(policy(policy, limits), policy, limits, r);
    }

    /**
     * Both headers, with the {@code RateLimit-Policy} value already rendered by
     * {@link #policy(String, List)} for the same {@code limits}.
     */
    static Map<String, String> of(String policyHeader, String policy, List<Rate> limits, AcquireResult r) {
        return of(policyHeader, items(policy, limits.size()), limits, r);
    }

    /**
     * Both headers, with the {@code RateLimit-Policy} value and the quoted items of every limit
     * already rendered by {@link #policy(String, List)} and {@link #items(String, int)} for the same
     * {@code limits}: what a request pays is then the {@code r} and {@code t} numbers alone.
     */
    static Map<String, String> of(String policyHeader, String[] items, List<Rate> limits, AcquireResult r) {
        Map<String, String> headers = new LinkedHashMap<>(4);
        headers.put("RateLimit-Policy", policyHeader);
        long left = r.acquired() ? Math.max(0, r.remainingPermits()) : 0;
        int binding = Math.min(Math.max(0, r.bindingLimit()), limits.size() - 1);
        Rate l = limits.get(binding);
        // a token bucket is whole again when it has refilled to its burst; after a refusal it is
        // nanosToWait from its next permit and burst - 1 intervals from the rest
        double interval = l.period().toNanos() / (double) l.permits();
        double whole = r.acquired() ? (l.burst() - left) * interval : (l.burst() - 1) * interval + r.nanosToWait();
        long reset = secondsUp((long) Math.min(Long.MAX_VALUE, whole));
        headers.put("RateLimit", items[binding] + ";r=" + left + ";t=" + reset);
        return headers;
    }

    /** The {@code RateLimit-Policy} value for a limiter named {@code policy} with {@code limits}. */
    public static String policy(String policy, List<Rate> limits) {
        StringBuilder policies = new StringBuilder();
        for (int i = 0; i < limits.size(); i++) {
            Rate l = limits.get(i);
            long window = windowSeconds(l);
            policies.append(i == 0 ? "" : ", ").append(item(policy, i, limits.size()))
                    .append(";q=").append(quota(l, window)).append(";w=").append(window);
        }
        return policies.toString();
    }

    /** {@code ceil(burst × period / permits)} in whole seconds, at least 1; exact, no rounding of the rate. */
    static long windowSeconds(Rate l) {
        BigInteger refill = BigInteger.valueOf(l.burst()).multiply(BigInteger.valueOf(l.period().toNanos()));
        BigInteger perSecond = BigInteger.valueOf(l.permits()).multiply(NANOS_PER_SECOND);
        BigInteger[] qr = refill.divideAndRemainder(perSecond);
        BigInteger seconds = qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
        return Math.max(1, saturated(seconds));
    }

    /** {@code floor(window × permits / period)}: what the bucket refills in the window. */
    static long quota(Rate l, long windowSeconds) {
        BigInteger refilled = BigInteger.valueOf(windowSeconds).multiply(NANOS_PER_SECOND)
                .multiply(BigInteger.valueOf(l.permits()))
                .divide(BigInteger.valueOf(l.period().toNanos()));
        return saturated(refilled);
    }

    private static long saturated(BigInteger value) {
        return value.bitLength() < Long.SIZE ? value.longValue() : Long.MAX_VALUE;
    }

    /** {@code Retry-After} in whole seconds, rounded up. */
    public static long secondsUp(long nanos) {
        if (nanos <= 0) {
            return 0;
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(nanos);
        return TimeUnit.SECONDS.toNanos(seconds) == nanos ? seconds : seconds + 1;
    }

    /** The quoted item of each of {@code count} limits of the limiter {@code policy}, in order. */
    static String[] items(String policy, int count) {
        String[] items = new String[count];
        for (int i = 0; i < count; i++) {
            items[i] = item(policy, i, count);
        }
        return items;
    }

    private static String item(String policy, int index, int count) {
        String name = count == 1 ? policy : policy + "-" + index;
        return '"' + name.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
