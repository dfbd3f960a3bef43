package dev.nines.benchmarks.redis;

import dev.nines.metrics.MetricsSink;
import dev.nines.ratelimit.Rate;
import dev.nines.redis.RedisKeyedRateLimiter;
import dev.nines.redis.WhenRedisDown;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.bucket4j.redis.lettuce.cas.LettuceBasedProxyManager;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Everything the Redis benchmarks compare, built once on one Redis and one Lettuce client: a bare
 * {@code PING} (the floor: the least a decision that asks Redis can cost), nines' Redis limiter
 * and Bucket4j's Lettuce backend, each deciding on many keys (one key per client, the keyed
 * limiter's common case) or all on one hot key (where Bucket4j's compare-and-swap contends).
 *
 * <p><b>Fairness.</b> One {@link RedisClient} with default options, one connection per library
 * shared by every benchmark thread (Lettuce multiplexes a connection, which is how both libraries
 * are meant to be used); both limiters are configured with one limit so generous (a billion per
 * second, a burst of a billion) that every decision grants, so each measures the granting path.
 * nines decides on Redis's clock in one script; Bucket4j uses its default client-side clock, reads
 * the bucket ({@code GET}) and writes it back with a compare-and-swap script ({@code EVAL}),
 * retrying when another writer was first; its keys expire when their bucket would be full again,
 * as nines' keys do. nines' timeout is 2 s and it fails closed, so that no decision is ever
 * answered by a fallback instead of Redis (which would flatter it); {@code RedisRoundTrips} checks
 * that every decision was granted. The leased variant takes up to {@value #LEASE} permits per
 * round trip for 50 ms. Keys are made before measuring, so no decision allocates one.
 *
 * <p>Thread-safe after construction: the decision methods are called by every benchmark thread.
 */
public final class RedisContenders implements AutoCloseable {

    /** Distinct keys each thread cycles through in the many-keys benchmarks; a power of two. */
    public static final int KEYS_PER_THREAD = 1024;
    /** Highest thread count the key tables cover. */
    public static final int MAX_THREADS = 64;

    static final long RATE = 1_000_000_000L; // permits per second, and the burst
    /** Permits a leasing limiter takes per round trip. */
    public static final long LEASE = 100;

    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> strings;
    private final RedisCommands<String, String> ping;
    private final StatefulRedisConnection<String, byte[]> bytes;
    private final BucketProxy[] bucket4jKeys;
    private final BucketProxy bucket4jHot;
    private final StatefulRedisConnection<String, String> ninesConnection;
    private final RedisKeyedRateLimiter nines;
    private final RedisKeyedRateLimiter ninesLeased;
    private final String[] ninesKeys;

    /**
     * Connects to {@code url}, reporting every completed command to {@code recorder}
     * ({@link CommandLatencyRecorder#disabled()} to count nothing).
     */
    public RedisContenders(String url, CommandLatencyRecorder recorder) {
        resources = DefaultClientResources.builder().commandLatencyRecorder(recorder).build();
        client = RedisClient.create(resources, url);
        strings = client.connect();
        ping = strings.sync();
        bytes = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
        ping.flushall();

        LettuceBasedProxyManager<String> bucket4j = Bucket4jLettuce.casBasedBuilder(bytes)
                .expirationAfterWrite(ExpirationAfterWriteStrategy
                        .basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
                .build();
        BucketConfiguration config = BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(RATE).refillGreedy(RATE, Duration.ofSeconds(1)))
                .build();
        bucket4jKeys = new BucketProxy[MAX_THREADS * KEYS_PER_THREAD];
        for (int i = 0; i < bucket4jKeys.length; i++) {
            bucket4jKeys[i] = bucket4j.builder().build(key(i), () -> config);
        }
        bucket4jHot = bucket4j.builder().build("bucket4j-hot", () -> config);

        ninesConnection = client.connect();
        Rate limit = Rate.of(RATE, Duration.ofSeconds(1), RATE);
        nines = RedisKeyedRateLimiter.builder("nines").connection(ninesConnection).limit(limit)
                .timeout(Duration.ofSeconds(2)).whenDown(WhenRedisDown.FAIL_CLOSED).metrics(MetricsSink.noop())
                .build();
        ninesLeased = nines.toBuilder().lease(LEASE, Duration.ofMillis(50)).build();
        ninesKeys = new String[MAX_THREADS * KEYS_PER_THREAD];
        for (int i = 0; i < ninesKeys.length; i++) {
            ninesKeys[i] = key(i);
        }
    }

    /** The key of slot {@code i} in the many-keys tables. */
    static String key(int i) {
        return "client-" + i;
    }

    /** The slot thread {@code thread} uses at its {@code n}-th decision. */
    public static int slot(int thread, int n) {
        return (thread % MAX_THREADS) * KEYS_PER_THREAD + (n & (KEYS_PER_THREAD - 1));
    }

    /** One {@code PING} round trip. */
    public String floorPing() {
        return ping.ping();
    }

    /** nines: one permit on the key of {@code slot}. */
    public boolean nines(int slot) {
        return nines.tryAcquire(ninesKeys[slot]);
    }

    /** nines: one permit on the key every thread shares. */
    public boolean ninesHot() {
        return nines.tryAcquire("nines-hot");
    }

    /** nines with leasing: one permit on the key every thread shares. */
    public boolean ninesLeasedHot() {
        return ninesLeased.tryAcquire("nines-leased-hot");
    }

    /** Bucket4j: one permit on the key of {@code slot}. */
    public boolean bucket4j(int slot) {
        return bucket4jKeys[slot].tryConsume(1);
    }

    /** Bucket4j: one permit on the key every thread shares. */
    public boolean bucket4jHot() {
        return bucket4jHot.tryConsume(1);
    }

    /** One decision by a benchmark thread: {@code thread}'s {@code n}-th. */
    @FunctionalInterface
    public interface Decision {
        /** Decides once: whether the permit was granted ({@code PING}: whether Redis answered). */
        boolean decide(int thread, int n);
    }

    /**
     * Every contender by its benchmark method name in {@code RedisRateLimiterBenchmark}, the floor
     * first, for measurements that run them all the same way.
     */
    public Map<String, Decision> byName() {
        Map<String, Decision> all = new LinkedHashMap<>();
        all.put("floorPing", (thread, n) -> "PONG".equals(floorPing()));
        all.put("ninesTryAcquire", (thread, n) -> nines(slot(thread, n)));
        all.put("ninesHotTryAcquire", (thread, n) -> ninesHot());
        all.put("ninesLeasedHotTryAcquire", (thread, n) -> ninesLeasedHot());
        all.put("bucket4jTryAcquire", (thread, n) -> bucket4j(slot(thread, n)));
        all.put("bucket4jHotTryAcquire", (thread, n) -> bucket4jHot());
        return all;
    }

    @Override
    public void close() {
        ninesConnection.close();
        bytes.close();
        strings.close();
        client.shutdown(0, 2, TimeUnit.SECONDS);
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
