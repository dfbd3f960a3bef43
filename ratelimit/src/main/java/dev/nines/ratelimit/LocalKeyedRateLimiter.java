package dev.nines.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-process {@link KeyedRateLimiter}: one token bucket per client key in this JVM, with bounded
 * memory: per-client limits that a flood of random keys cannot turn into an out-of-memory error.
 * {@link KeyedRateLimiter#builder(String)} builds it.
 *
 * <p><b>Memory.</b> Buckets live in a Caffeine cache with a hard {@linkplain KeyedRateLimiterBuilder#maxKeys(long)
 * maximum number of keys}; beyond it the least valuable keys (Caffeine's W-TinyLFU: rarely seen
 * ones first) are evicted. A bucket is also dropped once it has been idle for the limit's refill
 * time plus one second: by then it has refilled completely and a full bucket is the same as a new
 * one, so this eviction loses nothing (the second absorbs the cache clock's lag, below, and
 * threads racing to record an access).
 * Size eviction of a bucket that is not full does forget its debt; size {@code maxKeys} above the
 * number of clients expected to be active within one refill time. Each key costs about 125 bytes
 * beyond the key itself at the default {@code maxKeys} after a flood of 10 million 16-character
 * keys, 121 bytes at one million keys (JDK 17, compressed references; measured by
 * {@code KeyedLimiterMemory 100000 10000000} and {@code KeyedLimiterMemory 1000000 10000000} in the
 * benchmarks module). Without compressed references (heaps of 32 GB and up) it is about 168 bytes,
 * and the key itself 64 bytes instead of 56.
 *
 * <p><b>Cost.</b> A decision on a known key is one cache lookup plus the bucket's one CAS, with no
 * allocation, and reads the clock once: the cache's own ticker returns the reading the latest
 * decision published instead of reading the clock again. A decision publishes its reading only when
 * the published one is more than 100 ms old, so the shared field is written about ten times a
 * second, not on every call. The cache's clock may thus lag by that much, making it see a bucket as
 * idle up to that much longer than it was; the one-second slack above absorbs it ({@link #cleanUp()}
 * and {@link #availablePermits(String)} publish their reading at once).
 *
 * <p><b>Maintenance on the calling thread.</b> Evictions run on the threads that call the limiter
 * (Caffeine's {@code executor(Runnable::run)}), not on a background pool. This is deliberate: under a
 * flood of new keys the threads inserting them also evict, so the flood pays for itself and the
 * cache stays within {@code maxKeys} instead of growing while an asynchronous clean-up catches up;
 * and the limiter starts no task and needs no executor to shut down. The price is that a call now
 * and then performs a batch of Caffeine's maintenance: a lookup of a known key only if it wins a
 * {@code tryLock} (it never waits), an insertion that finds the write buffer full by waiting for the
 * eviction lock, which is the back-pressure meant above.
 *
 * <p>As a {@link dev.nines.Policy} the key is {@link CallContext#key()}; calls without a key share the bucket
 * of the empty key, {@link #ANONYMOUS_KEY}. Thread-safe.
 *
 * <p><b>Reconfiguration.</b> {@link #reconfigure} gives every key new limits in O(1), whatever the
 * number of keys: it records the change and its ticker reading, and each existing bucket switches
 * at its next decision (one reference compare on the hot path finds a bucket made under older
 * limits). The switch replays the changes the bucket missed at the readings they were made, so the
 * old limits refill up to the change and the new ones after, as if every bucket had switched at
 * once; the tokens held are kept, capped at the new burst. No permit is created by a change. New
 * keys start full under the new limits. See {@link #reconfigure} for expiry and {@code maxKeys}.
 */
public final class LocalKeyedRateLimiter implements KeyedRateLimiter, Reconfigurable<KeyedRateLimiterConfig> {

    private static final Duration EXPIRY_SLACK = Duration.ofSeconds(1);

    /** How stale the cache's clock may get before a decision publishes a newer reading: well within the slack. */
    private static final long CACHE_CLOCK_GRANULARITY_NANOS = 100_000_000;

    private static final VarHandle CACHE_NANOS;

    static {
        try {
            CACHE_NANOS = MethodHandles.lookup().findVarHandle(LocalKeyedRateLimiter.class, "cacheNanos", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Changes of limit remembered for buckets that have not switched yet; older ones start empty. */
    static final int MAX_GENERATIONS = 64;

    private volatile KeyedRateLimiterConfig config; // never read by a decision: those read the generation
    private final String name;
    /** The limits in force and the changes before them: one volatile read per decision. */
    private volatile Generation generation;
    private final ReentrantLock reconfiguring = new ReentrantLock(); // reconfigure and expiry, never a decision
    /** The cache's expiry now, its steady value for the limits in force, and when it may drop to that. */
    private long expiryNanos;
    private long calmAtNanos;
    private boolean calming;
    private final Ticker ticker;
    private final MetricsSink metrics;
    private final Cache<String, BucketCell> buckets;
    private volatile long cacheNanos; // the reading the cache's ticker returns

    LocalKeyedRateLimiter(KeyedRateLimiterConfig config) {
        this.config = config;
        this.name = config.name();
        this.ticker = config.ticker();
        this.metrics = config.metrics();
        this.cacheNanos = ticker.read();
        this.generation = new Generation(config.limit(), Gcra.units(cacheNanos), null);
        this.expiryNanos = steadyExpiryNanos(config.limit());
        this.buckets = Caffeine.newBuilder()
                .maximumSize(config.maxKeys())
                .expireAfterAccess(Duration.ofNanos(expiryNanos))
                .ticker(this::cacheTime) // the decision's own reading: one clock read per decision
                .executor(Runnable::run) // maintenance on the calling threads: see the class notes
                .build();
        metrics.registerGauge(name, PolicyKinds.RATE_LIMITER, KEYS_GAUGE, this::estimatedSize);
    }

    @Override
    public String name() {
        return name;
    }

    /** The settings in force, defaults resolved: those built with, or the last ones given to {@link #reconfigure}. */
    @Override
    public KeyedRateLimiterConfig config() {
        return config;
    }

    /**
     * Takes {@code config}'s limit and {@code maxKeys}; the name, ticker and metrics sink cannot
     * change. The change costs O(1) however many keys are tracked: every existing bucket switches
     * at its next decision, replaying the change at the reading it was made, so it keeps the tokens
     * it held then, capped at the new burst, and the new rate refills it from then on; a new key
     * starts full under the new limit. A bucket that misses more than {@value #MAX_GENERATIONS}
     * changes (idle all along, yet not expired) is taken as empty at the oldest change remembered:
     * never more permits than it held.
     *
     * <p>Expiry follows the limit: a bucket idle for the refill time plus one second is dropped.
     * After a change the cache keeps buckets longer for a while (the expiry before the change plus
     * the new one), so no bucket made under the old limits is dropped before it would be full under
     * the new ones (a dropped bucket comes back full: dropping one that is not would create
     * permits); the expiry returns to the new limit's alone at the next change or
     * {@link #cleanUp()} after that time. A lowered {@code maxKeys} evicts the excess keys during the
     * following calls, forgetting their debt as size eviction always does.
     *
     * @throws IllegalArgumentException naming what was refused; the current settings stay
     */
    @Override
    public void reconfigure(KeyedRateLimiterConfig config) {
        Objects.requireNonNull(config, "config");
        try {
            reconfiguring.lock();
            try {
                Reconfiguration.of(this.config.wiring(), config.wiring()).throwIfRefused();
                long now = ticker.read();
                calm(now);
                long steady = steadyExpiryNanos(config.limit());
                calmAtNanos = now + expiryNanos; // every bucket made before the change has expired or switched by then
                calming = true;
                expiryNanos = saturatedAdd(expiryNanos, steady);
                buckets.policy().expireAfterAccess().ifPresent(e -> e.setExpiresAfter(expiryNanos, TimeUnit.NANOSECONDS));
                buckets.policy().eviction().ifPresent(e -> e.setMaximum(config.maxKeys()));
                publish(now, 0); // the cache judges expiry at this reading or later
                Generation next = new Generation(config.limit(), Gcra.units(now), generation);
                next.forgetBeyond(MAX_GENERATIONS);
                generation = next;
                this.config = config;
            } finally {
                reconfiguring.unlock();
            }
        } finally {
            // a limiter built for a config registered its own gauge under this name: take it back
            metrics.registerGauge(name, PolicyKinds.RATE_LIMITER, KEYS_GAUGE, this::estimatedSize);
        }
        Reconfiguration.report(metrics, name);
    }

    /** The cache's expiry for {@code limit} alone: a bucket idle that long is full, so dropping it loses nothing. */
    private static long steadyExpiryNanos(Rate limit) {
        Duration d = limit.refillTime().plusNanos(1).plus(EXPIRY_SLACK);
        return d.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : d.toNanos();
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    /** Drops the expiry to the limit's own once every bucket older than the last change is gone. Under the lock. */
    private void calm(long now) {
        if (calming && now - calmAtNanos >= 0) {
            calming = false;
            expiryNanos = steadyExpiryNanos(config.limit());
            buckets.policy().expireAfterAccess().ifPresent(e -> e.setExpiresAfter(expiryNanos, TimeUnit.NANOSECONDS));
        }
    }

    /** A builder holding this limiter's settings, what was never set staying unset. */
    public KeyedRateLimiterBuilder toBuilder() {
        return new KeyedRateLimiterBuilder(config);
    }

    /** The limit of every key's bucket. */
    public Rate limit() {
        return generation.spec.limit();
    }

    /** The one limit of every key's bucket, as a list. */
    @Override
    public List<Rate> limits() {
        return generation.limits;
    }

    /** The most keys tracked at once. */
    public long maxKeys() {
        return config.maxKeys();
    }

    /** Takes one permit from {@code key}'s bucket if available now. */
    @Override
    public boolean tryAcquire(String key) {
        return tryAcquireOrWaitNanos(key, 1) == 0;
    }

    /** Takes {@code permits} from {@code key}'s bucket if available now. */
    @Override
    public boolean tryAcquire(String key, long permits) {
        return tryAcquireOrWaitNanos(key, permits) == 0;
    }

    /**
     * Takes {@code permits} from {@code key}'s bucket and returns 0, or takes nothing and returns the
     * nanoseconds until they would be available. Allocation-free for a known key.
     *
     * @throws IllegalArgumentException if {@code permits < 1} or more than the burst; no key is tracked
     */
    @Override
    public long tryAcquireOrWaitNanos(String key, long permits) {
        long nowU = Gcra.units(read()); // before the limits: a decision under old ones reads no later than the change
        Generation g = generation;
        g.spec.checkPermits(permits); // before the bucket is created: an invalid request tracks no key
        long r = BucketCell.reserve(bucket(key, g, nowU), permits, nowU, 0);
        return r == 0 ? 0 : Gcra.nanosCeil(-r);
    }

    /**
     * Like {@link #tryAcquire(String, long)}, also reporting the permits left and the wait.
     *
     * @throws IllegalArgumentException if {@code permits < 1} or more than the burst; no key is tracked
     */
    @Override
    public AcquireResult tryAcquireDetailed(String key, long permits) {
        long nowU = Gcra.units(read());
        Generation g = generation;
        g.spec.checkPermits(permits);
        BucketCell cell = bucket(key, g, nowU);
        long r = BucketCell.reserve(cell, permits, nowU, 0);
        return new AcquireResult(r == 0, BucketCell.available(cell, nowU), r == 0 ? 0 : Gcra.nanosCeil(-r));
    }

    /** Whole permits {@code key} could take now; a key not tracked has a full bucket. Tracks nothing. */
    @Override
    public long availablePermits(String key) {
        Objects.requireNonNull(key, "key");
        long now = ticker.read();
        publish(now, 0);
        Generation g = generation;
        BucketCell cell = buckets.getIfPresent(key);
        if (cell == null) {
            return g.spec.capacity();
        }
        return BucketCell.available(cell.spec() == g.spec ? cell : switchLimits(key, cell), Gcra.units(now));
    }

    /** About how many keys are tracked now. */
    public long estimatedSize() {
        return buckets.estimatedSize();
    }

    /** Runs pending evictions now (they otherwise run during later calls). */
    public void cleanUp() {
        long now = ticker.read();
        reconfiguring.lock();
        try {
            calm(now);
        } finally {
            reconfiguring.unlock();
        }
        publish(now, 0);
        buckets.cleanUp();
    }

    /** Reads the clock for a decision, publishing the reading to the cache if its clock is stale. */
    private long read() {
        long now = ticker.read();
        publish(now, CACHE_CLOCK_GRANULARITY_NANOS);
        return now;
    }

    /** Publishes {@code now} to the cache's clock if that lags it by more than {@code staleness}; never moves it back. */
    private void publish(long now, long staleness) {
        long seen = (long) CACHE_NANOS.getOpaque(this);
        while (now - seen > staleness) {
            long witness = (long) CACHE_NANOS.compareAndExchange(this, seen, now);
            if (witness == seen) {
                return;
            }
            seen = witness; // another thread published: retry only if it is still older than ours
        }
    }

    private long cacheTime() {
        return (long) CACHE_NANOS.getOpaque(this);
    }

    private BucketCell bucket(String key, Generation g, long nowU) {
        BucketCell cell = buckets.getIfPresent(Objects.requireNonNull(key, "key"));
        if (cell == null) {
            cell = buckets.get(key, k -> BucketCell.full(g.spec, nowU));
        }
        return cell.spec() == g.spec ? cell : switchLimits(key, cell); // the one compare a change adds
    }

    /**
     * The slow path after a change: brings {@code head}'s bucket to the limits in force, replaying
     * the changes it missed, and puts the live cell in the cache. Locks the one cell it seals.
     */
    private BucketCell switchLimits(String key, BucketCell head) {
        for (;;) {
            BucketCell live = head.live();
            synchronized (live) {
                if (live.isSealed()) {
                    continue; // another thread switched it first: follow
                }
                Generation g = generation; // read under the lock: never older than the live cell's limits
                if (live.spec() != g.spec) {
                    live = g.replay(live);
                }
            }
            if (live != head) {
                buckets.asMap().replace(key, head, live); // lost to an eviction or another switch: both fine
            }
            return live;
        }
    }

    /**
     * One setting of the limits, the reading it was made at, and the settings before it (at most
     * {@value #MAX_GENERATIONS} remembered). A bucket made under an older one replays the changes since.
     */
    private static final class Generation {
        final LimitSpec spec;
        final List<Rate> limits;
        final long sinceU;
        volatile Generation previous;

        Generation(Rate limit, long sinceU, Generation previous) {
            this.spec = new LimitSpec(limit); // a new instance per change: a bucket's spec names its generation
            this.limits = List.of(limit);
            this.sinceU = sinceU;
            this.previous = previous;
        }

        void forgetBeyond(int kept) {
            Generation g = this;
            for (int i = 1; i < kept && g != null; i++) {
                g = g.previous;
            }
            if (g != null) {
                g.previous = null;
            }
        }

        /** Seals {@code live} into a cell of this generation, replaying the changes since its own. */
        BucketCell replay(BucketCell live) {
            List<Generation> missed = new ArrayList<>(); // newest first; one walk, as a change may cut the chain
            Generation g = this;
            while (g != null && g.spec != live.spec()) {
                missed.add(g);
                g = g.previous;
            }
            boolean forgotten = g == null; // its own generation was forgotten: start empty at the oldest known
            int n = missed.size();
            LimitSpec[] specs = new LimitSpec[n];
            long[] atU = new long[n];
            for (int i = 0; i < n; i++) {
                specs[i] = missed.get(n - 1 - i).spec;
                atU[i] = missed.get(n - 1 - i).sinceU;
            }
            return live.sealReplaying(specs, atU, forgotten);
        }
    }

    @Override
    public <T> T execute(CallContext context, Callable<T> call, Next next) throws Exception {
        long wait = tryAcquireOrWaitNanos(context.keyOr(ANONYMOUS_KEY), 1);
        return LimiterPolicy.execute(name, metrics, ticker, wait, context, call, next);
    }

    @Override
    public <T> CompletionStage<T> executeAsync(CallContext context, AsyncCall<T> call, Next next) {
        long wait = tryAcquireOrWaitNanos(context.keyOr(ANONYMOUS_KEY), 1);
        return LimiterPolicy.executeAsync(name, metrics, ticker, wait, context, call, next);
    }

    @Override
    public String toString() {
        return "LocalKeyedRateLimiter[" + name + ", " + limit() + " per key, maxKeys=" + maxKeys() + "]";
    }
}
