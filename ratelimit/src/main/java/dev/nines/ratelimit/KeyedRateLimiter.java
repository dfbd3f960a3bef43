package dev.nines.ratelimit;

import dev.nines.CallContext;
import dev.nines.Policy;
import java.util.List;

/**
 * A rate limiter with one bucket per client key: per-client limits. Every key has the same
 * {@linkplain #limits() limits}, taken all or nothing, and keys do not share permits.
 *
 * <pre>{@code
 * KeyedRateLimiter perClient = KeyedRateLimiter.builder("per-client")
 *         .limit(Rate.perSecond(10))
 *         .build();
 * if (perClient.tryAcquire(clientId)) { ... }               // on its own
 * perClient.call(CallContext.empty().withKey(clientId), c -> client.fetch(id)); // as a Policy
 * }</pre>
 *
 * <p>{@link #builder(String)} builds the in-process {@link LocalKeyedRateLimiter}; other
 * implementations (the fleet-wide one of the {@code nines-redis} module) have builders of their own.
 * {@code @WithRateLimit} and the web endpoint guard find a keyed limiter registered under a name by
 * this interface, so any implementation serves them. As a {@link Policy} the key is
 * {@link CallContext#key()}; calls without a key share the bucket of {@link #ANONYMOUS_KEY}; a refused
 * call fails with {@link RateLimitedException} carrying the wait.
 *
 * <p>Every implementation is thread-safe.
 */
public interface KeyedRateLimiter extends Policy {

    /** The key of calls whose context carries none. */
    String ANONYMOUS_KEY = "";

    /** The name of the gauge of keys currently tracked (by implementations that track keys in-process). */
    String KEYS_GAUGE = "keys";

    /** Takes one permit from {@code key}'s bucket if available now; never waits. */
    default boolean tryAcquire(String key) {
        return tryAcquire(key, 1);
    }

    /**
     * Takes {@code permits} from {@code key}'s bucket if available now under every limit; never waits.
     *
     * @throws IllegalArgumentException if {@code permits < 1} or more than the smallest burst
     */
    default boolean tryAcquire(String key, long permits) {
        return tryAcquireOrWaitNanos(key, permits) == 0;
    }

    /**
     * Takes {@code permits} from {@code key}'s bucket and returns 0, or takes nothing and returns the
     * nanoseconds (at least 1) until they would be available: the form policies use.
     *
     * @throws IllegalArgumentException if {@code permits < 1} or more than the smallest burst
     */
    long tryAcquireOrWaitNanos(String key, long permits);

    /**
     * Like {@link #tryAcquire(String, long)}, also reporting the permits left and the wait (what the
     * {@code RateLimit} and {@code Retry-After} headers need).
     *
     * @throws IllegalArgumentException if {@code permits < 1} or more than the smallest burst
     */
    AcquireResult tryAcquireDetailed(String key, long permits);

    /** Whole permits {@code key} could take now under every limit; a key never seen has full buckets. */
    long availablePermits(String key);

    /** The limits of every key's buckets, in the order they were given. */
    List<Rate> limits();

    /**
     * Starts a local (in-process) keyed limiter called {@code name}, the name its metrics, registry
     * entry and rejections carry; give it the {@linkplain KeyedRateLimiterBuilder#limit(Rate) limit}
     * of every key's bucket.
     */
    static KeyedRateLimiterBuilder builder(String name) {
        return new KeyedRateLimiterBuilder(name);
    }
}
