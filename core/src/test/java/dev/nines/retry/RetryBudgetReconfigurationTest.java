package dev.nines.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.annotation.PolicyRegistry;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.PolicyKinds;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** {@code reconfigure} of a retry budget: new ratio, floor and cap for what comes after, saved retries and floor tokens kept. */
class RetryBudgetReconfigurationTest {

    private final ManualTicker ticker = new ManualTicker();
    private final InMemoryMetrics metrics = new InMemoryMetrics();

    private RetryBudget budget(double ratio, int floor, int maxSaved) {
        return RetryBudget.builder("payments").retryRatio(ratio).minRetriesPerSecond(floor).maxSavedRetries(maxSaved)
                .ticker(ticker).metrics(metrics).build();
    }

    /** Takes every retry the budget grants now and returns how many. */
    private static int drain(RetryBudget b) {
        int n = 0;
        while (b.tryAcquireRetry()) {
            n++;
        }
        return n;
    }

    @Test
    void savedRetriesAreKeptAndTheNewRatioAppliesToLaterFirstAttempts() {
        RetryBudget b = budget(0.5, 0, 100);
        for (int i = 0; i < 10; i++) {
            b.recordFirstAttempt(); // 5 saved
        }
        b.reconfigure(b.toBuilder().retryRatio(0.1).build().config());
        assertEquals(5.0, b.availableRetries());
        for (int i = 0; i < 10; i++) {
            b.recordFirstAttempt(); // 1 more at the new ratio, not 5
        }
        assertEquals(6.0, b.availableRetries(), 1e-9);
        assertEquals(0.1, b.retryRatio());
        assertEquals(6, drain(b));
    }

    @Test
    void aLoweredCapDropsWhatLiesAboveItAndARaisedOneLetsDepositsGrow() {
        RetryBudget b = budget(1.0, 0, 100);
        for (int i = 0; i < 50; i++) {
            b.recordFirstAttempt();
        }
        b.reconfigure(b.toBuilder().maxSavedRetries(20).build().config());
        assertEquals(20.0, b.availableRetries());
        b.recordFirstAttempt();
        assertEquals(20.0, b.availableRetries()); // the new cap holds
        b.reconfigure(b.toBuilder().maxSavedRetries(30).build().config());
        b.recordFirstAttempt();
        assertEquals(21.0, b.availableRetries());
        assertEquals(OptionalLong.of(21), metrics.gauge("payments", PolicyKinds.RETRY, RetryBudget.GAUGE_AVAILABLE));
    }

    @Test
    void theFloorKeepsItsTokensCappedAndRefillsAtTheNewRate() {
        RetryBudget b = budget(0.0, 10, 100);
        assertEquals(4, take(b, 4)); // 6 floor tokens left
        b.reconfigure(b.toBuilder().minRetriesPerSecond(100).build().config());
        assertEquals(6, drain(b)); // kept, not refilled to 100
        ticker.advance(Duration.ofMillis(50)); // 100 per second: 5 more
        assertEquals(5, drain(b));
        b.reconfigure(b.toBuilder().minRetriesPerSecond(3).build().config());
        ticker.advance(Duration.ofSeconds(5));
        assertEquals(3, drain(b)); // a second's worth of the new floor at most
        b.reconfigure(b.toBuilder().minRetriesPerSecond(0).build().config());
        ticker.advance(Duration.ofSeconds(5));
        assertFalse(b.tryAcquireRetry()); // no floor any more
        b.reconfigure(b.toBuilder().minRetriesPerSecond(2).build().config());
        assertEquals(2, drain(b)); // a floor set again starts full
    }

    private static int take(RetryBudget b, int n) {
        int taken = 0;
        for (int i = 0; i < n && b.tryAcquireRetry(); i++) {
            taken++;
        }
        return taken;
    }

    @Test
    void anotherNameOrTickerIsRefusedNamingItAndTheOldSettingsStay() {
        RetryBudget b = budget(0.5, 10, 100);
        RetryBudgetConfig before = b.config();
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class, () -> b.reconfigure(
                RetryBudget.builder("other").ticker(ticker).metrics(metrics).build().config()));
        assertEquals("cannot reconfigure 'payments': name must stay 'payments' but was 'other'", name.getMessage());
        IllegalArgumentException tick = assertThrows(IllegalArgumentException.class, () -> b.reconfigure(
                b.toBuilder().ticker(new ManualTicker()).retryRatio(0.2).build().config()));
        assertTrue(tick.getMessage().startsWith("cannot reconfigure 'payments': ticker cannot change at run time"),
                tick.getMessage());
        assertSame(before, b.config());
        assertEquals(0.5, b.retryRatio());
        assertTrue(metrics.transitions("payments", PolicyKinds.CONFIG).isEmpty());
    }

    @Test
    void aRegistryChangeReachesTheSharedBudgetAndIsReportedOnce() {
        RetryBudget b = budget(0.5, 10, 100);
        PolicyRegistry registry = new PolicyRegistry().register(b);
        RetryBudget built = b.toBuilder().retryRatio(0.25).build();
        registry.reconfigure(built);
        assertEquals(0.25, b.retryRatio());
        assertSame(built.config(), b.config());
        assertEquals(1, metrics.transitions("payments", PolicyKinds.CONFIG).size());
    }

    /**
     * The floor under load: four threads take retries without pause while this thread moves time on
     * and changes the floor. The retries granted, plus those left at the end, fit in the first
     * second's worth plus what each floor refilled while in force (rates dividing a second exactly,
     * so the bound is exact); every request gets exactly one answer.
     */
    @Test
    void changingTheFloorUnderLoadGrantsNoRetryFromNothing() throws Exception {
        long seed = System.nanoTime();
        System.out.println("RetryBudgetReconfigurationTest seed=" + seed);
        Random random = new Random(seed);
        int[] floors = {10, 100, 1_000, 50, 4};
        RetryBudget b = budget(0.0, 10, 100);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder granted = new LongAdder();
        LongAdder refused = new LongAdder();
        LongAdder asked = new LongAdder();
        List<Future<?>> workers = new ArrayList<>();
        BigInteger bound = BigInteger.valueOf(10).multiply(BigInteger.TEN.pow(9)); // retries × 10^9 ns
        try {
            for (int w = 0; w < 4; w++) {
                workers.add(pool.submit(() -> {
                    while (!stop.get()) {
                        asked.increment();
                        (b.tryAcquireRetry() ? granted : refused).increment();
                    }
                    return null;
                }));
            }
            long rate = 10;
            for (int step = 0; step < 2_000; step++) {
                long dt = 1 + random.nextInt(20_000_000);
                ticker.advance(dt);
                bound = bound.add(BigInteger.valueOf(rate).multiply(BigInteger.valueOf(dt)));
                rate = floors[random.nextInt(floors.length)];
                b.reconfigure(b.toBuilder().minRetriesPerSecond((int) rate).build().config());
                Thread.onSpinWait();
            }
            stop.set(true);
            for (Future<?> f : workers) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        long left = drain(b);
        long limit = bound.divide(BigInteger.TEN.pow(9)).longValueExact();
        assertTrue(granted.sum() + left <= limit, "granted " + granted.sum() + " + left " + left + " > bound " + limit
                + " (seed " + seed + ")");
        assertTrue(granted.sum() > 0, "no retry granted at all (seed " + seed + ")");
        assertEquals(asked.sum(), granted.sum() + refused.sum(), "every request answered once (seed " + seed + ")");
    }
}
