package dev.nines.shedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.FailureFilter;
import dev.nines.ManualTicker;
import dev.nines.Priority;
import dev.nines.Scheduler;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.Outcome;
import dev.nines.shedding.limit.ConcurrencyLimit;
import dev.nines.shedding.limit.GradientLimit;
import dev.nines.timeout.TimeoutExceededException;
import java.io.IOException;
import java.time.Duration;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code toBuilder().build()} gives a shedder with the same settings, field by field; unset stays unset. */
class LoadShedderToBuilderTest {

    private final ManualTicker ticker = new ManualTicker();

    @AfterEach
    void resetDefault() {
        Metrics.setDefault(null);
    }

    private static void assertSameSettings(LoadShedderConfig a, LoadShedderConfig b) {
        assertEquals(a.name(), b.name());
        assertEquals(a.sampleEvery(), b.sampleEvery());
        assertEquals(a.defaultPriority(), b.defaultPriority());
        for (Priority p : Priority.values()) {
            assertEquals(a.share(p), b.share(p), "share of " + p);
        }
        assertSame(a.ticker(), b.ticker());
        assertEquals(a.tierHold(), b.tierHold());
        assertEquals(a.scheduler(), b.scheduler());
        assertEquals(a.listeners(), b.listeners());
        assertEquals(a.queueCapacity(), b.queueCapacity());
        assertEquals(a.maxQueueWait(), b.maxQueueWait());
        assertEquals(a.codelTarget(), b.codelTarget());
        assertEquals(a.codelInterval(), b.codelInterval());
        assertEquals(a.cpuLoad(), b.cpuLoad());
        assertEquals(a.cpuThreshold(), b.cpuThreshold());
        assertEquals(a.cpuSampleInterval(), b.cpuSampleInterval());
        assertSame(a.failures(), b.failures());
        assertSame(a.drops(), b.drops());
    }

    @Test
    void everySettingSurvivesARoundTrip() {
        InMemoryMetrics sink = new InMemoryMetrics(ticker, 10);
        Scheduler timer = (task, delay) -> {
            throw new java.util.concurrent.RejectedExecutionException("never used here");
        };
        TierListener listener = (s, from, to) -> { };
        DoubleSupplier cpu = () -> 0.1;
        FailureFilter failures = FailureFilter.on(IOException.class);
        FailureFilter drops = FailureFilter.on(TimeoutExceededException.class);
        LoadShedder first = LoadShedder.builder("api").ticker(ticker).metrics(sink).scheduler(timer)
                .limit(GradientLimit.builder().initialLimit(40).build()).sampleEvery(4)
                .defaultPriority(Priority.P1).share(Priority.P1, 0.8).share(Priority.P2, 0.6).share(Priority.P3, 0.3)
                .tierHold(Duration.ofSeconds(3)).onTierChange(listener).queue(16, Duration.ofMillis(50))
                .codel(Duration.ofMillis(2), Duration.ofMillis(40)).cpuSignal(cpu, 0.8, Duration.ofMillis(500))
                .failures(failures).drops(drops).build();
        LoadShedder derived = first.toBuilder().build();
        assertSameSettings(first.config(), derived.config());
        assertSame(timer, derived.config().scheduler().orElseThrow());
        assertSame(cpu, derived.config().cpuLoad().orElseThrow());
        assertSame(failures, derived.config().failures());
        derived.release(derived.tryAdmit(Priority.P1), Outcome.SUCCESS);
        assertEquals(1, sink.count("api", Outcome.SUCCESS), "the sink that was set is kept");
        assertNotSame(first.config().limit(), derived.config().limit(), "a learning limit serves one shedder");
        assertEquals(40, derived.limit(), "a fresh limit with the same settings");
    }

    @Test
    void theDefaultsSurviveARoundTripAndTheUnsetSinkResolvesAgain() {
        InMemoryMetrics before = new InMemoryMetrics(ticker, 10);
        InMemoryMetrics after = new InMemoryMetrics(ticker, 10);
        Metrics.setDefault(before);
        LoadShedder first = LoadShedder.builder("api").ticker(ticker).build();
        Metrics.setDefault(after);
        LoadShedder derived = first.toBuilder().build();
        assertSameSettings(first.config(), derived.config());
        assertSame(first.config().limit(), derived.config().limit(), "a fixed limit learns nothing and is shared");
        assertSame(LoadShedderBuilder.DEFAULT_FAILURES, derived.config().failures());
        assertSame(LoadShedderBuilder.DEFAULT_DROPS, derived.config().drops());
        derived.release(derived.tryAdmit(Priority.P1), Outcome.SUCCESS);
        assertEquals(1, after.count("api", Outcome.SUCCESS), "unset: the default of the second build");
        assertEquals(0, before.count("api", Outcome.SUCCESS));
    }

    @Test
    void aDerivedBuilderChangesOnlyWhatItIsTold() {
        LoadShedder first = LoadShedder.builder("api").ticker(ticker).share(Priority.P3, 0.4).build();
        LoadShedder derived = first.toBuilder().drops(FailureFilter.on(TimeoutExceededException.class)).build();
        assertEquals(0.4, derived.config().share(Priority.P3));
        assertTrue(derived.config().drops().isFailure(new TimeoutExceededException("inner", 1L)));
        assertTrue(!first.config().drops().isFailure(new TimeoutExceededException("inner", 1L)), "the first is unchanged");
    }

    @Test
    void settersRejectNullAtOnceNamingTheParameter() {
        LoadShedderBuilder b = LoadShedder.builder("api");
        assertEquals("failures", assertThrows(NullPointerException.class, () -> b.failures(null)).getMessage());
        assertEquals("drops", assertThrows(NullPointerException.class, () -> b.drops(null)).getMessage());
        assertEquals("scheduler", assertThrows(NullPointerException.class, () -> b.scheduler(null)).getMessage());
        assertEquals("ticker", assertThrows(NullPointerException.class, () -> b.ticker(null)).getMessage());
        assertEquals("metrics", assertThrows(NullPointerException.class, () -> b.metrics(null)).getMessage());
        assertEquals("name", assertThrows(NullPointerException.class, () -> LoadShedder.builder(null)).getMessage());
    }

    @Test
    void aRejectedBuildLeavesTheBuilderUsable() {
        LoadShedderBuilder b = LoadShedder.builder("api").limit(ConcurrencyLimit.fixed(4)).share(Priority.P3, 2);
        assertThrows(IllegalArgumentException.class, b::build);
        assertEquals(2, b.share(Priority.P3, 0.5).build().threshold(Priority.P3));
    }
}
