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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The builder and config of {@link ThreadPoolBulkhead}: defaults, checks at build(), and the toBuilder() round trip. */
class ThreadPoolBulkheadConfigTest {

    private final List<ThreadPoolBulkhead> built = new ArrayList<>();

    @AfterEach
    void reset() {
        built.forEach(ThreadPoolBulkhead::close);
        Metrics.setDefault(null);
    }

    private ThreadPoolBulkhead keep(ThreadPoolBulkhead b) {
        built.add(b);
        return b;
    }

    @Test
    void everyDefaultIsVisibleInTheConfig() {
        Metrics.setDefault(new InMemoryMetrics());
        ThreadPoolBulkheadConfig c = keep(ThreadPoolBulkhead.builder("p").build()).config();
        assertEquals("p", c.name());
        assertEquals(Runtime.getRuntime().availableProcessors(), c.maxThreads());
        assertEquals(100, c.queueCapacity());
        assertEquals(ThreadPoolBulkheadConfig.DEFAULT_QUEUE_CAPACITY, c.queueCapacity());
        assertEquals(Duration.ofSeconds(60), c.keepAlive());
        assertEquals(ThreadPoolBulkheadConfig.DEFAULT_KEEP_ALIVE, c.keepAlive());
        assertSame(Ticker.system(), c.ticker());
        assertSame(Metrics.getDefault(), c.metrics());
        assertEquals("ThreadPoolBulkheadConfig[name=p, maxThreads=" + c.maxThreads()
                + ", queueCapacity=100, keepAlive=PT1M, virtualThreads=false]", c.toString());
    }

    @Test
    void aConfigRoundTripsThroughToBuilderFieldByField() {
        ManualTicker ticker = new ManualTicker();
        InMemoryMetrics sink = new InMemoryMetrics(ticker, 4);
        ThreadPoolBulkhead original = keep(ThreadPoolBulkhead.builder("p").maxThreads(3).queueCapacity(4)
                .keepAlive(Duration.ofSeconds(5)).ticker(ticker).metrics(sink).build());
        ThreadPoolBulkheadConfig a = original.config();
        ThreadPoolBulkheadConfig b = keep(original.toBuilder().build()).config();
        assertNotSame(a, b);
        assertEquals(a.name(), b.name());
        assertEquals(a.maxThreads(), b.maxThreads());
        assertEquals(a.queueCapacity(), b.queueCapacity());
        assertEquals(a.keepAlive(), b.keepAlive());
        assertSame(a.ticker(), b.ticker());
        // the sink is guarded anew by each build: the derived one reports to the same sink
        b.metrics().onOutcome("p", PolicyKinds.BULKHEAD, Outcome.SUCCESS, 0);
        assertEquals(1, sink.count("p", PolicyKinds.BULKHEAD, Outcome.SUCCESS));
    }

    @Test
    void unsetSettingsStayUnsetThroughToBuilderAndTakeTheDefaultsOfTheNewBuild() {
        InMemoryMetrics first = new InMemoryMetrics();
        InMemoryMetrics second = new InMemoryMetrics();
        Metrics.setDefault(first);
        ThreadPoolBulkhead original = keep(ThreadPoolBulkhead.builder("u").queueCapacity(2).build());
        Metrics.setDefault(second);
        ThreadPoolBulkhead derived = keep(original.toBuilder().build());
        ThreadPoolBulkheadConfig a = original.config();
        ThreadPoolBulkheadConfig b = derived.config();
        assertEquals(a.maxThreads(), b.maxThreads());
        assertEquals(a.queueCapacity(), b.queueCapacity());
        assertEquals(a.keepAlive(), b.keepAlive());
        assertSame(a.ticker(), b.ticker());
        assertSame(Metrics.getDefault(), b.metrics(), "the default sink of the derived build");
        assertEquals(0, second.gauge("u", PolicyKinds.BULKHEAD, ThreadPoolBulkhead.GAUGE_QUEUE_DEPTH).getAsLong(),
                "the derived bulkhead registered its gauges with the default of its own build");
    }

    @Test
    void buildNamesEveryBadFieldWithItsValueAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ThreadPoolBulkhead.builder("").maxThreads(-1).queueCapacity(-2).keepAlive(Duration.ofMillis(-1))
                        .build());
        assertEquals("name must not be blank but was ''; maxThreads must be >= 1 but was -1; "
                + "queueCapacity must be >= 0 but was -2; keepAlive must be > 0 but was PT-0.001S", e.getMessage());
    }

    @Test
    void settersRejectNullAtOnceNamingTheParameter() {
        ThreadPoolBulkheadBuilder b = ThreadPoolBulkhead.builder("p");
        assertEquals("name", assertThrows(NullPointerException.class, () -> ThreadPoolBulkhead.builder(null))
                .getMessage());
        assertEquals("keepAlive", assertThrows(NullPointerException.class, () -> b.keepAlive(null)).getMessage());
        assertEquals("ticker", assertThrows(NullPointerException.class, () -> b.ticker(null)).getMessage());
        assertEquals("metrics", assertThrows(NullPointerException.class, () -> b.metrics(null)).getMessage());
    }
}
