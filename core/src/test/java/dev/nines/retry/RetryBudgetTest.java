package dev.nines.retry;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.Outcome;
import dev.nines.testing.Race;
import dev.nines.testing.RecordingSleeper;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {

    private static final long MS = 1_000_000L;

    private final ManualTicker ticker = new ManualTicker();

    private RetryBudgetBuilder budget() {
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
        Race.sum(threads, thread -> {
            for (int i = 0; i < perThread; i++) {
                b.recordFirstAttempt();
            }
            return 0;
        });
        long granted = Race.sum(threads, thread -> {
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
        long granted = Race.sum(threads, thread -> {
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
    void twoRetryPoliciesGivenOneBudgetDrawFromTheSameAllowance() {
        InMemoryMetrics metrics = new InMemoryMetrics(ticker, 4);
        RecordingSleeper sleeper = new RecordingSleeper(ticker);
        RetryBudget shared = RetryBudget.builder("shared").retryRatio(0.25).minRetriesPerSecond(1).ticker(ticker)
                .metrics(metrics).build();
        Retry orders = sharing("orders", shared, sleeper);
        Retry payments = sharing("payments", shared, sleeper);

        // eight first attempts through "orders" deposit two retries; the floor adds one
        for (int i = 0; i < 8; i++) {
            assertDoesNotThrow(() -> orders.call(() -> "ok"));
        }
        assertEquals(2.0, shared.availableRetries());

        // "payments" spends all three: its call fails after 1 + 3 attempts, not 1 + 4
        AtomicInteger paymentAttempts = new AtomicInteger();
        IOException spent = assertThrows(IOException.class, () -> payments.call(alwaysFailing(paymentAttempts)));
        assertEquals("attempt 4", spent.getMessage());
        assertEquals(4, paymentAttempts.get());
        assertEquals(1, metrics.count("shared", Outcome.REJECTED));

        // "orders" then gets no retry at all: its failure goes straight to its caller
        AtomicInteger orderAttempts = new AtomicInteger();
        IOException straight = assertThrows(IOException.class, () -> orders.call(alwaysFailing(orderAttempts)));
        assertEquals("attempt 1", straight.getMessage());
        assertEquals(1, orderAttempts.get());
        assertEquals(2, metrics.count("shared", Outcome.REJECTED));
        assertEquals(List.of(MS, MS, MS), sleeper.sleeps(), "only the three granted retries waited");

        // a second later the floor has refilled one retry, and "orders" may take it
        ticker.advance(Duration.ofSeconds(1));
        AtomicInteger later = new AtomicInteger();
        assertEquals("attempt 2", assertThrows(IOException.class, () -> orders.call(alwaysFailing(later))).getMessage());
        assertEquals(3, metrics.count("shared", Outcome.REJECTED));
    }

    private Retry sharing(String name, RetryBudget budget, RecordingSleeper sleeper) {
        return Retry.builder(name).maxAttempts(5).backoff(Backoff.fixed(Duration.ofNanos(MS))).budget(budget)
                .ticker(ticker).sleeper(sleeper).metrics(MetricsSink.noop()).build();
    }

    private static Callable<String> alwaysFailing(AtomicInteger attempts) {
        return () -> {
            throw new IOException("attempt " + attempts.incrementAndGet());
        };
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
    void invalidSettingsAreRefusedAtBuildWithEveryFieldAndValue() {
        assertEquals("retryRatio must be in [0.0, 1000.0] but was -0.1; minRetriesPerSecond must be >= 0 but was -1; "
                + "maxSavedRetries must be in [1, 1000000] but was 0", assertThrows(IllegalArgumentException.class,
                () -> budget().retryRatio(-0.1).minRetriesPerSecond(-1).maxSavedRetries(0).build()).getMessage());
        assertEquals("name must not be blank but was ''; retryRatio must be in [0.0, 1000.0] but was NaN",
                assertThrows(IllegalArgumentException.class,
                        () -> RetryBudget.builder("").retryRatio(Double.NaN).build()).getMessage());
        // above one per nanosecond the floor's interval would round to 0 ns: unlimited retries
        assertEquals("minRetriesPerSecond must be <= 1000000000 (one per nanosecond) but was 1000000001",
                assertThrows(IllegalArgumentException.class,
                        () -> budget().minRetriesPerSecond(1_000_000_001).build()).getMessage());
        assertEquals(1_000_000_000, budget().minRetriesPerSecond(1_000_000_000).build().minRetriesPerSecond());
    }

    @Test
    void toBuilderKeepsAnUnsetSinkUnsetSoTheDerivedBudgetTakesTheDefaultOfItsOwnBuild() {
        InMemoryMetrics first = new InMemoryMetrics();
        InMemoryMetrics second = new InMemoryMetrics();
        try {
            Metrics.setDefault(first);
            RetryBudget original = RetryBudget.builder("derived").ticker(ticker).minRetriesPerSecond(0).build();
            Metrics.setDefault(second);
            RetryBudget derived = original.toBuilder().retryRatio(0.2).build();
            assertEquals(0.2, derived.retryRatio());
            assertEquals(100, derived.maxSavedRetries(), "unset settings stay at their defaults");
            assertFalse(derived.tryAcquireRetry());
            assertEquals(1, second.count("derived", Outcome.REJECTED), "the default of the derived build");
            assertEquals(0, first.count("derived", Outcome.REJECTED));
        } finally {
            Metrics.setDefault(null);
        }
    }
}
