package dev.nines.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.Sleeper;
import dev.nines.metrics.MetricsSink;
import dev.nines.testing.RecordingSleeper;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The multi-limit limiter on its own, in virtual time: waits, refunds, reconfiguration, reporting. */
class MultiLimitRateLimiterTest {

    private static final long SECOND = 1_000_000_000L;

    private final ManualTicker ticker = new ManualTicker(-987_654_321L);
    private final RecordingSleeper sleeper = new RecordingSleeper();

    private RateLimiter limiter(Sleeper s, Rate... limits) {
        RateLimiterBuilder b = RateLimiter.builder("multi").ticker(ticker).sleeper(s)
                .metrics(MetricsSink.noop());
        for (Rate l : limits) {
            b.limit(l);
        }
        RateLimiter built = b.build();
        assertTrue(built instanceof MultiLimitRateLimiter, built.getClass().getName());
        return built;
    }

    private RateLimiter limiter(Rate... limits) {
        return limiter(sleeper, limits);
    }

    @Test
    void theDetailedResultNamesTheLimitThatDecided() {
        RateLimiter l = limiter(Rate.perSecond(100), Rate.perMinute(5));
        AcquireResult first = l.tryAcquireDetailed(1);
        assertEquals(new AcquireResult(true, 4, 0, 1), first, "the per-minute limit has the fewest left");
        for (int i = 0; i < 4; i++) {
            assertTrue(l.tryAcquire());
        }
        AcquireResult refused = l.tryAcquireDetailed(1);
        assertEquals(new AcquireResult(false, 0, 12 * SECOND, 1), refused, "and the longest wait");

        RateLimiter perSecondBinds = limiter(Rate.perSecond(2), Rate.perMinute(100));
        assertTrue(perSecondBinds.tryAcquire());
        assertEquals(0, perSecondBinds.tryAcquireDetailed(1).bindingLimit());
        AcquireResult waitForTheSecond = perSecondBinds.tryAcquireDetailed(1);
        assertFalse(waitForTheSecond.acquired());
        assertEquals(0, waitForTheSecond.bindingLimit());
        assertEquals(SECOND / 2, waitForTheSecond.nanosToWait());
    }

    @Test
    void blockingAcquireReservesAcrossLimitsInArrivalOrderAndFailsAtOnceBeyondTheTimeout() throws Exception {
        // A: one permit every 0.5 s, burst 2; B: one permit every 5 s, burst 3
        RateLimiter l = limiter(Rate.perSecond(2), Rate.of(2, Duration.ofSeconds(10), 3));
        assertTrue(l.acquire(1, Duration.ZERO));
        assertTrue(l.acquire(1, Duration.ZERO)); // A now empty, B holds 1
        assertEquals(List.of(), sleeper.sleeps());
        assertTrue(l.acquire(1, Duration.ofSeconds(5))); // A binds: its slot at 0.5 s; B's last permit
        assertTrue(l.acquire(1, Duration.ofSeconds(5))); // B binds: its slot at 5 s (A's would be 1 s)
        assertEquals(List.of(SECOND / 2, 5 * SECOND), sleeper.sleeps());

        assertFalse(l.acquire(1, Duration.ofMillis(9_999))); // B's next slot is at 10 s: refused at once
        assertEquals(2, sleeper.sleeps().size());
        assertFalse(l.tryAcquire()); // does not overtake the waiters

        assertTrue(l.acquire(1, Duration.ofSeconds(10))); // the refusal reserved nothing: 10 s, not 15 s
        assertEquals(List.of(SECOND / 2, 5 * SECOND, 10 * SECOND), sleeper.sleeps());

        ticker.advance(10, TimeUnit.SECONDS); // A full again, B exactly empty
        assertFalse(l.tryAcquire());
        ticker.advance(5, TimeUnit.SECONDS);
        assertTrue(l.tryAcquire());
        assertFalse(l.tryAcquire());
    }

    @Test
    void aRefusedAcquireTakesFromNoLimit() throws Exception {
        // A refills in 1 s and binds; B (one permit per 50 s) must keep the permit the refusal did not take
        RateLimiter l = limiter(Rate.perSecond(1), Rate.of(2, Duration.ofSeconds(100)));
        assertTrue(l.tryAcquire()); // A empty, B holds 1
        assertFalse(l.acquire(1, Duration.ofMillis(999)));
        assertEquals(List.of(), sleeper.sleeps());
        ticker.advance(1, TimeUnit.SECONDS);
        assertEquals(1, l.availablePermits()); // B would hold 0.02 had the refusal taken from it
        assertTrue(l.tryAcquire());
        assertEquals(0, l.availablePermits());
    }

