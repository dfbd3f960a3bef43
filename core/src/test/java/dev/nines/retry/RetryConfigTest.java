package dev.nines.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.FailureFilter;
import dev.nines.ManualTicker;
import dev.nines.Scheduler;
import dev.nines.Sleeper;
import dev.nines.Ticker;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.Metrics;
import dev.nines.testing.ManualScheduler;
import dev.nines.testing.RecordingSleeper;
import java.io.IOException;
import java.time.Duration;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link RetryConfig} and {@link RetryBudgetConfig}: defaults, {@code toBuilder()} round trips, messages. */
class RetryConfigTest {

    @AfterEach
    void resetDefault() {
        Metrics.setDefault(null);
    }

    static void assertSameSettings(RetryConfig a, RetryConfig b) {
        assertEquals(a.name(), b.name());
        assertEquals(a.maxAttempts(), b.maxAttempts());
        assertEquals(a.maxDuration(), b.maxDuration());
        assertEquals(a.minAttemptTime(), b.minAttemptTime());
        assertSame(a.backoff(), b.backoff());
        assertSame(a.random(), b.random());
        assertSame(a.failures(), b.failures());
        assertEquals(a.budget(), b.budget());
        assertSame(a.ticker(), b.ticker());
        assertSame(a.sleeper(), b.sleeper());
        assertSame(a.scheduler(), b.scheduler());
        assertEquals(a.metrics().toString(), b.metrics().toString(), "the same sink, guarded by each build");
    }

    static void assertSameSettings(RetryBudgetConfig a, RetryBudgetConfig b) {
        assertEquals(a.name(), b.name());
        assertEquals(a.retryRatio(), b.retryRatio());
        assertEquals(a.minRetriesPerSecond(), b.minRetriesPerSecond());
        assertEquals(a.maxSavedRetries(), b.maxSavedRetries());
        assertSame(a.ticker(), b.ticker());
        assertEquals(a.metrics().toString(), b.metrics().toString(), "the same sink, guarded by each build");
    }

    @Test
    void retryToBuilderKeepsEverySetting() {
        ManualTicker ticker = new ManualTicker();
        InMemoryMetrics sink = new InMemoryMetrics();
        RetryBudget budget = RetryBudget.builder("budget").ticker(ticker).metrics(sink).build();
        DoubleSupplier random = () -> 0.25;
        Sleeper sleeper = new RecordingSleeper(ticker);
        Scheduler scheduler = new ManualScheduler(ticker);
        FailureFilter failures = FailureFilter.on(IOException.class);
        Retry retry = Retry.builder("set").maxAttempts(5).maxDuration(Duration.ofSeconds(4))
                .minAttemptTime(Duration.ofMillis(30)).backoff(Backoff.fixed(Duration.ofMillis(7), Jitter.NONE))
                .random(random).failures(failures).budget(budget).ticker(ticker).sleeper(sleeper)
                .scheduler(scheduler).metrics(sink).build();
        RetryConfig copy = retry.toBuilder().build().config();
        assertSameSettings(retry.config(), copy);
        assertSame(failures, copy.failures());
        assertSame(budget, copy.budget().orElseThrow());
        assertSame(scheduler, copy.scheduler());
        copy.metrics().onTransition("probe", "test", "A", "B");
        assertEquals(1, sink.transitions("probe").size(), "the sink that was set");

        Retry defaults = Retry.builder("defaults").build();
        assertSameSettings(defaults.config(), defaults.toBuilder().build().config());
    }

    @Test
    void retryDefaultsAreReadableOnItsConfig() {
        RetryConfig c = Retry.builder("r").build().config();
        assertEquals(3, c.maxAttempts());
        assertEquals(Duration.ZERO, c.maxDuration());
        assertEquals(Duration.ZERO, c.minAttemptTime());
        assertEquals(Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(10), Jitter.FULL).toString(),
                c.backoff().toString());
        assertSame(FailureFilter.exceptions(), c.failures());
        assertFalse(c.budget().isPresent());
        assertSame(Ticker.system(), c.ticker());
        assertSame(Sleeper.system(), c.sleeper());
        assertSame(Scheduler.system(), c.scheduler());
        double jitter = c.random().getAsDouble();
        assertTrue(jitter >= 0 && jitter < 1);
    }

    @Test
    void anUnsetSinkStaysUnsetThroughToBuilderForRetryAndBudget() {
        InMemoryMetrics first = new InMemoryMetrics();
        InMemoryMetrics later = new InMemoryMetrics();
        Metrics.setDefault(first);
        Retry retry = Retry.builder("r").build();
        RetryBudget budget = RetryBudget.builder("b").build();
        Metrics.setDefault(later);
        retry.toBuilder().build().config().metrics().onTransition("retry", "test", "A", "B");
        budget.toBuilder().build().config().metrics().onTransition("budget", "test", "A", "B");
        retry.config().metrics().onTransition("retry-first", "test", "A", "B");
        assertEquals(1, later.transitions("retry").size());
        assertEquals(1, later.transitions("budget").size());
        assertEquals(1, later.transitions("retry-first").size(), "built earlier, the current default too");
        assertEquals(0, first.transitions().size());
    }

    @Test
    void budgetToBuilderKeepsEverySettingAndItsDefaultsAreReadable() {
        ManualTicker ticker = new ManualTicker();
        RetryBudget budget = RetryBudget.builder("b").retryRatio(0.3).minRetriesPerSecond(4).maxSavedRetries(9)
                .ticker(ticker).metrics(new InMemoryMetrics()).build();
        assertSameSettings(budget.config(), budget.toBuilder().build().config());
        assertSame(ticker, budget.config().ticker());

        RetryBudgetConfig defaults = RetryBudget.builder("d").build().config();
        assertEquals(0.1, defaults.retryRatio());
        assertEquals(10, defaults.minRetriesPerSecond());
        assertEquals(100, defaults.maxSavedRetries());
        assertSame(Ticker.system(), defaults.ticker());
        assertSameSettings(defaults, RetryBudget.builder("d").build().toBuilder().build().config());
    }

    @Test
    void budgetBuildNamesEveryBadFieldWithItsValue() {
        assertEquals("name must not be blank but was ' '; retryRatio must be in [0.0, 1000.0] but was -0.5; "
                + "minRetriesPerSecond must be >= 0 but was -1; maxSavedRetries must be in [1, 1000000] but was 0",
                assertThrows(IllegalArgumentException.class, () -> RetryBudget.builder(" ").retryRatio(-0.5)
                        .minRetriesPerSecond(-1).maxSavedRetries(0).build()).getMessage());
    }

    @Test
    void nullsFailAtTheSetterNamingTheParameter() {
        assertEquals("failures", assertThrows(NullPointerException.class,
                () -> Retry.builder("r").failures(null)).getMessage());
        assertEquals("scheduler", assertThrows(NullPointerException.class,
                () -> Retry.builder("r").scheduler(null)).getMessage());
        assertEquals("ticker", assertThrows(NullPointerException.class,
                () -> RetryBudget.builder("b").ticker(null)).getMessage());
        assertEquals("metrics", assertThrows(NullPointerException.class,
                () -> RetryBudget.builder("b").metrics(null)).getMessage());
    }
}
