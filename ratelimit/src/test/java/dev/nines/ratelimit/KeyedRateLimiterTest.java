package dev.nines.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.CallContext;
import dev.nines.ManualTicker;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.MetricsSink;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class KeyedRateLimiterTest {

    private final ManualTicker ticker = new ManualTicker();

    private LocalKeyedRateLimiter limiter(Rate limit, long maxKeys) {
        return KeyedRateLimiter.builder("per-client").limit(limit).maxKeys(maxKeys).ticker(ticker)
                .metrics(MetricsSink.noop()).build();
    }

    @Test
    void eachKeyHasItsOwnBucket() {
        LocalKeyedRateLimiter l = limiter(Rate.perSecond(2), 100);
        assertTrue(l.tryAcquire("a", 2));
        assertFalse(l.tryAcquire("a"));
        assertTrue(l.tryAcquire("b"));
        assertEquals(new AcquireResult(false, 0, 500_000_000), l.tryAcquireDetailed("a", 1));
        assertEquals(1, l.availablePermits("b"));
        assertEquals(2, l.availablePermits("never-seen"));
        ticker.advance(500, TimeUnit.MILLISECONDS);
        assertTrue(l.tryAcquire("a"));
    }

    @Test
    void aFloodOfRandomKeysStaysWithinMaxKeys() {
        LocalKeyedRateLimiter l = limiter(Rate.perMinute(10), 1_000);
        for (int i = 0; i < 50_000; i++) {
            l.tryAcquire("attacker-" + i);
        }
        l.cleanUp();
        assertTrue(l.estimatedSize() <= 1_000, "size " + l.estimatedSize());
    }

    @Test
    void bucketsAreEvictedOnlyOnceTheyHaveRefilledCompletely() {
        LocalKeyedRateLimiter l = limiter(Rate.of(10, Duration.ofSeconds(10)), 100); // refill time 10 s
        assertTrue(l.tryAcquire("a", 10));
        ticker.advance(9, TimeUnit.SECONDS);
        l.cleanUp();
        assertEquals(1, l.estimatedSize());
        assertFalse(l.tryAcquire("a", 10)); // still remembered: only 9 refilled
        ticker.advance(Duration.ofSeconds(11).plusNanos(1)); // refill time + the 1 s slack since last access
        l.cleanUp();
        assertEquals(0, l.estimatedSize());
        assertTrue(l.tryAcquire("a", 10)); // a new bucket is a full one: nothing was lost
    }

    @Test
    void aDecisionReadsTheClockOnceTheCacheIncluded() throws Exception {
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        dev.nines.Ticker counting = () -> {
            reads.incrementAndGet();
            return ticker.read();
        };
        LocalKeyedRateLimiter l = KeyedRateLimiter.builder("per-client").limit(Rate.of(10, Duration.ofSeconds(10)))
                .maxKeys(100).ticker(counting).metrics(MetricsSink.noop()).build();
        reads.set(0);
        assertTrue(l.tryAcquire("a", 10)); // a new key
        assertEquals(1, reads.get());
        ticker.advance(1, TimeUnit.SECONDS); // the cache's clock is now stale: this decision publishes
        assertFalse(l.tryAcquire("a", 2)); // a known key, holding 1
        assertEquals(2, reads.get());
        assertEquals(new AcquireResult(true, 0, 0), l.tryAcquireDetailed("a", 1));
        assertEquals(3, reads.get());
        assertThrows(RateLimitedException.class, () -> l.call(CallContext.empty().withKey("a"), c -> "no"));
        assertEquals(4, reads.get());
    }

    @Test
    void theCachesLaggingClockNeverEvictsABucketBeforeItHasRefilled() {
        LocalKeyedRateLimiter l = limiter(Rate.of(10, Duration.ofSeconds(10)), 1_000); // refill time 10 s
        assertTrue(l.tryAcquire("a", 10));
        for (int i = 0; i < 219; i++) { // 10.95 s in steps of 50 ms, each under the cache clock's 100 ms lag
            ticker.advance(50, TimeUnit.MILLISECONDS);
            l.tryAcquire("other-" + i); // decisions on other keys, each inserting (so maintenance runs)
        }
        assertEquals(10, l.availablePermits("a"));
        l.cleanUp();
        assertEquals(220, l.estimatedSize(), "a is still tracked (idle 10.95 s < 11 s) along with the others");
        ticker.advance(Duration.ofMillis(50).plusNanos(1)); // now idle for the refill time + the slack
        l.cleanUp();
        // a, and other-0: taken at 50 ms while the cache's clock still read 0, it expires up to 100 ms
        // early, 10.95 s after its last use, long after its bucket (one permit short) had refilled
        assertEquals(218, l.estimatedSize());
    }

    @Test
    void asAPolicyItLimitsPerContextKey() throws Exception {
        InMemoryMetrics metrics = new InMemoryMetrics();
        LocalKeyedRateLimiter l = KeyedRateLimiter.builder("per-client").limit(Rate.perSecond(1)).ticker(ticker)
                .metrics(metrics).build();
        assertEquals("a", l.call(CallContext.empty().withKey("a"), c -> "a"));
        assertEquals("b", l.call(CallContext.empty().withKey("b"), c -> "b"));
        RateLimitedException e = assertThrows(RateLimitedException.class,
                () -> l.call(CallContext.empty().withKey("a"), c -> "a"));
        assertEquals(1_000_000_000, e.retryAfterNanos());
        assertEquals("anon", l.call(() -> "anon"));
        assertThrows(RateLimitedException.class, () -> l.call(() -> "anon")); // keyless calls share one bucket
        assertEquals(3, metrics.gauge("per-client", KeyedRateLimiter.KEYS_GAUGE).getAsLong());
        assertEquals(2, metrics.count("per-client", dev.nines.metrics.Outcome.REJECTED));
    }

    @Test
    void builderValidates() {
        assertEquals("maxKeys must be >= 1 but was 0", assertThrows(IllegalArgumentException.class,
                () -> KeyedRateLimiter.builder("per-client").limit(Rate.perSecond(1)).maxKeys(0).build()).getMessage());
    }

    /** Issue 12, item 16: a request that could never succeed fails before any bucket is made. */
    @Test
    void aRequestForMoreThanTheBurstThrowsWithoutTrackingItsKey() {
        LocalKeyedRateLimiter l = limiter(Rate.perMinute(10), 100);
        assertThrows(IllegalArgumentException.class, () -> l.tryAcquire("greedy", 11));
        assertThrows(IllegalArgumentException.class, () -> l.tryAcquireDetailed("greedy", 11));
        assertThrows(IllegalArgumentException.class, () -> l.tryAcquire("nothing", 0));
        l.cleanUp();
        assertEquals(0, l.estimatedSize());
    }
}
