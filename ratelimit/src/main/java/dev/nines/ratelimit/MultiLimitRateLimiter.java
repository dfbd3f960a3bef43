package dev.nines.ratelimit;

import dev.nines.Sleeper;
import dev.nines.AsyncCall;
import dev.nines.CallContext;
import dev.nines.Next;
import dev.nines.Ticker;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.PolicyKinds;
import dev.nines.ratelimit.internal.Gcra;
import dev.nines.ratelimit.internal.LimitSpec;
import dev.nines.ratelimit.internal.LimiterPolicy;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;

/**
 * A {@link RateLimiter} with several limits, taken all or nothing.
 *
 * <p><b>Why exact.</b> The limits and their states live in one immutable {@link Snapshot}, replaced
 * by one CAS of one reference: a decision reads a snapshot, checks every limit against the same
 * {@code now}, and publishes the new states of all limits at once, or retries on fresh state if
 * another thread published first. No thread ever sees some limits taken and others not, and a
 * refusal changes nothing. The price is one small snapshot (two objects, about 40 + 8 × limits
 * bytes) per granted call; refusals allocate nothing. Reconfiguration swaps the snapshot the same
 * way, so it is atomic with respect to every decision. Thread-safe, lock-free.
 */
final class MultiLimitRateLimiter implements RateLimiter {

    private static final VarHandle SNAPSHOT;

    static {
        try {
            SNAPSHOT = MethodHandles.lookup().findVarHandle(MultiLimitRateLimiter.class, "snapshot", Snapshot.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The limits and the {@code emptyAt} of each (see {@link Gcra}); never mutated. */
    private static final class Snapshot {
        final LimitSpec[] specs;
        final long[] emptyAt;

        Snapshot(LimitSpec[] specs, long[] emptyAt) {
            this.specs = specs;
            this.emptyAt = emptyAt;
        }
    }

    private final String name;
    private final Ticker ticker;
    private final Sleeper sleeper;
    private final MetricsSink metrics;
    private volatile Snapshot snapshot;

    MultiLimitRateLimiter(RateLimiter.Builder b, MetricsSink metrics) {
        this.name = b.name;
        this.ticker = b.ticker;
        this.sleeper = b.sleeper;
        this.metrics = metrics;
        int n = b.limits.size();
        LimitSpec[] specs = new LimitSpec[n];
        long[] emptyAt = new long[n];
        long nowU = Gcra.units(ticker.read());
        for (int i = 0; i < n; i++) {
            specs[i] = new LimitSpec(b.limits.get(i));
            emptyAt[i] = nowU - specs[i].capSpan();
        }
        this.snapshot = new Snapshot(specs, emptyAt);
        metrics.registerGauge(name, PolicyKinds.RATE_LIMITER, AVAILABLE_PERMITS_GAUGE, this::availablePermits);
    }

    @Override
    public String name() {
        return name;
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
        Snapshot s = snapshot;
        int best = 0;
        long bestValue = 0;
        for (int i = 0; i < s.specs.length; i++) {
            LimitSpec sp = s.specs[i];
            long base = Gcra.base(s.emptyAt[i], nowU, sp.capSpan());
            long value = granted ? -Math.floorDiv(nowU - base, sp.cost()) : base + permits * sp.cost() - nowU;
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
        long r = reserve(permits, Gcra.units(ticker.read()), maxWaitUnits);
        if (r <= 0) {
            return r == 0;
        }
        try {
            sleeper.sleep(Gcra.nanosCeil(r));
            return true;
        } catch (Throwable t) { // the reserved permits were never used: give them back to every limit
            refund(permits, Gcra.units(ticker.read()));
            throw t;
        }
    }

    /** Same contract as {@code BucketCell.reserve}, for every limit at once. */
    private long reserve(long permits, long nowU, long maxWaitUnits) {
        for (;;) {
            Snapshot s = snapshot;
            LimitSpec[] specs = s.specs;
            long wait = Long.MIN_VALUE;
            for (int i = 0; i < specs.length; i++) {
                specs[i].checkPermits(permits);
                long next = Gcra.base(s.emptyAt[i], nowU, specs[i].capSpan()) + permits * specs[i].cost();
                wait = Math.max(wait, next - nowU);
            }
            if (wait > maxWaitUnits) {
                return -wait;
            }
            long[] next = new long[specs.length];
            for (int i = 0; i < specs.length; i++) {
                next[i] = Gcra.base(s.emptyAt[i], nowU, specs[i].capSpan()) + permits * specs[i].cost();
            }
            if (SNAPSHOT.compareAndSet(this, s, new Snapshot(specs, next))) {
                return Math.max(0L, wait);
            }
        }
    }

    private void refund(long permits, long nowU) {
        for (;;) {
            Snapshot s = snapshot;
            long[] next = new long[s.specs.length];
            for (int i = 0; i < next.length; i++) {
                LimitSpec sp = s.specs[i];
                next[i] = Gcra.base(s.emptyAt[i], nowU, sp.capSpan()) - Math.min(permits, sp.capacity()) * sp.cost();
            }
            if (SNAPSHOT.compareAndSet(this, s, new Snapshot(s.specs, next))) {
                return;
            }
        }
    }

    @Override
    public long availablePermits() {
        return available(Gcra.units(ticker.read()));
    }

    private long available(long nowU) {
        Snapshot s = snapshot;
        long min = Long.MAX_VALUE;
        for (int i = 0; i < s.specs.length; i++) {
            LimitSpec sp = s.specs[i];
            min = Math.min(min, Math.floorDiv(nowU - Gcra.base(s.emptyAt[i], nowU, sp.capSpan()), sp.cost()));
        }
        return Math.max(0L, min);
    }

    @Override
    public List<Limit> limits() {
        List<Limit> result = new ArrayList<>();
        for (LimitSpec sp : snapshot.specs) {
            result.add(sp.limit());
        }
        return List.copyOf(result);
    }

    @Override
    public void setLimits(List<Limit> limits) {
        Waits.checkCount(limits, snapshot.specs.length);
        LimitSpec[] specs = new LimitSpec[limits.size()];
        for (int i = 0; i < specs.length; i++) {
            specs[i] = new LimitSpec(limits.get(i));
        }
        long nowU = Gcra.units(ticker.read());
        for (;;) {
            Snapshot s = snapshot;
            long[] next = new long[specs.length];
            for (int i = 0; i < specs.length; i++) {
                LimitSpec old = s.specs[i];
                long available = nowU - Gcra.base(s.emptyAt[i], nowU, old.capSpan());
                next[i] = nowU - Gcra.convertAvailable(available, old.cost(), specs[i].cost(), specs[i].capSpan());
            }
            if (SNAPSHOT.compareAndSet(this, s, new Snapshot(specs, next))) {
                return;
            }
        }
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
