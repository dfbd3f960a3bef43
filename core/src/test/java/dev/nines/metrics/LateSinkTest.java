package dev.nines.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.bulkhead.BulkheadFullException;
import dev.nines.bulkhead.SemaphoreBulkhead;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.circuitbreaker.CircuitState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A sink set after policies were built sees their calls, transitions and gauges. */
class LateSinkTest {

    /** A user's sink: records what reaches it. */
    static final class Recording implements MetricsSink {
        final List<String> events = new CopyOnWriteArrayList<>();
        final Map<String, LongSupplier> gauges = new ConcurrentHashMap<>();

        @Override
        public void onOutcome(String policy, String kind, Outcome outcome, long durationNanos) {
            events.add(policy + ":" + outcome);
        }

        @Override
        public void onTransition(String policy, String kind, String fromState, String toState) {
            events.add(policy + ":" + fromState + "->" + toState);
        }

        @Override
        public void registerGauge(String policy, String kind, String gauge, LongSupplier value) {
            gauges.put(policy + "." + gauge, value);
        }
    }

    @AfterEach
    void restoreDefault() {
        Metrics.setDefault(null);
    }

    @Test
    void anInMemorySinkSetAfterBuildSeesCallsTransitionsAndGauges() throws Exception {
        ManualTicker ticker = new ManualTicker();
        SemaphoreBulkhead bulkhead = SemaphoreBulkhead.builder("late-bh").maxConcurrent(3).ticker(ticker).build();
        CircuitBreaker breaker = CircuitBreaker.builder("late-cb").ticker(ticker).build();

        InMemoryMetrics sink = new InMemoryMetrics();
        Metrics.setDefault(sink);

        assertEquals(OptionalLong.of(3), sink.gauge("late-bh", "available_permits"), "replayed on arrival");
        assertEquals(OptionalLong.of(0), sink.gauge("late-cb", "state"), "replayed on arrival");

        bulkhead.call(() -> ticker.advance(Duration.ofMillis(5)));
        assertEquals(1, sink.count("late-bh", PolicyKinds.BULKHEAD, Outcome.SUCCESS));
        assertEquals(5_000_000L, sink.latency("late-bh", PolicyKinds.BULKHEAD).max(),
                "timed from the start of a call begun after the sink arrived");

        breaker.forceOpen();
        assertEquals(1, sink.transitions("late-cb").size());
        assertEquals(OptionalLong.of(CircuitState.FORCED_OPEN.ordinal()), sink.gauge("late-cb", "state"));
    }

    @Test
    void aCompositeOfTheDefaultAndAnotherSinkAddsTheSinkInsteadOfForwardingToItself() throws Exception {
        SemaphoreBulkhead bulkhead = SemaphoreBulkhead.builder("late-added").maxConcurrent(1).build();
        Recording first = new Recording();
        Recording second = new Recording();
        Metrics.setDefault(first);
        Metrics.setDefault(MetricsSink.composite(Metrics.getDefault(), second)); // the usual way to add one
        bulkhead.call(() -> "ok");
        assertTrue(first.events.contains("late-added:SUCCESS"), first.events.toString());
        assertTrue(second.events.contains("late-added:SUCCESS"), second.events.toString());
        assertTrue(second.gauges.containsKey("late-added.in_flight"), "gauges replayed to the composite");
    }

    @Test
    void aUsersSinkSetLateSeesRejectionsAndGaugesAndTheNextSinkReplacesIt() throws Exception {
        SemaphoreBulkhead bulkhead = SemaphoreBulkhead.builder("late-full").maxConcurrent(1)
                .maxWait(Duration.ZERO).build();
        Recording first = new Recording();
        Metrics.setDefault(first);
        assertTrue(first.gauges.containsKey("late-full.in_flight"), first.gauges.keySet().toString());

        assertThrows(BulkheadFullException.class, () -> bulkhead.call(() -> bulkhead.call(() -> "inner")));
        assertTrue(first.events.contains("late-full:REJECTED"), first.events.toString());

        Recording second = new Recording();
        Metrics.setDefault(second);
        assertTrue(second.gauges.containsKey("late-full.in_flight"), "replayed to each new sink");
        bulkhead.call(() -> "ok");
        assertTrue(second.events.contains("late-full:SUCCESS"), second.events.toString());
        assertFalse(first.events.contains("late-full:SUCCESS"), "the replaced sink hears no more");
    }

    @Test
    void theDefaultCountsAsNoopExactlyWhileItsTargetDropsEvents() {
        DefaultSink forwarding = new DefaultSink(MetricsSink.noop());
        assertTrue(Metrics.isNoop(MetricsSink.noop()));
        assertFalse(Metrics.isNoop(forwarding), "only the JVM's default is checked through");
        Metrics.setDefault(new Recording());
        assertFalse(Metrics.isNoop(Metrics.getDefault()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Metrics.setDefault(Metrics.getDefault()));
        assertTrue(e.getMessage().startsWith("sink:"), e.getMessage());
    }
}
