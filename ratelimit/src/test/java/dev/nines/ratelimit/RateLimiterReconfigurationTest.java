package dev.nines.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.PolicyKinds;
import dev.nines.metrics.Transition;
import dev.nines.testing.RecordingSleeper;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

/** {@code reconfigure} of the local limiters: the state kept, what is refused, and no permit from nothing under load. */
class RateLimiterReconfigurationTest {

    private final ManualTicker ticker = new ManualTicker();
    private final RecordingSleeper sleeper = new RecordingSleeper(ticker);
    private final InMemoryMetrics metrics = new InMemoryMetrics();
    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private TokenBucket bucket(Rate limit) {
        return (TokenBucket) RateLimiter.builder("api").limit(limit).ticker(ticker).sleeper(sleeper).metrics(metrics)
                .build();
    }

    @Test
    void tokensHeldAreKeptClampedToTheNewBurstAndTheNewRateRefillsFromTheChange() {
        TokenBucket b = bucket(Rate.of(10, Duration.ofSeconds(1), 10)); // 10/s, burst 10
        assertTrue(b.tryAcquire(4));
        ticker.advance(100, TimeUnit.MILLISECONDS); // the old rate accrues up to the change: 6 + 1
        b.reconfigure(b.toBuilder().limit(Rate.of(100, Duration.ofSeconds(1), 20)).build().config());
        assertEquals(7, b.availablePermits()); // kept, not refilled to the new burst of 20
        ticker.advance(50, TimeUnit.MILLISECONDS); // the new rate after: 5 more
        assertEquals(12, b.availablePermits());
        b.reconfigure(b.toBuilder().limit(Rate.of(1, Duration.ofSeconds(1), 3)).build().config());
        assertEquals(3, b.availablePermits()); // clamped to the lower burst
        assertTrue(b.tryAcquire(3));
        assertFalse(b.tryAcquire());
        ticker.advance(999, TimeUnit.MILLISECONDS);
        assertFalse(b.tryAcquire()); // 1 per second now
        ticker.advance(1, TimeUnit.MILLISECONDS);
        assertTrue(b.tryAcquire());
    }

    @Test
    void configIsTheLiveOneAndEachChangeIsReportedAsAConfigTransition() {
        TokenBucket b = bucket(Rate.perSecond(10));
        RateLimiterConfig next = b.toBuilder().limit(Rate.perSecond(20)).build().config();
        b.reconfigure(next);
        assertSame(next, b.config());
        assertEquals(List.of(Rate.perSecond(20)), b.limits());
        b.setLimit(Rate.perSecond(30)); // the primitive keeps config() live too
        assertEquals(List.of(Rate.perSecond(30)), b.config().limits());
        assertEquals(List.of(Rate.perSecond(30)), b.toBuilder().build().limits());
        List<Transition> changes = metrics.transitions("api", PolicyKinds.CONFIG).stream()
                .toList();
        assertEquals(2, changes.size());
        assertEquals("api", changes.get(0).policy());
    }

