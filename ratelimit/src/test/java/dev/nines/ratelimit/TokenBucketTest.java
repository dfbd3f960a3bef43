package dev.nines.ratelimit;

import dev.nines.Sleeper;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.RejectedCallException;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.Outcome;
import dev.nines.testing.RecordingSleeper;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private final ManualTicker ticker = new ManualTicker(-123_456_789L);
    private final RecordingSleeper sleeper = new RecordingSleeper();

    private TokenBucket bucket(Rate limit) {
        return (TokenBucket) RateLimiter.builder("b").limit(limit).ticker(ticker).sleeper(sleeper)
                .metrics(new InMemoryMetrics()).build();
    }

    private static long drain(RateLimiter limiter) {
        long n = 0;
        while (limiter.tryAcquire()) {
            n++;
        }
        return n;
    }

    @Test
    void startsFullThenRefillsContinuouslyUpToTheBurst() {
        TokenBucket b = bucket(Rate.of(10, Duration.ofSeconds(1), 5));
        assertEquals(5, drain(b));
        ticker.advance(99, TimeUnit.MILLISECONDS);
        assertFalse(b.tryAcquire());
        ticker.advance(1, TimeUnit.MILLISECONDS);
        assertTrue(b.tryAcquire());
        ticker.advance(10, TimeUnit.SECONDS);
        assertEquals(5, b.availablePermits());
        assertTrue(b.tryAcquire(5));
        assertFalse(b.tryAcquire());
    }

    @Test
    void requestsBeyondTheBurstFailClearly() {
        TokenBucket b = bucket(Rate.of(10, Duration.ofSeconds(1), 5));
        assertEquals("permits must be <= the burst (5) of 10 per PT1S (burst 5) but was 6; such a request could"
                + " never succeed", assertThrows(IllegalArgumentException.class, () -> b.tryAcquire(6)).getMessage());
        assertEquals("permits must be >= 1 but was 0",
                assertThrows(IllegalArgumentException.class, () -> b.tryAcquire(0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.acquire(6, Duration.ofDays(1)));
    }

    @Test
    void detailedFormReportsRemainingAndWait() {
        TokenBucket b = bucket(Rate.perSecond(4));
        assertEquals(new AcquireResult(true, 1, 0), b.tryAcquireDetailed(3));
        assertEquals(new AcquireResult(false, 1, 250_000_000), b.tryAcquireDetailed(2));
        assertEquals(250_000_000, b.tryAcquireOrWaitNanos(2));
        ticker.advance(250, TimeUnit.MILLISECONDS);
        assertEquals(new AcquireResult(true, 0, 0), b.tryAcquireDetailed(2));
    }

    @Test
    void idleForYearsIsSimplyFull() {
        TokenBucket b = bucket(Rate.of(1_000_000_000, Duration.ofSeconds(1), 1_000_000));
        assertTrue(b.tryAcquire(1_000_000));
        for (int i = 0; i < 4; i++) {
            ticker.advance(Duration.ofDays(3_650)); // 40 years in all, across the wrap of the raw units
            assertEquals(1_000_000, b.availablePermits());
            assertTrue(b.tryAcquire(1_000_000));
            assertFalse(b.tryAcquire());
        }
    }

    @Test
    void onePerDayAndOnePerNanosecondAreExact() {
        TokenBucket day = bucket(Rate.of(1, Duration.ofDays(1)));
        assertTrue(day.tryAcquire());
        ticker.advance(Duration.ofDays(1).minusNanos(1));
        assertFalse(day.tryAcquire());
        assertEquals(1, day.tryAcquireOrWaitNanos(1));
        ticker.advance(1);
        assertTrue(day.tryAcquire());

        TokenBucket nano = bucket(Rate.of(1, Duration.ofNanos(1), 1_000));
        assertEquals(1_000, drain(nano));
        ticker.advance(37);
        assertEquals(37, drain(nano));
    }

    /**
     * Drains {@code limit}'s bucket, then for an hour lets 10 ms pass at a time and takes every whole
     * permit available; returns the permits taken in the hour. The bucket never fills (its refill
     * time is longer than a step), so this is exactly the long-run rate, with nothing lost to the cap.
     */
    private long greedyHour(TokenBucket b) {
        assertTrue(b.tryAcquire(b.limit().burst()));
        long taken = 0;
        for (int step = 0; step < 360_000; step++) {
            ticker.advance(10, TimeUnit.MILLISECONDS);
            long n = b.availablePermits();
            if (n > 0) {
                assertTrue(b.tryAcquire(n));
                taken += n;
            }
        }
        assertEquals(0, b.availablePermits());
        return taken;
    }

    @Test
    void aGreedyTakerGetsExactlyTheEffectiveRateOverAnHour() {
        // whole 1/16 ns per permit: the configured rate, to the permit
        assertEquals(3_600_000_000L, greedyHour(bucket(Rate.perSecond(1_000_000))));
        assertEquals(3_600_000_000_000L, greedyHour(bucket(Rate.of(1_000_000_000, Duration.ofSeconds(1)))));
        assertEquals(36_000, greedyHour(bucket(Rate.of(1, Duration.ofNanos(100_000_000), 2))));

        // 3 per second: 333,333,333.33 ns per permit, kept as 333,333,333.375; the 10,800th permit
        // is due 10,800 × 0.042 ns = 450 ns after the hour, and not a nanosecond earlier
        TokenBucket three = bucket(Rate.of(3, Duration.ofSeconds(1)));
        assertEquals(10_799, greedyHour(three));
        ticker.advance(449);
        assertFalse(three.tryAcquire());
        ticker.advance(1);
        assertTrue(three.tryAcquire());

        // just below one per nanosecond the rounding is at its worst: 27/16 ns and 17/16 ns per permit
        TokenBucket sixHundredMillion = bucket(Rate.perSecond(600_000_000));
        assertEquals(2_133_333_333_333L, greedyHour(sixHundredMillion)); // 1.2% low, as documented
        assertEquals(592_592_592.6, sixHundredMillion.limit().effectivePermits(), 0.1);
        TokenBucket almostOnePerNano = bucket(Rate.perSecond(999_999_999));
        assertEquals(3_388_235_294_117L, greedyHour(almostOnePerNano)); // 5.9% low, as documented
        assertEquals(941_176_470.6, almostOnePerNano.limit().effectivePermits(), 0.1);
        assertEquals(3.0, three.limit().effectivePermits(), 1e-9);
        assertEquals(1_000_000.0, Rate.perSecond(1_000_000).effectivePermits(), 0.0);
    }

    @Test
    void veryLargeCapacities() {
        long burst = 100_000_000_000_000_000L;
        TokenBucket b = bucket(Rate.of(1, Duration.ofNanos(1), burst));
        assertEquals(burst, b.availablePermits());
        assertTrue(b.tryAcquire(burst));
        assertEquals(0, b.availablePermits());
        ticker.advance(Duration.ofDays(1));
        assertEquals(Duration.ofDays(1).toNanos(), b.availablePermits());
    }

    @Test
    void changingTheLimitKeepsThePermitsHeld() {
        TokenBucket b = bucket(Rate.perSecond(10));
        assertTrue(b.tryAcquire(7)); // 3 left
        b.setLimit(Rate.perSecond(100));
        assertEquals(3, b.availablePermits());
        ticker.advance(10, TimeUnit.MILLISECONDS);
        assertEquals(4, b.availablePermits());
        b.setLimits(List.of(Rate.of(1, Duration.ofSeconds(1), 2))); // capped at the new burst
        assertEquals(2, b.availablePermits());
        assertEquals(List.of(Rate.of(1, Duration.ofSeconds(1), 2)), b.limits());
        assertEquals("limits must hold 1 limit (as built) but held 2", assertThrows(IllegalArgumentException.class,
                () -> b.setLimits(List.of(Rate.perSecond(1), Rate.perSecond(2)))).getMessage());
    }

    @Test
    void blockingAcquireReservesInArrivalOrderAndFailsAtOnceBeyondTheTimeout() throws Exception {
        TokenBucket b = bucket(Rate.of(1, Duration.ofSeconds(1)));
        assertTrue(b.acquire(1, Duration.ZERO));
        assertTrue(b.acquire(1, Duration.ofSeconds(5)));
        assertTrue(b.acquire(1, Duration.ofSeconds(5)));
        assertEquals(List.of(1_000_000_000L, 2_000_000_000L), sleeper.sleeps());
        assertFalse(b.acquire(1, Duration.ofMillis(2_999))); // would need 3 s: no sleep, nothing reserved
        assertEquals(2, sleeper.sleeps().size());
        assertFalse(b.tryAcquire()); // does not overtake the waiters
        ticker.advance(3, TimeUnit.SECONDS);
        assertTrue(b.tryAcquire());
    }

    @Test
    void anInterruptedWaiterReturnsItsReservation() {
        TokenBucket b = bucket(Rate.of(1, Duration.ofSeconds(1)));
        assertTrue(b.tryAcquire());
        sleeper.interruptSleeps(true);
        assertThrows(InterruptedException.class, () -> b.acquire(1, Duration.ofSeconds(5)));
        ticker.advance(1, TimeUnit.SECONDS);
        assertTrue(b.tryAcquire()); // the interrupted reservation did not keep the permit
        assertFalse(b.tryAcquire());
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> b.acquire(1, Duration.ofSeconds(5)));
        assertEquals(0, b.availablePermits());
        ticker.advance(1, TimeUnit.SECONDS);
        assertTrue(b.tryAcquire());
    }

    @Test
    void asAPolicyItRejectsWithTheTimeToWaitAndReportsMetrics() throws Exception {
        InMemoryMetrics metrics = new InMemoryMetrics();
        RateLimiter b = RateLimiter.builder("api").limit(Rate.perSecond(2)).ticker(ticker).metrics(metrics)
                .build();
        assertEquals("ok", b.call(() -> "ok"));
        assertEquals("ok", b.callAsync(() -> java.util.concurrent.CompletableFuture.completedFuture("ok"))
                .toCompletableFuture().join());
        RateLimitedException e = assertThrows(RateLimitedException.class, () -> b.call(() -> "no"));
        assertEquals(500_000_000, e.retryAfterNanos());
        assertEquals("api", e.policyName());
        assertEquals("rate limit 'api' exceeded; retry after 0.5 s", e.getMessage());
        CompletionException async = assertThrows(CompletionException.class,
                () -> b.callAsync(() -> java.util.concurrent.CompletableFuture.completedFuture("no"))
                        .toCompletableFuture().join());
        assertTrue(async.getCause() instanceof RejectedCallException);
        assertEquals(2, metrics.count("api", Outcome.SUCCESS));
        assertEquals(2, metrics.count("api", Outcome.REJECTED));
        assertEquals(0, metrics.gauge("api", RateLimiter.AVAILABLE_PERMITS_GAUGE).getAsLong());
        ticker.advance(1, TimeUnit.SECONDS);
        assertEquals(2, metrics.gauge("api", RateLimiter.AVAILABLE_PERMITS_GAUGE).getAsLong());
    }

    @Test
    void aThrowingSinkDoesNotBreakTheCall() throws Exception {
        RateLimiter b = RateLimiter.builder("limiter").limit(Rate.perSecond(1)).ticker(ticker)
                .metrics(new dev.nines.metrics.MetricsSink() {
                    @Override
                    public void onOutcome(String p, String k, Outcome o, long d) {
                        throw new IllegalStateException("broken sink");
                    }
                }).build();
        assertEquals("ok", b.call(() -> "ok"));
        assertThrows(RateLimitedException.class, () -> b.call(() -> "no"));
    }

    @Test
    void builderValidates() {
        assertEquals("limits must be at least one limit but was []",
                assertThrows(IllegalArgumentException.class, () -> RateLimiter.builder("limiter").build())
                        .getMessage());
        assertEquals("name must not be blank but was ' '", assertThrows(IllegalArgumentException.class,
                () -> RateLimiter.builder(" ").limit(Rate.perSecond(1)).build()).getMessage());
        assertEquals("name must not be blank but was ' '; limits must be at least one limit but was []",
                assertThrows(IllegalArgumentException.class, () -> RateLimiter.builder(" ").build()).getMessage(),
                "every bad field at once");
    }

    /**
     * Issue 12, item 16: W1 (2 permits) and then W2 (1 permit) wait; W1 is interrupted. Its permits
     * lapse because W2 reserved behind it: neither a later waiter nor a tryAcquire is served before
     * W2, as "waiters are served in arrival order" promises.
     */
    @Test
    void anInterruptedWaitersPermitsLetNobodyOvertakeAWaiterAlreadyAsleep() throws Exception {
        ManualTicker t = new ManualTicker(Long.MAX_VALUE - 2_000_000_000L); // the schedule wraps
        List<Long> slept = new java.util.ArrayList<>();
        TokenBucket[] b = new TokenBucket[1];
        Sleeper w1InterruptedAfterW2Queued = nanos -> {
            slept.add(nanos);
            if (slept.size() == 1) { // W1 asleep: W2 arrives, reserves behind it, sleeps; then W1 is interrupted
                assertTrue(b[0].acquire(1, Duration.ofSeconds(10)));
                throw new InterruptedException("W1");
            }
        };
        b[0] = (TokenBucket) RateLimiter.builder("limiter").limit(Rate.of(1, Duration.ofSeconds(1), 2)).ticker(t)
                .sleeper(w1InterruptedAfterW2Queued).metrics(new InMemoryMetrics()).build();
        assertTrue(b[0].tryAcquire(2));
        assertThrows(InterruptedException.class, () -> b[0].acquire(2, Duration.ofSeconds(10)));
        assertEquals(List.of(2_000_000_000L, 3_000_000_000L), slept, "W1 until +2 s, W2 until +3 s");
        assertTrue(b[0].acquire(1, Duration.ofSeconds(10)));
        assertEquals(4_000_000_000L, slept.get(2), "W3 is served after W2, not in W1's place");
        t.advance(Duration.ofSeconds(2));
        assertFalse(b[0].tryAcquire(), "no tryAcquire while W2 (and W3) still sleep");
    }
}
