package dev.nines.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.nines.metrics.MetricsSink;
import dev.nines.ratelimit.KeyedRateLimiter;
import dev.nines.ratelimit.LocalKeyedRateLimiter;
import dev.nines.ratelimit.Rate;
import java.time.Duration;
import io.github.bucket4j.Bucket;
import org.openjdk.jol.info.GraphLayout;

/**
 * Measures the memory a {@link KeyedRateLimiter} holds per tracked key, beyond the key itself:
 * fills one with {@code N} keys (default one million) of 16 characters, optionally after a flood of
 * {@code FLOOD} other keys, and walks its object graph with JOL.
 *
 * <p>Run: {@code java -Xmx3g -Djdk.attach.allowAttachSelf=true -Djol.magicFieldOffset=true -cp benchmarks/target/benchmarks.jar dev.nines.benchmarks.KeyedLimiterMemory [N [FLOOD]]}.
 * ({@code jol.magicFieldOffset} lets JOL read the cache's lambdas, which are hidden classes;
 * {@code jdk.attach.allowAttachSelf} lets it attach to its own JVM instead of printing a warning.)
 * Prints the limiter's retained size, the keys' own size and the difference per key, which counts
 * the bucket, the cache's node, the hash table slots and the frequency sketch.
 *
 * <p>Then the same for the peer users run today, Bucket4j buckets in a Caffeine cache as its
 * documentation sets them up ({@code Caffeine.newBuilder().maximumSize(N)}, one
 * {@code Bucket.builder()...build()} per key, same limit, same keys and flood), so the two
 * figures per key stand side by side. The peer's cache reaches Caffeine's default executor (the
 * common pool) and what that holds; an empty cache of the same settings is measured and subtracted.
 */
public final class KeyedLimiterMemory {

    private KeyedLimiterMemory() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        long flood = args.length > 1 ? Long.parseLong(args[1]) : 0;
        LocalKeyedRateLimiter limiter = KeyedRateLimiter.builder("memory").limit(Rate.of(10, Duration.ofHours(1))).maxKeys(n)
                .metrics(MetricsSink.noop()).build();
        for (long i = 0; i < flood; i++) { // a flood of distinct 16-character keys, most evicted again
            limiter.tryAcquire(String.format("%016d", -1 - i));
        }
        String[] keys = new String[n];
        for (int i = 0; i < n; i++) {
            keys[i] = String.format("%016d", i); // 16 characters, as a typical client id or address
            limiter.tryAcquire(keys[i]);
        }
        limiter.cleanUp();
        long tracked = limiter.estimatedSize();
        long total = GraphLayout.parseInstance(limiter).totalSize();
        long keyBytes = GraphLayout.parseInstance((Object) keys).totalSize()
                - GraphLayout.parseInstance((Object) new String[n]).totalSize(); // the strings, not the array
        System.out.printf("keys tracked:            %,d%n", tracked);
        System.out.printf("limiter retained size:   %,d bytes%n", total);
        System.out.printf("of which the keys:       %,d bytes (%.1f per key)%n", keyBytes, (double) keyBytes / n);
        // a one-hour refill time: no bucket expires while the keys go in
        double keyBytesTracked = (double) keyBytes / n * tracked;
        System.out.printf("per key beyond the key:  %.1f bytes%n", (total - keyBytesTracked) / tracked);
        limiter = null; // let the peer's graph be measured without nines' in the heap

        Cache<String, Bucket> peer = Caffeine.newBuilder().maximumSize(n).build();
        for (long i = 0; i < flood; i++) {
            peer.get(String.format("%016d", -1 - i), KeyedLimiterMemory::bucket).tryConsume(1);
        }
        for (String key : keys) {
            peer.get(key, KeyedLimiterMemory::bucket).tryConsume(1);
        }
        peer.cleanUp();
        long peerTracked = peer.estimatedSize();
        // an empty cache of the same settings: what the graph reaches whatever the keys (Caffeine's
        // default executor, the common pool, and what it holds), not a cost per key
        long peerEmpty = GraphLayout.parseInstance(Caffeine.newBuilder().maximumSize(n).build()).totalSize();
        long peerTotal = GraphLayout.parseInstance(peer).totalSize() - peerEmpty;
        System.out.printf("%nBucket4j in Caffeine (maximumSize(%,d)), the same keys:%n", n);
        System.out.printf("keys tracked:            %,d%n", peerTracked);
        System.out.printf("cache retained size:     %,d bytes beyond an empty cache's %,d%n", peerTotal, peerEmpty);
        System.out.printf("per key beyond the key:  %.1f bytes%n",
                (peerTotal - (double) keyBytes / n * peerTracked) / peerTracked);
    }

    private static Bucket bucket(String key) {
        return Bucket.builder().addLimit(l -> l.capacity(10).refillGreedy(10, Duration.ofHours(1))).build();
    }
}
