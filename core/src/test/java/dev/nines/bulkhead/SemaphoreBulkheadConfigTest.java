package dev.nines.bulkhead;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nines.ManualTicker;
import dev.nines.Ticker;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.Outcome;
import dev.nines.metrics.PolicyKinds;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The builder and config of {@link SemaphoreBulkhead}: defaults, checks at build(), and the toBuilder() round trip. */
class SemaphoreBulkheadConfigTest {

    @AfterEach
    void reset() {
        Metrics.setDefault(null);
    }

    @Test
    void everyDefaultIsVisibleInTheConfig() {
        Metrics.setDefault(new InMemoryMetrics());
        SemaphoreBulkheadConfig c = SemaphoreBulkhead.builder("b").build().config();
        assertEquals("b", c.name());
        assertEquals(25, c.maxConcurrent());
        assertEquals(SemaphoreBulkheadConfig.DEFAULT_MAX_CONCURRENT, c.maxConcurrent());
        assertEquals(Duration.ZERO, c.maxWait());
        assertSame(Ticker.system(), c.ticker());
        assertSame(Metrics.getDefault(), c.metrics());
        assertEquals("SemaphoreBulkheadConfig[name=b, maxConcurrent=25, maxWait=PT0S]", c.toString());
    }

    @Test
    void aConfigRoundTripsThroughToBuilderFieldByField() {
        ManualTicker ticker = new ManualTicker();
        InMemoryMetrics sink = new InMemoryMetrics(ticker, 4);
        SemaphoreBulkhead original = SemaphoreBulkhead.builder("b").maxConcurrent(3).maxWait(Duration.ofMillis(7))
                .ticker(ticker).metrics(sink).build();
        SemaphoreBulkheadConfig a = original.config();
        SemaphoreBulkheadConfig b = original.toBuilder().build().config();
        assertNotSame(a, b);
        assertEquals(a.name(), b.name());
        assertEquals(a.maxConcurrent(), b.maxConcurrent());
        assertEquals(a.maxWait(), b.maxWait());
        assertSame(a.ticker(), b.ticker());
        // the sink is guarded anew by each build: the derived one reports to the same sink
        b.metrics().onOutcome("b", PolicyKinds.BULKHEAD, Outcome.SUCCESS, 0);
        assertEquals(1, sink.count("b", PolicyKinds.BULKHEAD, Outcome.SUCCESS));
    }

    @Test
    void anUnsetSinkStaysUnsetThroughToBuilderAndTakesTheDefaultOfTheNewBuild() {
        InMemoryMetrics first = new InMemoryMetrics();
        InMemoryMetrics second = new InMemoryMetrics();
        Metrics.setDefault(first);
        SemaphoreBulkhead original = SemaphoreBulkhead.builder("u").maxConcurrent(2).build();
        Metrics.setDefault(second);
        SemaphoreBulkhead derived = original.toBuilder().build();
        assertEquals(2, derived.config().maxConcurrent());
        assertSame(Metrics.getDefault(), derived.config().metrics());
        assertEquals(2, second.gauge("u", PolicyKinds.BULKHEAD, SemaphoreBulkhead.GAUGE_AVAILABLE).getAsLong(),
                "the derived bulkhead registered its gauges with the default of its own build");
    }

    @Test
    void buildNamesEveryBadFieldWithItsValueAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SemaphoreBulkhead.builder("b").maxConcurrent(-3).maxWait(Duration.ofSeconds(-2)).build());
        assertEquals("maxConcurrent must be >= 1 but was -3; maxWait must be >= 0 but was PT-2S", e.getMessage());
    }

    @Test
    void settersRejectNullAtOnceNamingTheParameter() {
        SemaphoreBulkheadBuilder b = SemaphoreBulkhead.builder("b");
        assertEquals("name", assertThrows(NullPointerException.class, () -> SemaphoreBulkhead.builder(null))
                .getMessage());
        assertEquals("maxWait", assertThrows(NullPointerException.class, () -> b.maxWait(null)).getMessage());
        assertEquals("ticker", assertThrows(NullPointerException.class, () -> b.ticker(null)).getMessage());
        assertEquals("metrics", assertThrows(NullPointerException.class, () -> b.metrics(null)).getMessage());
    }
}
