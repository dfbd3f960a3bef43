package dev.nines.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.nines.AsyncCall;
import dev.nines.CallContext;
import dev.nines.Next;
import dev.nines.Ticker;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.PolicyKinds;
import dev.nines.ratelimit.internal.BucketCell;
import dev.nines.ratelimit.internal.Gcra;
import dev.nines.ratelimit.internal.LimitSpec;
import dev.nines.ratelimit.internal.LimiterPolicy;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;

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
 * of the empty key, {@link #ANONYMOUS_KEY}. Keyed limits cannot be changed at runtime. Thread-safe.
 */
public final class LocalKeyedRateLimiter implements KeyedRateLimiter {

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

    private final KeyedRateLimiterConfig config;
    private final String name;
    private final Rate limit;
    private final List<Rate> limits;
    private final LimitSpec spec;
    private final long maxKeys;
    private final Ticker ticker;
    private final MetricsSink metrics;
    private final Cache<String, BucketCell> buckets;
    private volatile long cacheNanos; // the reading the cache's ticker returns

    LocalKeyedRateLimiter(KeyedRateLimiterConfig config) {
        this.config = config;
        this.name = config.name();
        this.limit = config.limit();
        this.limits = List.of(limit);
        this.spec = new LimitSpec(limit);
        this.maxKeys = config.maxKeys();
        this.ticker = config.ticker();
        this.metrics = config.metrics();
        this.cacheNanos = ticker.read();
        this.buckets = Caffeine.newBuilder()
                .maximumSize(maxKeys)
                .expireAfterAccess(limit.refillTime().plusNanos(1).plus(EXPIRY_SLACK))
                .ticker(this::cacheTime) // the decision's own reading: one clock read per decision
                .executor(Runnable::run) // maintenance on the calling threads: see the class notes
                .build();
        metrics.registerGauge(name, PolicyKinds.RATE_LIMITER, KEYS_GAUGE, this::estimatedSize);
    }

    @Override
    public String name() {
        return name;
    }

    /** The settings this limiter was built with, defaults resolved. */
    public KeyedRateLimiterConfig config() {
        return config;
    }

    /** A builder holding this limiter's settings, what was never set staying unset. */
    public KeyedRateLimiterBuilder toBuilder() {
        return new KeyedRateLimiterBuilder(config);
    }

    /** The limit of every key's bucket. */
    public Rate limit() {
        return limit;
    }

    /** The one limit of every key's bucket, as a list. */
    @Override
    public List<Rate> limits() {
        return limits;
    }

    /** The most keys tracked at once. */
    public long maxKeys() {
        return maxKeys;
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
        spec.checkPermits(permits); // before the bucket is created: an invalid request tracks no key
        long nowU = Gcra.units(read());
        long r = BucketCell.reserve(bucket(key, nowU), permits, nowU, 0);
        return r == 0 ? 0 : Gcra.nanosCeil(-r);
    }

    /**
     * Like {@link #tryAcquire(String, long)}, also reporting the permits left and the wait.
     *
     * @throws IllegalArgumentException if {@code permits < 1} or more than the burst; no key is tracked
     */
    @Override
    public AcquireResult tryAcquireDetailed(String key, long permits) {
        spec.checkPermits(permits);
        long nowU = Gcra.units(read());
        BucketCell cell = bucket(key, nowU);
        long r = BucketCell.reserve(cell, permits, nowU, 0);
        return new AcquireResult(r == 0, BucketCell.available(cell, nowU), r == 0 ? 0 : Gcra.nanosCeil(-r));
    }

    /** Whole permits {@code key} could take now; a key not tracked has a full bucket. Tracks nothing. */
    @Override
    public long availablePermits(String key) {
        Objects.requireNonNull(key, "key");
        long now = ticker.read();
        publish(now, 0);
        BucketCell cell = buckets.getIfPresent(key);
        return cell == null ? spec.capacity() : BucketCell.available(cell, Gcra.units(now));
    }

    /** About how many keys are tracked now. */
    public long estimatedSize() {
        return buckets.estimatedSize();
    }

    /** Runs pending evictions now (they otherwise run during later calls). */
    public void cleanUp() {
        publish(ticker.read(), 0);
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

    private BucketCell bucket(String key, long nowU) {
        BucketCell cell = buckets.getIfPresent(Objects.requireNonNull(key, "key"));
        return cell != null ? cell : buckets.get(key, k -> BucketCell.full(spec, nowU));
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
        return "LocalKeyedRateLimiter[" + name + ", " + limit + " per key, maxKeys=" + maxKeys + "]";
    }
}
