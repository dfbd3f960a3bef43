package dev.nines.metrics;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MetricsTest {

    static final class Throwing implements MetricsSink {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public void onOutcome(String policy, String kind, Outcome outcome, long durationNanos) {
            calls.incrementAndGet();
            throw new IllegalStateException("sink is broken");
        }

        @Override
        public void onTransition(String policy, String kind, String fromState, String toState) {
            calls.incrementAndGet();
            throw new LinkageError("sink is very broken");
        }

        @Override
        public void registerGauge(String policy, String kind, String gauge, LongSupplier value) {
            calls.incrementAndGet();
            throw new IllegalStateException("sink is broken");
        }
    }

    @AfterEach
    void restoreDefault() {
        Metrics.setDefault(null);
    }

    @Test
    void aGuardedSinkSwallowsAndCountsWhatItThrows() {
        Throwing broken = new Throwing();
        MetricsSink guarded = Metrics.guard(broken);
        long before = Metrics.sinkFailures();

        assertDoesNotThrow(() -> {
            guarded.onOutcome("p", "k", Outcome.SUCCESS, 1);
            guarded.onTransition("p", "k", "A", "B");
            guarded.registerGauge("p", "k", "g", () -> 1);
        });

        assertEquals(3, broken.calls.get(), "the sink was still called every time");
        assertEquals(3, Metrics.sinkFailures() - before);
    }

    @Test
    void virtualMachineErrorsAreNotHidden() {
        MetricsSink oom = Metrics.guard(new MetricsSink() {
            @Override
            public void onOutcome(String policy, String kind, Outcome outcome, long durationNanos) {
                throw new OutOfMemoryError("simulated");
            }
        });
        assertThrows(OutOfMemoryError.class, () -> oom.onOutcome("p", "k", Outcome.SUCCESS, 1));
    }

    @Test
    void guardingIsIdempotentAndFreeForTheNoopSink() {
        MetricsSink guarded = Metrics.guard(new InMemoryMetrics());
        assertSame(guarded, Metrics.guard(guarded));
        assertSame(MetricsSink.noop(), Metrics.guard(MetricsSink.noop()));
    }

    @Test
    void resolveGuardsWhatABuilderWasGivenAndFallsBackToTheDefault() {
        InMemoryMetrics explicit = new InMemoryMetrics();
        Metrics.setDefault(explicit);
        assertSame(Metrics.getDefault(), Metrics.resolve(null));
        MetricsSink resolved = Metrics.resolve(new Throwing());
        assertInstanceOf(GuardedSink.class, resolved);
        assertDoesNotThrow(() -> resolved.onOutcome("p", "k", Outcome.SUCCESS, 1));
    }

    @Test
    void compositeForwardsToEverySinkEvenWhenOneThrows() {
        InMemoryMetrics a = new InMemoryMetrics();
        InMemoryMetrics b = new InMemoryMetrics();
        MetricsSink all = MetricsSink.composite(a, new Throwing(), b);

        all.onOutcome("p", "k", Outcome.FAILURE, 10);

        assertEquals(1, a.count("p", Outcome.FAILURE));
        assertEquals(1, b.count("p", Outcome.FAILURE));
    }

    @Test
    void compositeOfNothingIsTheNoopSink() {
        assertSame(MetricsSink.noop(), MetricsSink.composite());
        assertSame(MetricsSink.noop(), MetricsSink.composite(MetricsSink.noop()));
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> MetricsSink.composite(MetricsSink.noop(), null));
        assertEquals("sinks[1] is null", e.getMessage());
    }

    @Test
    void theDefaultIsDiscoveredThroughServiceLoaderUnlessSetExplicitly() {
        // src/test/resources registers DiscoveredTestSink
        MetricsSink discovered = Metrics.getDefault();
        discovered.onOutcome("discovery-probe", "k", Outcome.SUCCESS, 1);
        assertEquals(1, DiscoveredTestSink.RECORDED.count("discovery-probe", Outcome.SUCCESS));

        InMemoryMetrics explicit = new InMemoryMetrics();
        Metrics.setDefault(explicit);
        Metrics.getDefault().onOutcome("explicit-probe", "k", Outcome.SUCCESS, 1);
        assertEquals(1, explicit.count("explicit-probe", Outcome.SUCCESS));
        assertEquals(0, DiscoveredTestSink.RECORDED.count("explicit-probe", Outcome.SUCCESS));

        Metrics.setDefault(null);
        assertInstanceOf(GuardedSink.class, ((DefaultSink) Metrics.getDefault()).target(),
                "back to the discovered sink, guarded");
        Metrics.getDefault().onOutcome("rediscovered-probe", "k", Outcome.SUCCESS, 1);
        assertEquals(1, DiscoveredTestSink.RECORDED.count("rediscovered-probe", Outcome.SUCCESS));
    }

    @Test
    void slf4jSinkLogsTransitionsWithoutThrowing() {
        Slf4jMetricsSink sink = new Slf4jMetricsSink();
        assertDoesNotThrow(() -> {
            sink.onTransition("payments", PolicyKinds.CIRCUIT_BREAKER, "CLOSED", "OPEN");
            sink.onTransition("payments", PolicyKinds.CIRCUIT_BREAKER, "OPEN", "HALF_OPEN");
            sink.onOutcome("payments", PolicyKinds.CIRCUIT_BREAKER, Outcome.SUCCESS, 5);
        });
        assertTrue(sink.toString().contains("dev.nines.transitions"));
    }
}
