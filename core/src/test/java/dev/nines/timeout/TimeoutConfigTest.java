package dev.nines.timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nines.ManualTicker;
import dev.nines.Scheduler;
import dev.nines.Ticker;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.Outcome;
import dev.nines.testing.ManualScheduler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The builder and config of {@link Timeout}: defaults, checks at build(), and the toBuilder() round trip. */
class TimeoutConfigTest {

    private final ManualTicker ticker = new ManualTicker();
    private final ManualScheduler scheduler = new ManualScheduler(ticker);
    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void reset() {
        executor.shutdownNow();
        Metrics.setDefault(null);
    }

    @Test
    void everyDefaultIsVisibleInTheConfig() {
        InMemoryMetrics sink = new InMemoryMetrics();
        Metrics.setDefault(sink);
        TimeoutConfig c = Timeout.builder("t").build().config();
        assertEquals("t", c.name());
        assertEquals(Duration.ofSeconds(1), c.timeout());
        assertEquals(TimeoutConfig.DEFAULT_TIMEOUT, c.timeout());
        assertSame(Ticker.system(), c.ticker());
        assertSame(Scheduler.system(), c.scheduler());
        assertSame(Metrics.getDefault(), c.metrics());
        assertEquals("TimeoutConfig[name=t, timeout=PT1S, virtualThreads=false]", c.toString());
    }

    @Test
    void aConfigRoundTripsThroughToBuilderFieldByField() {
        InMemoryMetrics sink = new InMemoryMetrics();
        Timeout original = Timeout.builder("t").timeout(Duration.ofMillis(250)).ticker(ticker).scheduler(scheduler)
                .executor(executor).metrics(sink).build();
        TimeoutConfig a = original.config();
        TimeoutConfig b = original.toBuilder().build().config();
        assertNotSame(a, b);
        assertEquals(a.name(), b.name());
        assertEquals(a.timeout(), b.timeout());
        assertSame(a.ticker(), b.ticker());
        assertSame(a.scheduler(), b.scheduler());
        assertSame(a.executor(), b.executor());
        assertSame(executor, b.executor());
        // the sink is guarded anew by each build: the derived one reports to the same sink
        b.metrics().onOutcome("t", "timeout", Outcome.SUCCESS, 0);
        assertEquals(1, sink.count("t", Outcome.SUCCESS));
    }

    @Test
    void unsetSettingsStayUnsetThroughToBuilderAndTakeTheDefaultsOfTheNewBuild() throws Exception {
        InMemoryMetrics first = new InMemoryMetrics();
        InMemoryMetrics second = new InMemoryMetrics();
        Metrics.setDefault(first);
        Timeout original = Timeout.builder("u").scheduler(scheduler).build();
        Metrics.setDefault(second);
        Timeout derived = original.toBuilder().build();
        TimeoutConfig a = original.config();
        TimeoutConfig b = derived.config();
        assertEquals(a.timeout(), b.timeout());
        assertSame(a.ticker(), b.ticker());
        assertSame(a.scheduler(), b.scheduler());
        assertSame(a.executor(), b.executor(), "both the shared default executor");
        assertSame(Metrics.getDefault(), b.metrics(), "the default sink of the derived build");
        derived.callAsync(() -> CompletableFuture.completedFuture("ok")).toCompletableFuture().get();
        assertEquals(1, second.count("u", Outcome.SUCCESS));
        assertEquals(0, first.count("u", Outcome.SUCCESS));
    }

    @Test
    void buildNamesEveryBadFieldWithItsValueAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Timeout.builder(" ").timeout(Duration.ofMillis(-5)).build());
        assertEquals("name must not be blank but was ' '; timeout must be > 0 but was PT-0.005S", e.getMessage());
        IllegalArgumentException derived = assertThrows(IllegalArgumentException.class,
                () -> Timeout.builder("t").build().toBuilder().timeout(Duration.ZERO).build());
        assertEquals("timeout must be > 0 but was PT0S", derived.getMessage());
    }

    @Test
    void settersRejectNullAtOnceNamingTheParameter() {
        TimeoutBuilder b = Timeout.builder("t");
        assertEquals("name", assertThrows(NullPointerException.class, () -> Timeout.builder(null)).getMessage());
        assertEquals("timeout", assertThrows(NullPointerException.class, () -> b.timeout(null)).getMessage());
        assertEquals("executor", assertThrows(NullPointerException.class, () -> b.executor(null)).getMessage());
        assertEquals("scheduler", assertThrows(NullPointerException.class, () -> b.scheduler(null)).getMessage());
        assertEquals("ticker", assertThrows(NullPointerException.class, () -> b.ticker(null)).getMessage());
        assertEquals("metrics", assertThrows(NullPointerException.class, () -> b.metrics(null)).getMessage());
    }
}