    @Test
    void anInterruptedWaiterReturnsItsReservationToEveryLimit() throws Exception {
        // A: one per second, burst 1; B: one per 5 s, burst 2
        RateLimiter l = limiter(Rate.perSecond(1), Rate.of(2, Duration.ofSeconds(10)));
        assertTrue(l.tryAcquire()); // A empty, B holds 1
        sleeper.interruptSleeps(true);
        assertThrows(InterruptedException.class, () -> l.acquire(1, Duration.ofSeconds(5)));
        assertEquals(List.of(SECOND), sleeper.sleeps()); // it did reserve (A's slot at 1 s, B's last permit)
        assertEquals(SECOND, l.tryAcquireOrWaitNanos(1)); // and gave both back: the same wait as before

        ticker.advance(1, TimeUnit.SECONDS);
        assertTrue(l.tryAcquire()); // would fail on A or on B (0.2) had either kept the reservation
        assertFalse(l.tryAcquire());

        Thread.currentThread().interrupt(); // interrupted before asking: nothing reserved, no sleep
        assertThrows(InterruptedException.class, () -> l.acquire(1, Duration.ofSeconds(5)));
        assertFalse(Thread.currentThread().isInterrupted());
        assertEquals(1, sleeper.sleeps().size());
        assertEquals(4 * SECOND, l.tryAcquireOrWaitNanos(1)); // B: 0.2 held at 1 s, a permit at 5 s
    }

    @Test
    void aFailingSleeperAlsoGivesTheReservationBack() throws Exception {
        RateLimiter l = limiter(nanos -> {
            throw new IllegalStateException("broken sleeper");
        }, Rate.perSecond(1), Rate.of(2, Duration.ofSeconds(10)));
        assertTrue(l.tryAcquire());
        assertEquals("broken sleeper", assertThrows(IllegalStateException.class,
                () -> l.acquire(1, Duration.ofSeconds(5))).getMessage());
        ticker.advance(1, TimeUnit.SECONDS);
        assertTrue(l.tryAcquire());
    }

    @Test
    void detailedFormReportsTheBindingLimit() {
        // A: 4 per second (0.25 s per permit), burst 4; B: one per second, burst 6
        RateLimiter l = limiter(Rate.perSecond(4), Rate.of(10, Duration.ofSeconds(10), 6));
        assertEquals(new AcquireResult(true, 1, 0, 0), l.tryAcquireDetailed(3)); // A 1, B 3: A binds
        assertEquals(new AcquireResult(false, 1, SECOND / 4), l.tryAcquireDetailed(2)); // A binds
        assertEquals(SECOND / 4, l.tryAcquireOrWaitNanos(2)); // the refusal took nothing
        ticker.advance(250, TimeUnit.MILLISECONDS); // A 2, B 3.25
        assertEquals(new AcquireResult(true, 0, 0), l.tryAcquireDetailed(2)); // A 0, B 1.25
        ticker.advance(1, TimeUnit.SECONDS); // A 4 (full), B 2.25
        assertEquals(new AcquireResult(false, 2, 3 * SECOND / 4, 1), l.tryAcquireDetailed(3)); // now B binds
        assertEquals(new AcquireResult(true, 0, 0, 1), l.tryAcquireDetailed(2)); // A 2, B 0.25
        assertEquals(new AcquireResult(false, 0, 3 * SECOND / 4, 1), l.tryAcquireDetailed(1));
    }

    @Test
    void changingTheLimitsKeepsTheStateOfEveryBucket() {
        RateLimiter l = limiter(Rate.perSecond(10), Rate.perMinute(100));
        assertTrue(l.tryAcquire(7)); // A 3, B 93
        List<Rate> next = List.of(Rate.perSecond(100), Rate.of(100, Duration.ofMinutes(1), 50));
        l.setLimits(next); // A keeps 3; B's 93 are capped at its new burst, 50
        assertEquals(next, l.limits());
        assertEquals(3, l.availablePermits());
        ticker.advance(470, TimeUnit.MILLISECONDS); // A refills at the new rate: 3 + 47
        assertEquals(50, l.availablePermits());
        ticker.advance(500, TimeUnit.MILLISECONDS); // A 100, B still 50: the cap held
        assertEquals(50, l.availablePermits());

        assertTrue(l.tryAcquire(50)); // A 50, B 0
        l.setLimits(List.of(Rate.perSecond(100), Rate.perMinute(600))); // B keeps 0, refills every 0.1 s
        assertEquals(0, l.availablePermits());
        ticker.advance(100, TimeUnit.MILLISECONDS);
        assertEquals(1, l.availablePermits());
    }

