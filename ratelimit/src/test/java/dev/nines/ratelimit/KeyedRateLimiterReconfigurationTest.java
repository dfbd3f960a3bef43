package dev.nines.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.CallContext;
import dev.nines.ManualTicker;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.PolicyKinds;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code reconfigure} of the keyed limiter: lazy per-key switch, exact replay, expiry, refusals, and a stress test. */
class KeyedRateLimiterReconfigurationTest {

    private final ManualTicker ticker = new ManualTicker();
    private final InMemoryMetrics metrics = new InMemoryMetrics();
    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private LocalKeyedRateLimiter limiter(Rate limit) {
        return KeyedRateLimiter.builder("per-client").limit(limit).maxKeys(1_000).ticker(ticker)
                .metrics(metrics).build();
    }

    private static KeyedRateLimiterConfig with(LocalKeyedRateLimiter l, Rate limit) {
        return l.toBuilder().limit(limit).build().config();
    }

    @Test
    void eachKeyKeepsItsTokensCappedAtTheNewBurstAndNewKeysStartFullUnderTheNewLimit() {
        LocalKeyedRateLimiter l = limiter(Rate.of(10, Duration.ofSeconds(1), 10));
        assertTrue(l.tryAcquire("a", 4));
        assertTrue(l.tryAcquire("b", 10));
        ticker.advance(100, TimeUnit.MILLISECONDS); // the old rate accrues up to the change: a 7, b 1
        l.reconfigure(with(l, Rate.of(100, Duration.ofSeconds(1), 5)));
        assertEquals(5, l.availablePermits("a")); // 7 capped at the new burst of 5
        assertEquals(1, l.availablePermits("b"));
        assertEquals(5, l.availablePermits("new")); // a key never seen: full under the new limit
        ticker.advance(20, TimeUnit.MILLISECONDS); // the new rate after the change: 2 more for b
        assertEquals(3, l.availablePermits("b"));
        assertTrue(l.tryAcquire("b", 3));
        assertFalse(l.tryAcquire("b"));
        assertEquals(Rate.of(100, Duration.ofSeconds(1), 5), l.limit());
        assertEquals(List.of(Rate.of(100, Duration.ofSeconds(1), 5)), l.limits());
    }

    /** A bucket that switches late is charged the old rate only up to the change, not up to its next decision. */
    @Test
    void aBucketSwitchingAtItsNextDecisionReplaysEachChangeAtTheReadingItWasMade() {
        LocalKeyedRateLimiter l = limiter(Rate.of(10, Duration.ofSeconds(1), 10));
        assertTrue(l.tryAcquire("k", 10)); // empty at 0
        l.reconfigure(with(l, Rate.of(1, Duration.ofSeconds(1), 10))); // at 0: 1 per second from now on
        ticker.advance(2, TimeUnit.SECONDS);
        l.reconfigure(with(l, Rate.of(100, Duration.ofSeconds(1), 10))); // at 2 s: 2 permits held, then 100/s
        ticker.advance(30, TimeUnit.MILLISECONDS); // 3 more
        // had the bucket switched only now, at the last limit, it would be full; at the first, 10/s would give 10
        assertEquals(5, l.availablePermits("k"));
        assertTrue(l.tryAcquire("k", 5));
        assertFalse(l.tryAcquire("k"));
    }

    @Test
    void aBucketThatMissedMoreChangesThanRememberedStartsEmptyAtTheOldestRemembered() {
        LocalKeyedRateLimiter l = limiter(Rate.of(1_000, Duration.ofSeconds(1), 1_000));
        assertTrue(l.tryAcquire("k", 1_000)); // empty at 0
        int changes = LocalKeyedRateLimiter.MAX_GENERATIONS + 6;
        for (int i = 1; i <= changes; i++) {
            ticker.advance(1, TimeUnit.MILLISECONDS);
            l.reconfigure(with(l, Rate.of(1_000, Duration.ofSeconds(1), 1_000)));
        }
        // exact would be 70 (1 per ms since 0); the bucket's own limits were forgotten, so it counts from
        // the oldest change remembered, the 7th at 7 ms: fewer permits, never more
        assertEquals(changes - 7, l.availablePermits("k"));
    }

    @Test
    void bucketsMadeUnderTheOldLimitAreNotDroppedBeforeTheyWouldBeFullUnderTheNewOne() {
        LocalKeyedRateLimiter l = limiter(Rate.of(10, Duration.ofSeconds(1), 10)); // expiry 1 s + 1 s slack
        assertTrue(l.tryAcquire("slower", 10));
        assertTrue(l.tryAcquire("bigger", 10));
        l.reconfigure(with(l, Rate.of(10, Duration.ofSeconds(1), 100))); // burst 100: refill 10 s
        ticker.advance(3, TimeUnit.SECONDS); // past the old expiry: dropped, "bigger" would come back with 100
        l.cleanUp();
        assertEquals(30, l.availablePermits("bigger"));
        ticker.advance(20, TimeUnit.SECONDS); // idle past the new refill time plus the old expiry: full anyway
        l.cleanUp();
        assertEquals(0, l.estimatedSize());
        assertEquals(100, l.availablePermits("bigger"));
    }