    @Test
    void anotherNameTickerSleeperOrNumberOfLimitsIsRefusedNamingItAndTheOldLimitStays() {
        TokenBucket b = bucket(Rate.perSecond(10));
        RateLimiterConfig before = b.config();
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class, () -> b.reconfigure(
                RateLimiter.builder("other").limit(Rate.perSecond(1)).ticker(ticker).sleeper(sleeper).metrics(metrics)
                        .build().config()));
        assertEquals("cannot reconfigure 'api': name must stay 'api' but was 'other'", name.getMessage());
        IllegalArgumentException fixed = assertThrows(IllegalArgumentException.class, () -> b.reconfigure(
                b.toBuilder().ticker(new ManualTicker()).sleeper(new RecordingSleeper(ticker)).build().config()));
        assertTrue(fixed.getMessage().startsWith("cannot reconfigure 'api': ticker cannot change at run time"),
                fixed.getMessage());
        assertTrue(fixed.getMessage().contains("; sleeper cannot change at run time"), fixed.getMessage());
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class, () -> b.reconfigure(
                b.toBuilder().limit(Rate.perSecond(1)).limit(Rate.perMinute(10)).build().config()));
        assertEquals("cannot reconfigure 'api': limits must hold 1 limit (a TokenBucket keeps its number of limits) "
                + "but held 2", count.getMessage());
        assertSame(before, b.config());
        assertEquals(List.of(Rate.perSecond(10)), b.limits());
        assertEquals(10, b.availablePermits());
    }

    @Test
    void aMultiLimitLimiterKeepsEachLimitsTokens() {
        MultiLimitRateLimiter m = (MultiLimitRateLimiter) RateLimiter.builder("multi").limit(Rate.of(10, Duration
                .ofSeconds(1), 10)).limit(Rate.of(100, Duration.ofMinutes(1), 100)).ticker(ticker).sleeper(sleeper)
                .metrics(metrics).build();
        assertTrue(m.tryAcquire(8));
        m.reconfigure(m.toBuilder().limit(Rate.of(10, Duration.ofSeconds(1), 5)).limit(Rate.of(100, Duration
                .ofMinutes(1), 100)).build().config());
        assertEquals(2, m.availablePermits()); // the first limit held 2, under its new burst of 5
        ticker.advance(1, TimeUnit.SECONDS);
        assertEquals(5, m.availablePermits());
        assertEquals(2, m.config().limits().size());
        assertThrows(IllegalArgumentException.class, () -> m.reconfigure(m.toBuilder().limit(Rate.perSecond(1)).build()
                .config()));
        assertEquals(Rate.of(10, Duration.ofSeconds(1), 5), m.limits().get(0));
    }

    /**
     * The invariant "no permit created from nothing": four threads take permits without pause while
     * this thread moves time on and changes the limit again and again. Every permit granted must fit
     * in the first burst plus what each rate refilled over the time it was in force (the manual ticker
     * makes that exact), and every call gets exactly one answer.
     */
    @Test
    void changingTheLimitUnderLoadCreatesNoPermitAndLosesNoCall() throws Exception {
        long seed = System.nanoTime();
        System.out.println("RateLimiterReconfigurationTest seed=" + seed);
        Random random = new Random(seed);
        long[] perSecond = {100, 250, 1_000, 4_000, 50};
        TokenBucket b = bucket(Rate.of(1_000, Duration.ofSeconds(1), 50));
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder granted = new LongAdder();
        LongAdder refused = new LongAdder();
        LongAdder asked = new LongAdder();
        List<Future<?>> workers = new ArrayList<>();
        CountDownLatch running = new CountDownLatch(4);
        for (int w = 0; w < 4; w++) {
            workers.add(pool.submit(() -> {
                running.countDown();
                while (!stop.get()) {
                    asked.increment();
                    try {
                        b.call(() -> "ok");
                        granted.increment();
                    } catch (RateLimitedException e) {
                        refused.increment();
                    }
                }
                return null;
            }));
        }
        // bound = burst + sum(rate_i × time_i), in permits × 10^9 ns to stay exact
        BigInteger bound = BigInteger.valueOf(50).multiply(BigInteger.TEN.pow(9));
        long rate = 1_000;
        assertTrue(running.await(10, TimeUnit.SECONDS));
        for (int step = 0; step < 2_000; step++) {
            long dt = 1 + random.nextInt(20_000_000); // up to 20 ms
            ticker.advance(dt);
            bound = bound.add(BigInteger.valueOf(rate).multiply(BigInteger.valueOf(dt)));
            rate = perSecond[random.nextInt(perSecond.length)];
            long burst = 1 + random.nextInt(100);
            b.reconfigure(b.toBuilder().limit(Rate.of(rate, Duration.ofSeconds(1), burst)).build().config());
            Thread.onSpinWait();
        }
        stop.set(true);
        for (Future<?> f : workers) {
            f.get(30, TimeUnit.SECONDS);
        }
        long permits = granted.sum() + b.availablePermits(); // the left-over tokens were refilled too
        long limit = bound.divide(BigInteger.TEN.pow(9)).longValueExact();
        assertTrue(permits <= limit, "granted " + granted.sum() + " + left " + b.availablePermits() + " > bound " + limit
                + " (seed " + seed + ")");
        assertTrue(granted.sum() > 0, "no permit granted at all (seed " + seed + ")");
        assertEquals(asked.sum(), granted.sum() + refused.sum(), "every call gets exactly one answer (seed " + seed + ")");
    }
}
