package dev.nines.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.MetricsSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {

    private final ManualTicker ticker = new ManualTicker();

    private RetryBudget.Builder budget() {
        return RetryBudget.builder("b").ticker(ticker).metrics(MetricsSink.noop());
    }

    @Test
    void depositsAllowTheRatioOfFirstAttemptsPlusTheFloor() {
        RetryBudget b = budget().retryRatio(0.1).minRetriesPerSecond(2).build();
        for (int i = 0; i < 30; i++) {
            b.recordFirstAttempt();
        }
        int granted = 0;
        while (b.tryAcquireRetry()) {
            granted++;
        }
        assertEquals(3 + 2, granted);
    }

    @Test
    void theFloorRefillsWithTimeButNeverSavesMoreThanOneSecond() {
        RetryBudget b = budget().retryRatio(0.0).minRetriesPerSecond(4).build();
        for (int i = 0; i < 4; i++) {
            assertTrue(b.tryAcquireRetry());
        }
        assertFalse(b.tryAcquireRetry());
        ticker.advance(Duration.ofMillis(250));
        assertTrue(b.tryAcquireRetry());
        assertFalse(b.tryAcquireRetry());
        ticker.advance(Duration.ofHours(1));
        int granted = 0;
        while (b.tryAcquireRetry()) {
            granted++;
        }
        assertEquals(4, granted);
    }

    @Test
    void depositsAreCappedAtMaxSavedRetries() {
        RetryBudget b = budget().retryRatio(1.0).minRetriesPerSecond(0).maxSavedRetries(5).build();
        for (int i = 0; i < 100; i++) {
            b.recordFirstAttempt();
        }
        assertEquals(5.0, b.availableRetries());
    }

    @Test
    void concurrentDepositsThenConcurrentWithdrawalsGrantExactlyTheBudget() throws Exception {
        RetryBudget b = budget().retryRatio(0.1).minRetriesPerSecond(7).maxSavedRetries(1_000_000).build();
        int threads = 8;
        int perThread = 25_000;
        runConcurrently(threads, () -> {
            for (int i = 0; i < perThread; i++) {
                b.recordFirstAttempt();
            }
            return 0;
        });
        long granted = runConcurrently(threads, () -> {
            int mine = 0;
            while (b.tryAcquireRetry()) {
                mine++;
            }
            return mine;
        });
        assertEquals(threads * perThread / 10 + 7, granted);
        assertEquals(0.0, b.availableRetries());
    }

    @Test
    void mixedConcurrentTrafficNeverGrantsMoreThanItDeposited() throws Exception {
        RetryBudget b = budget().retryRatio(0.5).minRetriesPerSecond(0).maxSavedRetries(1_000_000).build();
        int threads = 8;
        int perThread = 20_000;
        long granted = runConcurrently(threads, () -> {
            int mine = 0;
            for (int i = 0; i < perThread; i++) {
                b.recordFirstAttempt();
                if (b.tryAcquireRetry()) {
                    mine++;
                }
            }
            return mine;
        });
        // every deposit is half a retry: what was granted plus what is left is exactly what came in
        assertEquals(threads * perThread * 0.5, granted + b.availableRetries());
        assertTrue(granted <= threads * perThread / 2);
    }

    @Test
    void reportsTheSavedRetriesAsAGauge() {
        InMemoryMetrics metrics = new InMemoryMetrics(ticker, 4);
        RetryBudget b = RetryBudget.builder("g").retryRatio(1.0).ticker(ticker).metrics(metrics).build();
        b.recordFirstAttempt();
        b.recordFirstAttempt();
        assertEquals(2, metrics.gauge("g", RetryBudget.GAUGE_AVAILABLE).getAsLong());
    }

    @Test
    void invalidSettingsAreRefusedWithFieldAndValue() {
        assertEquals("retryRatio must be in [0.0, 1000.0] but was -0.1", assertThrows(IllegalArgumentException.class,
                () -> budget().retryRatio(-0.1)).getMessage());
        assertEquals("minRetriesPerSecond must be >= 0 but was -1", assertThrows(IllegalArgumentException.class,
                () -> budget().minRetriesPerSecond(-1)).getMessage());
        assertEquals("maxSavedRetries must be >= 1 but was 0", assertThrows(IllegalArgumentException.class,
                () -> budget().maxSavedRetries(0)).getMessage());
    }

    /** Runs {@code task} on {@code threads} threads released together; returns the sum of results. */
    static long runConcurrently(int threads, java.util.concurrent.Callable<Integer> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CyclicBarrier start = new CyclicBarrier(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            long sum = 0;
            for (Future<Integer> f : results) {
                sum += f.get(30, TimeUnit.SECONDS);
            }
            return sum;
        } finally {
            pool.shutdownNow();
        }
    }
}
