package dev.nines.ratelimit;

import dev.nines.Policy;
import java.time.Duration;
import java.util.List;

/**
 * A lock-free rate limiter with one or more {@link Rate}s, taken all or nothing: with 100 per
 * second and 2,000 per minute, a permit is granted only when both allow it, and a refusal takes
 * from neither.
 *
 * <pre>{@code
 * RateLimiter limiter = RateLimiter.builder("search")
 *         .limit(Rate.perSecond(100))
 *         .limit(Rate.perMinute(2_000))
 *         .build();
 * if (limiter.tryAcquire()) { ... }              // on its own
 * limiter.call(() -> client.fetch(id));          // as a Policy: RateLimitedException when refused
 * }</pre>
 *
 * <p>A limiter with one limit is a {@link TokenBucket}, whose whole state is one {@code long}: a
 * decision is one ticker read and one CAS. With several limits it is a {@link MultiLimitRateLimiter}:
 * each limit is such a bucket and a decision is one ticker read and one CAS per limit; a refusal
 * writes nothing, and a permit briefly taken from one limit while another refuses is given back, as
 * far as that limit has not refilled over it since (so a concurrent caller may be refused
 * spuriously, never granted too much). Neither allocates on the success path. As a {@link Policy} it
 * never waits: it admits the call or throws {@link RateLimitedException} carrying the time until a
 * permit. It reports rejections (and, with a real sink, admitted calls' outcomes) with kind
 * {@link dev.nines.metrics.PolicyKinds#RATE_LIMITER} and a gauge {@value #AVAILABLE_PERMITS_GAUGE}.
 *
 * <p>Configure with {@link RateLimiterBuilder}; {@link #config()} shows the settings, and the local
 * implementations' {@code toBuilder()} derives a new limiter from them. Every implementation is
 * thread-safe; the clock is read once per decision.
 */
public interface RateLimiter extends Policy {

    /** The name of the gauge of currently available permits. */
    String AVAILABLE_PERMITS_GAUGE = "available_permits";

    /** Takes one permit if available now; never waits. */
    default boolean tryAcquire() {
        return tryAcquire(1);
    }

    /**
     * Takes {@code permits} if all are available now under every limit; never waits.
     *
     * @throws IllegalArgumentException if {@code permits < 1} or more than the smallest burst
     */
    default boolean tryAcquire(long permits) {
        return tryAcquireOrWaitNanos(permits) == 0;
    }

    /**
     * Takes {@code permits} if available now and returns 0; otherwise takes nothing and returns the
     * nanoseconds (at least 1) until they would be. Allocation-free: the form policies use.
     *
     * @throws IllegalArgumentException if {@code permits < 1} or more than the smallest burst
     */
    long tryAcquireOrWaitNanos(long permits);

    /**
     * Like {@link #tryAcquire(long)}, and also reports the permits left and the wait until
     * {@code permits} would be available. Meant for responses that carry rate-limit headers; it costs
     * more than {@link #tryAcquireOrWaitNanos(long)}: it allocates its result (one small record,
     * about 40 bytes, on every call, granted or not) and reads each limit's state again after the
     * decision (with several limits, twice more: the permits left and the binding limit), though the
     * clock is still read once.
     */
    AcquireResult tryAcquireDetailed(long permits);

    /**
     * Takes {@code permits}, waiting for them if needed, for at most {@code timeout}. Waiters are
     * served in arrival order: the permits are reserved at once and the thread sleeps until they
     * are due. When the wait would exceed the timeout this returns {@code false} immediately,
     * reserving nothing.
     *
     * @return whether the permits were taken
     * @throws InterruptedException if interrupted while waiting; the reservation is given back if
     *     nobody has reserved or taken since, and otherwise lapses, so that no later caller is
     *     served before a waiter already asleep
     * @throws IllegalArgumentException if {@code permits < 1} or more than the smallest burst
     */
    boolean acquire(long permits, Duration timeout) throws InterruptedException;

    /** Whole permits available now under every limit (0 while reservations are pending). */
    long availablePermits();

    /** The current limits, in the order they were given. */
    List<Rate> limits();

    /**
     * Replaces the limits at runtime, keeping the state: each bucket keeps the permits it holds (or
     * owes to pending reservations), capped at the new burst, and refills at the new rate from now.
     * Waiters already sleeping keep their wake-up time.
     *
     * @throws IllegalArgumentException if the number of limits differs from the current one
     */
    void setLimits(List<Rate> limits);

    /** The settings this limiter was built with, defaults resolved. */
    RateLimiterConfig config();

    /**
     * Starts a local (in-process) limiter called {@code name}, the name its metrics, registry entry
     * and rejections carry; add at least one {@link Rate}.
     */
    static RateLimiterBuilder builder(String name) {
        return new RateLimiterBuilder(name);
    }
}