    @Test
    void changingTheLimitsKeepsWhatPendingReservationsOwe() throws Exception {
        RateLimiter l = limiter(Rate.perSecond(1), Rate.perMinute(60));
        assertTrue(l.acquire(1, Duration.ZERO));
        assertTrue(l.acquire(1, Duration.ofSeconds(5))); // A owes one permit, due in 1 s
        l.setLimits(List.of(Rate.perSecond(2), Rate.perMinute(60))); // the debt is one permit at the new rate
        assertEquals(SECOND, l.tryAcquireOrWaitNanos(1)); // 0.5 s to repay, 0.5 s to the next permit
        assertEquals(0, l.availablePermits());
    }

    @Test
    void invalidReconfigurationFailsAndChangesNothing() {
        RateLimiter l = limiter(Rate.perSecond(10), Rate.perMinute(100));
        assertEquals("limits must hold 2 limits (as built) but held 1", assertThrows(IllegalArgumentException.class,
                () -> l.setLimits(List.of(Rate.perSecond(1)))).getMessage());
        assertThrows(NullPointerException.class, () -> l.setLimits(null));
        assertThrows(NullPointerException.class,
                () -> l.setLimits(java.util.Arrays.asList(Rate.perSecond(1), null)));
        assertEquals(List.of(Rate.perSecond(10), Rate.perMinute(100)), l.limits());
        assertEquals(10, l.availablePermits());
    }

    @Test
    void requestsBeyondTheSmallestBurstFailClearlyAndTakeNothing() {
        RateLimiter l = limiter(Rate.perSecond(10), Rate.of(100, Duration.ofMinutes(1), 6));
        assertEquals("permits must be <= the burst (6) of 100 per PT1M (burst 6) but was 7; such a request could"
                + " never succeed", assertThrows(IllegalArgumentException.class, () -> l.tryAcquire(7)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> l.acquire(7, Duration.ofDays(1)));
        assertEquals("permits must be >= 1 but was 0",
                assertThrows(IllegalArgumentException.class, () -> l.tryAcquireDetailed(0)).getMessage());
        assertEquals(6, l.availablePermits());
        assertEquals(List.of(), sleeper.sleeps());
    }

    @Test
    void theSuccessPathAllocatesNothing() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(threads instanceof com.sun.management.ThreadMXBean);
        com.sun.management.ThreadMXBean bytes = (com.sun.management.ThreadMXBean) threads;
        RateLimiter l = limiter(Rate.of(1, Duration.ofNanos(1), 1_000_000), Rate.of(1, Duration.ofNanos(2), 2_000_000));
        long granted = 0;
        for (int i = 0; i < 10_000; i++) { // warm up, and let the measurement's own first use settle
            ticker.advance(1);
            granted += l.tryAcquire() ? 1 : 0;
        }
        long before = bytes.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            ticker.advance(1);
            granted += l.tryAcquire() ? 1 : 0;
            granted += l.tryAcquireOrWaitNanos(2) == 0 ? 2 : 0;
        }
        long allocated = bytes.getCurrentThreadAllocatedBytes() - before;
        assertEquals(310_000, granted);
        // one-off JVM work (compilation, the counter itself) may show a few hundred bytes; a single
        // object per decision would be at least 16 bytes × 200,000 = 3.2 MB
        assertTrue(allocated < 100_000, allocated + " bytes allocated by 200,000 granted decisions");
    }

    /**
     * Issue 12, item 16, with two limits: W1 (2 permits) and then W2 (1 permit) wait; W1 is
     * interrupted. Its permits lapse in each limit W2 reserved behind it, so a later waiter is
     * served after W2, not in W1's place.
     */
    @Test
    void anInterruptedWaitersPermitsLetNobodyOvertakeAWaiterAlreadyAsleep() throws Exception {
        java.util.List<Long> slept = new java.util.ArrayList<>();
        RateLimiter[] l = new RateLimiter[1];
        Sleeper w1InterruptedAfterW2Queued = nanos -> {
            slept.add(nanos);
            if (slept.size() == 1) {
                assertTrue(l[0].acquire(1, Duration.ofSeconds(10)));
                throw new InterruptedException("W1");
            }
        };
        l[0] = limiter(w1InterruptedAfterW2Queued, Rate.of(1, Duration.ofSeconds(1), 2),
                Rate.of(2, Duration.ofSeconds(1), 2));
        assertTrue(l[0].tryAcquire(2));
        assertThrows(InterruptedException.class, () -> l[0].acquire(2, Duration.ofSeconds(10)));
        assertEquals(java.util.List.of(2 * SECOND, 3 * SECOND), slept, "W1 until +2 s, W2 until +3 s");
        assertTrue(l[0].acquire(1, Duration.ofSeconds(10)));
        assertEquals(4 * SECOND, slept.get(2), "W3 is served after W2, not in W1's place");
    }
}
