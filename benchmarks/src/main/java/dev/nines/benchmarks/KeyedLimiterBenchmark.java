package dev.nines.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.nines.metrics.MetricsSink;
import dev.nines.ratelimit.KeyedRateLimiter;
import dev.nines.ratelimit.Rate;
import io.github.bucket4j.Bucket;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * A per-client rate-limit decision (one permit for one client key) on nines' keyed limiter beside
 * what users run today for the same job, on the same key distributions, in one run, with a floor:
 * {@code benchmarks/run full -b KeyedLimiter} (1 and 2 threads, {@code -prof gc}).
 *
 * <ul>
 *   <li>{@link #ninesKeyed}: {@link KeyedRateLimiter#tryAcquire(String)}, no metrics sink,
 *       {@code maxKeys} twice the number of keys;</li>
 *   <li>{@link #bucket4jKeyed}: Bucket4j buckets in a Caffeine cache, the setup of Bucket4j's
 *       documentation and its Spring Boot starter: {@code Caffeine.newBuilder().maximumSize(n)},
 *       {@code cache.get(key, k -> Bucket.builder()...build())}, {@code tryConsume(1)}; the bucket
 *       as its documentation builds it (lock-free, Bucket4j's default millisecond clock, greedy
 *       refill), {@code maximumSize} twice the number of keys;</li>
 *   <li>{@link #resilience4jKeyed}: a Resilience4j {@code RateLimiterRegistry} with one limiter per
 *       key, {@code registry.rateLimiter(key).acquirePermission()} (zero timeout); the registry
 *       never forgets a key, so it has no bound on memory;</li>
 *   <li>{@link #floorKeyed}: the least a bounded per-key decision can do: Caffeine's
 *       {@code getIfPresent} on a {@code maximumSize} cache holding one {@link AtomicLong} per key,
 *       one {@code System.nanoTime()} and one CAS on that key's {@code AtomicLong}.</li>
 * </ul>
 * Every limiter allows a billion permits per second per key with a burst of 10¹² ({@link #BURST};
 * Resilience4j: 10⁹ per one-second cycle, which never expires a key), far above what a benchmark
 * thread takes, so each measures the path that grants a permit to a known key. Every key is inserted during set-up, only into the contender the
 * fork measures.
 *
 * <p><b>Keys.</b> {@link #distribution} draws the keys: uniformly over 1,000, 65,536 or 1,048,576
 * keys ({@code uniform1k}, {@code uniform64k}, {@code uniform1M}) or Zipfian over 1,048,576 keys
 * with exponent 0.99 ({@code zipf1M}, as YCSB's; its ranks are scattered over the keys so popular
 * keys are not neighbours in memory). The draws are made once in set-up with a fixed seed into an
 * array of {@value #DRAWS} keys; each thread walks it from its own offset, one index step per
 * operation, so the measured path holds no randomness and allocates nothing of its own.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class KeyedLimiterBenchmark {

    static final long RATE = 1_000_000_000L; // permits per second per key: one per nanosecond
    /**
     * The burst: a refill time of 1,000 s, so nines' expiry (refill time plus 1 s) never drops a key
     * between two visits. With a burst of one second's permits the buckets of a million keys, each
     * visited about every 2 s at 1 thread, expired and were re-created (the peers never expire a
     * key), which cost nines ~160 B/op and a slower decision in the first full run.
     */
    static final long BURST = 1_000 * RATE;
    static final int DRAWS = 1 << 20; // keys drawn in advance; a power of two, walked with a mask
    static final long SEED = 20_261_203L;

    /** Which keys the decisions ask for: see the class notes. */
    @Param({"uniform1k", "uniform64k", "uniform1M", "zipf1M"})
    public String distribution;

    String[] draws;
    private KeyedRateLimiter nines;
    private Cache<String, Bucket> bucket4j;
    private RateLimiterRegistry resilience4j;
    private Cache<String, AtomicLong> floor;

    @Setup
    public void setUp(BenchmarkParams params) {
        int keyCount = switch (distribution) {
            case "uniform1k" -> 1_000;
            case "uniform64k" -> 1 << 16;
            case "uniform1M", "zipf1M" -> 1 << 20;
            default -> throw new IllegalArgumentException("distribution: unknown value " + distribution);
        };
        String[] keys = new String[keyCount];
        for (int i = 0; i < keyCount; i++) {
            keys[i] = "client-" + i;
        }
        draws = distribution.startsWith("zipf") ? zipfDraws(keys, 0.99) : uniformDraws(keys);

        String method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
        Rate limit = Rate.of(RATE, Duration.ofSeconds(1), BURST);
        switch (method) {
            case "ninesKeyed" -> {
                nines = KeyedRateLimiter.builder("nines-keyed").limit(limit).maxKeys(2L * keyCount)
                        .metrics(MetricsSink.noop()).build();
                for (String k : keys) {
                    nines.tryAcquire(k);
                }
            }
            case "bucket4jKeyed" -> {
                bucket4j = Caffeine.newBuilder().maximumSize(2L * keyCount).build();
                for (String k : keys) {
                    bucket4j.get(k, KeyedLimiterBenchmark::newBucket).tryConsume(1);
                }
            }
            case "resilience4jKeyed" -> {
                resilience4j = RateLimiterRegistry.of(RateLimiterConfig.custom().limitForPeriod((int) RATE)
                        .limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ZERO).build());
                for (String k : keys) {
                    resilience4j.rateLimiter(k).acquirePermission();
                }
            }
            case "floorKeyed" -> {
                floor = Caffeine.newBuilder().maximumSize(2L * keyCount).build();
                for (String k : keys) {
                    floor.put(k, new AtomicLong());
                }
            }
            default -> throw new IllegalStateException("no set-up for " + method);
        }
    }

    static Bucket newBucket(String key) {
        return Bucket.builder().addLimit(l -> l.capacity(BURST).refillGreedy(RATE, Duration.ofSeconds(1))).build();
    }

    /** {@link #DRAWS} keys drawn uniformly at random. */
    static String[] uniformDraws(String[] keys) {
        SplittableRandom random = new SplittableRandom(SEED);
        String[] out = new String[DRAWS];
        for (int i = 0; i < DRAWS; i++) {
            out[i] = keys[random.nextInt(keys.length)];
        }
        return out;
    }

    /** {@link #DRAWS} keys drawn Zipfian with exponent {@code s}, rank r's key chosen by a fixed shuffle. */
    static String[] zipfDraws(String[] keys, double s) {
        int n = keys.length;
        double[] cumulative = new double[n];
        double sum = 0;
        for (int r = 0; r < n; r++) {
            sum += 1 / Math.pow(r + 1, s);
            cumulative[r] = sum;
        }
        SplittableRandom random = new SplittableRandom(SEED);
        int[] byRank = new int[n];
        for (int i = 0; i < n; i++) {
            byRank[i] = i;
        }
        for (int i = n - 1; i > 0; i--) { // Fisher-Yates: popular ranks land anywhere among the keys
            int j = random.nextInt(i + 1);
            int t = byRank[i];
            byRank[i] = byRank[j];
            byRank[j] = t;
        }
        String[] out = new String[DRAWS];
        for (int i = 0; i < DRAWS; i++) {
            double u = random.nextDouble() * sum;
            int lo = 0;
            int hi = n - 1;
            while (lo < hi) { // the first rank whose cumulative weight reaches u
                int mid = (lo + hi) >>> 1;
                if (cumulative[mid] < u) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            out[i] = keys[byRank[lo]];
        }
        return out;
    }

    /** Each thread's position in the drawn keys, from its own offset so threads do not walk in step. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;

        @Setup
        public void setUp(ThreadParams thread) {
            next = thread.getThreadIndex() * (DRAWS / 2 + 7919);
        }

        String nextKey(String[] draws) {
            return draws[next++ & (DRAWS - 1)];
        }
    }

    @Benchmark
    public boolean ninesKeyed(Cursor cursor) {
        return nines.tryAcquire(cursor.nextKey(draws));
    }

    @Benchmark
    public boolean bucket4jKeyed(Cursor cursor) {
        return bucket4j.get(cursor.nextKey(draws), KeyedLimiterBenchmark::newBucket).tryConsume(1);
    }

    @Benchmark
    public boolean resilience4jKeyed(Cursor cursor) {
        return resilience4j.rateLimiter(cursor.nextKey(draws)).acquirePermission();
    }

    @Benchmark
    public boolean floorKeyed(Cursor cursor) {
        AtomicLong state = floor.getIfPresent(cursor.nextKey(draws));
        long now = System.nanoTime();
        long seen = state.get();
        while (!state.compareAndSet(seen, now)) {
            seen = state.get();
        }
        return now != 0;
    }
}
