package dev.nines.shedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.Priority;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.Outcome;
import dev.nines.shedding.limit.FixedLimit;
import dev.nines.shedding.throttle.AdaptiveThrottle;
import dev.nines.shedding.throttle.ThrottledException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/** A sink that throws on every event must not break admission, release or a throttled call. */
class ThrowingSinkTest {

    /** How often the sink was called: proof that each test really reaches it. */
    private final AtomicInteger calls = new AtomicInteger();

    private final MetricsSink broken = new MetricsSink() {
        @Override
        public void onOutcome(String policy, String kind, Outcome outcome, long durationNanos) {
            calls.incrementAndGet();
            throw new IllegalStateException("sink down");
        }

        @Override
        public void onTransition(String policy, String kind, String fromState, String toState) {
            calls.incrementAndGet();
            throw new IllegalStateException("sink down");
        }

        @Override
        public void registerGauge(String policy, String kind, String gauge, LongSupplier value) {
            calls.incrementAndGet();
            throw new IllegalStateException("sink down");
        }
    };

    private final ManualTicker ticker = new ManualTicker();

    @Test
    void theShedderAdmitsReleasesAndShedsDespiteIt() throws Exception {
        LoadShedder shedder = LoadShedder.builder("s").limit(FixedLimit.of(1)).ticker(ticker).metrics(broken).build();
        int atBuild = calls.get();
        assertTrue(atBuild > 0, "gauges were registered with the broken sink");
        assertEquals("ok", shedder.call(() -> "ok"));
        try (Permit held = shedder.tryAcquire(Priority.P0)) {
            assertTrue(held.isAdmitted());
            assertTrue(!shedder.tryAcquire(Priority.P0).isAdmitted(), "shed, and the failing report is swallowed");
        }
        assertEquals(0, shedder.inFlight());
        assertTrue(calls.get() > atBuild, "every outcome went to the broken sink");
    }

    private static ShedException backendShed() {
        return new ShedException("backend", Priority.P2, Tier.REDUCED, ShedException.Reason.OVER_LIMIT);
    }

    @Test
    void theThrottleRejectsLocallyDespiteIt() throws Exception {
        // random 0.0 is below any positive probability: once p > 0 every request is rejected locally,
        // and a local rejection is the one event the throttle reports to its sink
        AdaptiveThrottle throttle = AdaptiveThrottle.builder("t").ticker(ticker).random(() -> 0.0)
                .metrics(broken).build();
        assertEquals("ok", throttle.call(() -> "ok"));
        assertThrows(ShedException.class, () -> throttle.call(() -> {
            throw backendShed(); // an overload signal: the default counts it as a backend rejection
        }));
        assertEquals(0, calls.get(), "nothing reported yet: no local rejection so far");
        // requests 2, accepts 1: p = (2 - 2) / 3 = 0; one more backend rejection makes it positive
        assertThrows(ShedException.class, () -> throttle.call(() -> {
            throw backendShed(); // an overload signal: the default counts it as a backend rejection
        }));
        assertTrue(throttle.rejectProbability() > 0);
        assertThrows(ThrottledException.class, () -> throttle.call(() -> "never sent"),
                "the local rejection is thrown, not the sink's failure");
        assertEquals(1, calls.get(), "the rejection was reported to the broken sink");
        assertFalse(throttle.tryAcquire(), "the token API rejects despite the sink too");
        assertEquals(2, calls.get());
    }
}
