package dev.nines.ratelimit;

import dev.nines.Sleeper;
import dev.nines.AsyncCall;
import dev.nines.CallContext;
import dev.nines.Next;
import dev.nines.Reconfigurable;
import dev.nines.Ticker;
import dev.nines.internal.Reconfiguration;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.PolicyKinds;
import dev.nines.ratelimit.internal.BucketCell;
import dev.nines.ratelimit.internal.Gcra;
import dev.nines.ratelimit.internal.LimitSpec;
import dev.nines.ratelimit.internal.LimiterPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link RateLimiter} with several limits, taken all or nothing: what
 * {@link RateLimiter#builder(String)} builds when given more than one {@link Rate}.
 *
 * <p><b>How.</b> Each limit is its own single-{@code long} bucket (see {@link BucketCell}). A
 * decision reads the ticker once and first only <em>looks</em> at every limit against that same
 * {@code now}: if any would refuse, it refuses having written nothing. Otherwise it takes from the
 * limits in their fixed order, one CAS each; if a later limit refuses after all (another thread won
 * the race for its last permit), the permits already taken from the earlier ones are given back,
 * at a fresh reading, unless that would put them ahead of a waiter, and only as far as no newer
 * decision has found that limit full since (see
 * {@link BucketCell#giveBack}): a give-back at the decision's own, older reading would credit a
 * refill the cap had already discarded. The success path therefore allocates nothing, takes no
 * lock and reads the clock once; a refusal after a lost race reads it once more per give-back.
 *
 * <p><b>Why exact.</b> Every limit on its own only ever has permits taken and, on a refusal, at
 * most the part of them it still withholds returned, so none grants more than it allows, and a
 * decision that ends in a refusal leaves every limit as it would have been without it, or with
 * fewer permits only where that limit would have filled to its burst in between. While permits are briefly held between the
 * take and the give-back, a concurrent decision may see fewer permits than there are and refuse
 * spuriously; it never sees more. Reconfiguration seals and replaces each limit's bucket in turn
 * (keeping its state, as {@link TokenBucket#setLimit} does), so a decision racing with it may apply
 * some limits before and some after the change, never creating a permit in any limit (a permit taken just before a reconfiguration and then
 * refused by another limit stays taken).
 * Thread-safe, lock-free on every decision.
 */
public final class MultiLimitRateLimiter implements RateLimiter, Reconfigurable<RateLimiterConfig> {

    private volatile RateLimiterConfig config; // never read by a decision: those read the cells
    private final String name;
    private final Ticker ticker;
    private final Sleeper sleeper;
    private final MetricsSink metrics;
    private final ReentrantLock reconfiguring = new ReentrantLock(); // setLimits only, never a decision
    /** Acquires asleep now, waiting for permits they reserved: the waiting path alone counts them. */
    private final AtomicInteger sleeping = new AtomicInteger();
    private volatile BucketCell[] cells; // never mutated: reconfiguration publishes a new array

    MultiLimitRateLimiter(RateLimiterConfig config) {
        this.config = config;
        this.name = config.name();
        this.ticker = config.ticker();
        this.sleeper = config.sleeper();
        this.metrics = config.metrics();
        List<Rate> limits = config.limits();
        BucketCell[] cs = new BucketCell[limits.size()];
        long nowU = Gcra.units(ticker.read());
        for (int i = 0; i < cs.length; i++) {
            cs[i] = BucketCell.full(new LimitSpec(limits.get(i)), nowU);
        }
        this.cells = cs;
        metrics.registerGauge(name, PolicyKinds.RATE_LIMITER, AVAILABLE_PERMITS_GAUGE, this::availablePermits);
        Waits.record("MultiLimitRateLimiter", name, sleeping, reconfiguring);
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
     * A builder holding this limiter's current settings (its limits as last set), what was never set
     * staying unset; its first
     * {@link RateLimiterBuilder#limit(Rate) limit(...)} replaces the limits.
     */
    public RateLimiterBuilder toBuilder() {
        return new RateLimiterBuilder(config);
    }

    @Override
    public long tryAcquireOrWaitNanos(long permits) {
        long r = reserve(permits, Gcra.units(ticker.read()), 0);
        return r == 0 ? 0 : Gcra.nanosCeil(-r);
    }

    @Override
    public AcquireResult tryAcquireDetailed(long permits) {
        long nowU = Gcra.units(ticker.read());
        long r = reserve(permits, nowU, 0);
        return new AcquireResult(r == 0, available(nowU), r == 0 ? 0 : Gcra.nanosCeil(-r),
                binding(permits, nowU, r == 0));
    }

    /**
     * The limit that decided, read from the state after the decision: after a grant the one with
     * the fewest permits left, after a refusal the one furthest from {@code permits}.
     */
    private int binding(long permits, long nowU, boolean granted) {
        BucketCell[] cs = cells;
        int best = 0;
        long bestValue = 0;
        for (int i = 0; i < cs.length; i++) {
            long value = granted ? -BucketCell.held(cs[i], nowU) : BucketCell.shortfall(cs[i], permits, nowU);
            if (i == 0 || value > bestValue) {
                best = i;
                bestValue = value;
            }
        }
        return best;
    }

    @Override
    public boolean acquire(long permits, Duration timeout) throws InterruptedException {
        long maxWaitUnits = Gcra.units(Waits.clampTimeout(timeout));
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        BucketCell[] cs = cells;
        long[] taken = new long[cs.length]; // the blocking form may allocate: what a give-back needs
        long r = reserve(cs, permits, Gcra.units(ticker.read()), maxWaitUnits, taken);
        if (r <= 0) {
            return r == 0;
        }
        sleeping.incrementAndGet();
        try {
            sleeper.sleep(Gcra.nanosCeil(r));
            return true;
        } catch (Throwable t) { // never used: given back to each limit unless someone queued behind
            long nowU = Gcra.units(ticker.read());
            for (int i = 0; i < cs.length; i++) {
                BucketCell.giveBack(cs[i], permits, taken[i], nowU);
            }
            throw t;
        } finally {
            sleeping.decrementAndGet();
        }
    }

    /** Same contract as {@link BucketCell#reserve}, for every limit at once. */
    private long reserve(long permits, long nowU, long maxWaitUnits) {
        return reserve(cells, permits, nowU, maxWaitUnits, null);
    }

    /** {@link #reserve(long, long, long)} on {@code cs}, recording each limit's new state in {@code taken} if given. */
    private long reserve(BucketCell[] cs, long permits, long nowU, long maxWaitUnits, long[] taken) {
        long wait = 0;
        for (BucketCell c : cs) { // look first (checking permits against every burst): refuse writing nothing
            wait = Math.max(wait, BucketCell.shortfall(c, permits, nowU));
        }
        if (wait > maxWaitUnits) {
            return -wait;
        }
        return takeFrom(cs, 0, permits, nowU, maxWaitUnits, taken);
    }

    /**
     * Takes from limits {@code i..} in order; if one refuses, gives back to the ones already taken.
     * Recursive (depth: the number of limits) so each level keeps its own taken state in a local,
     * allocation-free. A give-back reads the clock again: the permits may be returned only as far
     * as no newer decision has already found that limit full (see {@link BucketCell#giveBack}).
     */
    private long takeFrom(BucketCell[] cs, int i, long permits, long nowU, long maxWaitUnits, long[] taken) {
        if (i == cs.length) {
            return 0;
        }
        long d = BucketCell.take(cs[i], permits, nowU, maxWaitUnits);
        if (d == BucketCell.REFUSED) { // lost a race for this limit's permits (or a burst was lowered)
            return -Math.max(1L, BucketCell.shortfall(cs[i], permits, nowU));
        }
        if (taken != null) {
            taken[i] = nowU + d;
        }
        long rest;
        try {
            rest = takeFrom(cs, i + 1, permits, nowU, maxWaitUnits, taken);
        } catch (Throwable t) { // not expected (bursts are checked first); still, never keep a permit
            BucketCell.giveBack(cs[i], permits, nowU + d, Gcra.units(ticker.read()));
            throw t;
        }
        if (rest < 0) {
            BucketCell.giveBack(cs[i], permits, nowU + d, Gcra.units(ticker.read()));
            return rest;
        }
        return Math.max(rest, Math.max(d, 0));
    }

    @Override
    public long availablePermits() {
        return available(Gcra.units(ticker.read()));
    }

    private long available(long nowU) {
        long min = Long.MAX_VALUE;
        for (BucketCell c : cells) {
            min = Math.min(min, BucketCell.held(c, nowU));
        }
        return Math.max(0L, min);
    }

    @Override
    public List<Rate> limits() {
        List<Rate> result = new ArrayList<>();
        for (BucketCell c : cells) {
            result.add(c.spec().limit());
        }
        return List.copyOf(result);
    }

    @Override
    public void setLimits(List<Rate> limits) {
        Waits.checkCount(limits, cells.length);
        apply(null, limits);
    }

    /**
     * Takes {@code config}'s limits, each keeping its state as {@link TokenBucket#reconfigure} does
     * (tokens held kept, capped at the new burst; the old rate up to the change, the new one after),
     * all at one reading. The config must hold as many limits as this limiter, in the same order;
     * the name, ticker, sleeper and metrics sink cannot change.
     *
     * @throws IllegalArgumentException naming what was refused; the current limits stay
     */
    @Override
    public void reconfigure(RateLimiterConfig config) {
        Objects.requireNonNull(config, "config");
        apply(config, config.limits());
    }

    private void apply(RateLimiterConfig nextConfig, List<Rate> limits) {
        LimitSpec[] specs = new LimitSpec[limits.size()];
        for (int i = 0; i < specs.length; i++) {
            specs[i] = new LimitSpec(limits.get(i));
        }
        reconfiguring.lock();
        try {
            RateLimiterConfig current = config;
            if (nextConfig == null) {
                nextConfig = Waits.withLimits(current, limits);
            } else {
                Waits.checkReconfigure("MultiLimitRateLimiter", current, nextConfig, cells.length);
            }
            BucketCell[] old = cells;
            BucketCell[] next = new BucketCell[old.length];
            long nowU = Gcra.units(ticker.read());
            for (int i = 0; i < next.length; i++) {
                next[i] = old[i].seal(specs[i], nowU);
            }
            cells = next;
            config = nextConfig;
        } finally {
            reconfiguring.unlock();
            // a limiter built for a config registered its own gauge under this name: take it back
            metrics.registerGauge(name, PolicyKinds.RATE_LIMITER, AVAILABLE_PERMITS_GAUGE, this::availablePermits);
        }
        Reconfiguration.report(metrics, name);
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
        return "RateLimiter[" + name + ", " + limits() + "]";
    }
}