    @Test
    void maxKeysChangesAtRunTime() {
        LocalKeyedRateLimiter l = limiter(Rate.perSecond(10));
        for (int i = 0; i < 50; i++) {
            assertTrue(l.tryAcquire("key-" + i));
        }
        l.cleanUp();
        assertEquals(50, l.estimatedSize());
        l.reconfigure(l.toBuilder().maxKeys(10).build().config());
        l.cleanUp();
        assertTrue(l.estimatedSize() <= 10, "size " + l.estimatedSize());
        assertEquals(10, l.maxKeys());
        assertEquals(10, l.config().maxKeys());
    }

    @Test
    void configIsTheLiveOneEachChangeIsAConfigTransitionAndTheGaugeIsKept() {
        LocalKeyedRateLimiter l = limiter(Rate.perSecond(10));
        assertTrue(l.tryAcquire("a"));
        KeyedRateLimiterConfig next = with(l, Rate.perSecond(20)); // building registers its own gauge
        l.reconfigure(next);
        l.cleanUp();
        assertEquals(OptionalLong.of(1), metrics.gauge("per-client", KeyedRateLimiter.KEYS_GAUGE)); // the live one's
        assertSame(next, l.config());
        assertEquals(1, metrics.transitions("per-client", PolicyKinds.CONFIG).size());
        assertEquals(Rate.perSecond(20), l.toBuilder().build().limit());
    }

    @Test
    void anotherNameOrTickerIsRefusedNamingItAndTheOldSettingsStay() {
        LocalKeyedRateLimiter l = limiter(Rate.perSecond(10));
        KeyedRateLimiterConfig before = l.config();
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class, () -> l.reconfigure(
                KeyedRateLimiter.builder("other").limit(Rate.perSecond(1)).ticker(ticker).metrics(metrics).build()
                        .config()));
        assertEquals("cannot reconfigure 'per-client': name must stay 'per-client' but was 'other'", name.getMessage());
        IllegalArgumentException tick = assertThrows(IllegalArgumentException.class, () -> l.reconfigure(
                l.toBuilder().ticker(new ManualTicker()).build().config()));
        assertTrue(tick.getMessage().startsWith("cannot reconfigure 'per-client': ticker cannot change at run time"),
                tick.getMessage());
        assertSame(before, l.config());
        assertEquals(Rate.perSecond(10), l.limit());
        assertTrue(metrics.transitions("per-client", PolicyKinds.CONFIG).isEmpty());
    }

    /**
     * "No permit created from nothing" per key: four threads decide on three keys without pause while
     * this thread moves time on and changes the limits again and again. Per key, the permits granted
     * plus those left must fit in the first burst plus what each rate refilled over the time it was in
     * force (exact with the manual ticker), and every call gets exactly one answer.
     */
    @Test
    void changingTheLimitsUnderLoadCreatesNoPermitForAnyKeyAndLosesNoCall() throws Exception {
        long seed = System.nanoTime();
        System.out.println("KeyedRateLimiterReconfigurationTest seed=" + seed);
        Random random = new Random(seed);
        long[] perSecond = {100, 250, 1_000, 4_000, 50};
        String[] keys = {"a", "b", "c"};
        LocalKeyedRateLimiter l = limiter(Rate.of(1_000, Duration.ofSeconds(1), 50));
        for (String k : keys) {
            assertEquals(50, l.availablePermits(k));
        }
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder[] granted = {new LongAdder(), new LongAdder(), new LongAdder()};
        LongAdder refused = new LongAdder();
        LongAdder asked = new LongAdder();
        List<Future<?>> workers = new ArrayList<>();
        CountDownLatch running = new CountDownLatch(4);
        for (int w = 0; w < 4; w++) {
            int first = w;
            workers.add(pool.submit(() -> {
                running.countDown();
                for (int i = first; !stop.get(); i++) {
                    int k = i % keys.length;
                    asked.increment();
                    try {
                        l.call(CallContext.empty().withKey(keys[k]), c -> "ok");
                        granted[k].increment();
                    } catch (RateLimitedException e) {
                        refused.increment();
                    }
                }
                return null;
            }));
        }
        BigInteger bound = BigInteger.valueOf(50).multiply(BigInteger.TEN.pow(9)); // permits × 10^9 ns
        long rate = 1_000;
        assertTrue(running.await(10, TimeUnit.SECONDS));
        for (int step = 0; step < 2_000; step++) {
            long dt = 1 + random.nextInt(20_000_000); // up to 20 ms
            ticker.advance(dt);
            bound = bound.add(BigInteger.valueOf(rate).multiply(BigInteger.valueOf(dt)));
            rate = perSecond[random.nextInt(perSecond.length)];
            long burst = 1 + random.nextInt(100);
            l.reconfigure(with(l, Rate.of(rate, Duration.ofSeconds(1), burst)));
            Thread.onSpinWait();
        }
        stop.set(true);
        for (Future<?> f : workers) {
            f.get(30, TimeUnit.SECONDS);
        }
        long limit = bound.divide(BigInteger.TEN.pow(9)).longValueExact();
        long total = 0;
        for (int k = 0; k < keys.length; k++) {
            long left = l.availablePermits(keys[k]);
            long permits = granted[k].sum() + left; // the left-over tokens were refilled too
            total += granted[k].sum();
            assertTrue(permits <= limit, "key " + keys[k] + ": granted " + granted[k].sum() + " + left " + left
                    + " > bound " + limit + " (seed " + seed + ")");
        }
        assertTrue(total > 0, "no permit granted at all (seed " + seed + ")");
        assertEquals(asked.sum(), total + refused.sum(), "every call gets exactly one answer (seed " + seed + ")");
    }
}
