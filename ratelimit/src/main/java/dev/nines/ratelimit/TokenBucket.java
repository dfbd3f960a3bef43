package dev.nines.ratelimit;

import dev.nines.Sleeper;
import dev.nines.AsyncCall;
import dev.nines.CallContext;
import dev.nines.Next;
import dev.nines.Ticker;
import dev.nines.Reconfigurable;
import dev.nines.internal.Names;
import dev.nines.internal.Reconfiguration;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.PolicyKinds;
import dev.nines.ratelimit.internal.BucketCell;
import dev.nines.ratelimit.internal.Gcra;
import dev.nines.ratelimit.internal.LimiterPolicy;
import dev.nines.ratelimit.internal.LimitSpec;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A lock-free token bucket with one {@link Rate}: capacity (burst) and refill rate set separately,
 * refilled continuously to the nanosecond.
 *
 * <p><b>How.</b> The whole state is one {@code long}, the theoretical instant at which the bucket is
 * empty (GCRA, "virtual scheduling"): the tokens at time {@code now} are derived from it, so refill
 * costs nothing, an idle bucket is simply full, and nothing overflows after days idle. A decision
 * reads the ticker once and makes one CAS, retried on fresh state only when another thread won; no
 * lock, no allocation. Time is kept in 1/16 ns fixed point, so fractional nanoseconds per permit are
 * honoured to 1/16 ns and rounded up so the bucket never exceeds its rate; its long-run rate is
 * {@link Rate#effectivePermits()}, exact for most limits and at worst 5.9% low just below one
 * permit per nanosecond (see {@link Rate}).
 *
 * <p><b>Capacity.</b> The state spans about 4.5 years of reservations and refill, so a whole burst
 * must refill within that: {@code burst × period / permits <= 2^57 ns}. At slow rates this bounds
 * the burst (at most 1,667 at one per day); {@link Rate.Builder#build()} rejects larger ones. An
 * idle bucket is read as full for up to about 27 years of idleness; {@link #acquire(long, Duration)}
 * timeouts are capped at 4.5 years.
 *
 * <p><b>Fairness.</b> {@link #acquire(long, Duration)} reserves in arrival order; a later
 * {@link #tryAcquire(long)} does not overtake waiters (it fails while permits are reserved). An
 * interrupted waiter's permits are given back only if nobody has reserved or taken since; otherwise
 * they lapse, so that nobody who came later is served before a waiter already asleep.
 *
 * <p><b>Reconfiguration.</b> {@link #reconfigure} (or {@link #setLimit}) settles the bucket at one
 * ticker reading: the old rate refills up to that instant, the tokens then held (or owed to
 * reservations) are kept, capped at the new burst, and the new rate refills from then on. No permit
 * is created by a change, however many calls race with it.
 *
 * <p>Build with {@link RateLimiter#builder(String)} or {@link #of(Rate)}. Thread-safe.
 */
public final class TokenBucket implements RateLimiter, Reconfigurable<RateLimiterConfig> {

    private volatile RateLimiterConfig config; // never read by a decision: those read the cell
    private final String name;
    private final Ticker ticker;
    private final Sleeper sleeper;
    private final MetricsSink metrics;
    private final ReentrantLock reconfiguring = new ReentrantLock(); // setLimits only, never the hot path
    /** Acquires asleep now, waiting for permits they reserved: the waiting path alone counts them. */
    private final AtomicInteger sleeping = new AtomicInteger();
    private volatile BucketCell cell;

    TokenBucket(RateLimiterConfig config) {
        this.config = config;
        this.name = config.name();
        this.ticker = config.ticker();
        this.sleeper = config.sleeper();
        this.metrics = config.metrics();
        this.cell = BucketCell.full(new LimitSpec(config.limits().get(0)), Gcra.units(ticker.read()));
        metrics.registerGauge(name, PolicyKinds.RATE_LIMITER, AVAILABLE_PERMITS_GAUGE, this::availablePermits);
        Waits.record("TokenBucket", name, sleeping, reconfiguring);
    }

    /**
     * A bucket with {@code limit}, the system ticker and the default metrics sink, under a fresh
     * name no other limiter made this way shares: {@code rate-limiter-1}, {@code rate-limiter-2}, …
     */
    public static TokenBucket of(Rate limit) {
        return (TokenBucket) RateLimiter.builder(Names.fresh("rate-limiter")).limit(limit).build();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public RateLimiterConfig config() {
        return config;
    }

    /**
     * A builder holding this bucket's current settings (its limit as last set), what was never set
     * staying unset; its first
     * {@link RateLimiterBuilder#limit(Rate) limit(...)} replaces the limit.
     */
    public RateLimiterBuilder toBuilder() {
        return new RateLimiterBuilder(config);
    }

    @Override
    public boolean tryAcquire() {
        return BucketCell.reserve(cell, 1, Gcra.units(ticker.read()), 0) == 0;
    }

    @Override
    public boolean tryAcquire(long permits) {
        return BucketCell.reserve(cell, permits, Gcra.units(ticker.read()), 0) == 0;
    }

    @Override
    public long tryAcquireOrWaitNanos(long permits) {
        long r = BucketCell.reserve(cell, permits, Gcra.units(ticker.read()), 0);
        return r == 0 ? 0 : Gcra.nanosCeil(-r);
    }

    @Override
    public AcquireResult tryAcquireDetailed(long permits) {
        long nowU = Gcra.units(ticker.read());
        long r = BucketCell.reserve(cell, permits, nowU, 0);
        return new AcquireResult(r == 0, BucketCell.available(cell, nowU), r == 0 ? 0 : Gcra.nanosCeil(-r));
    }

    @Override
    public boolean acquire(long permits, Duration timeout) throws InterruptedException {
        long maxWaitUnits = Gcra.units(Waits.clampTimeout(timeout));
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        BucketCell c = cell;
        long nowU = Gcra.units(ticker.read());
        long d = BucketCell.take(c, permits, nowU, maxWaitUnits);
        if (d == BucketCell.REFUSED || d <= 0) {
            return d != BucketCell.REFUSED;
        }
        sleeping.incrementAndGet();
        try {
            sleeper.sleep(Gcra.nanosCeil(d));
            return true;
        } catch (Throwable t) { // interrupted (or a failing sleeper): given back unless someone queued behind
            BucketCell.giveBack(c, permits, nowU + d, Gcra.units(ticker.read()));
            throw t;
        } finally {
            sleeping.decrementAndGet();
        }
    }

    @Override
    public long availablePermits() {
        return BucketCell.available(cell, Gcra.units(ticker.read()));
    }

    /** The current limit. */
    public Rate limit() {
        return cell.spec().limit();
    }

    @Override
    public List<Rate> limits() {
        return List.of(limit());
    }

    /**
     * Replaces the limit at runtime, keeping the permits held (capped at the new burst); the same as
     * {@link #reconfigure} with only the limit changed.
     */
    public void setLimit(Rate limit) {
        Objects.requireNonNull(limit, "limit");
        apply(null, limit);
    }

    /**
     * Takes {@code config}'s limit, keeping the state: the old rate refills up to the reading at
     * which the change is made, the tokens then held (or owed to pending reservations) are kept,
     * capped at the new burst, and the new rate refills from that reading on. Waiters already asleep
     * keep their wake-up time. Nothing else can change: the name, ticker, sleeper and metrics sink
     * must be those this bucket was built with, and the config must hold one limit.
     *
     * @throws IllegalArgumentException naming what was refused; the current limit stays
     */
    @Override
    public void reconfigure(RateLimiterConfig config) {
        Objects.requireNonNull(config, "config");
        apply(config, config.limits().get(0));
    }

    /** Seals the cell at one reading under the lock; {@code next} null means "this config, new limit". */
    private void apply(RateLimiterConfig next, Rate limit) {
        LimitSpec spec = new LimitSpec(limit);
        reconfiguring.lock();
        try {
            RateLimiterConfig current = config;
            if (next == null) {
                next = Waits.withLimits(current, List.of(limit));
            } else {
                Waits.checkReconfigure("TokenBucket", current, next, 1);
            }
            cell = cell.seal(spec, Gcra.units(ticker.read()));
            config = next;
        } finally {
            reconfiguring.unlock();
            // a limiter built for a config registered its own gauge under this name: take it back
            metrics.registerGauge(name, PolicyKinds.RATE_LIMITER, AVAILABLE_PERMITS_GAUGE, this::availablePermits);
        }
        Reconfiguration.report(metrics, name);
    }

    @Override
    public void setLimits(List<Rate> limits) {
        Waits.checkCount(limits, 1);
        setLimit(limits.get(0));
    }

    @Override
    public <T> T execute(CallContext context, Callable<T> call, Next next) throws Exception {
        return LimiterPolicy.execute(name, metrics, ticker, tryAcquireOrWaitNanos(1), context, call, next);
    }

    @Override
    public <T> CompletionStage<T> executeAsync(CallContext context, AsyncCall<T> call, Next next) {
        return LimiterPolicy.executeAsync(name, metrics, ticker, tryAcquireOrWaitNanos(1), context, call, next);
    }

    @Override
    public String toString() {
        return "TokenBucket[" + name + ", " + limit() + "]";
    }
}
