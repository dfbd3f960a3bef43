package dev.nines.shedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.Priority;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.Outcome;
import dev.nines.shedding.limit.FixedLimit;
import dev.nines.shedding.throttle.AdaptiveThrottle;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/** A sink that throws on every event must not break admission, release or a throttled call. */
class ThrowingSinkTest {

    private static final MetricsSink BROKEN = new MetricsSink() {
        @Override
        public void onOutcome(String policy, String kind, Outcome outcome, long durationNanos) {
            throw new IllegalStateException("sink down");
        }

        @Override
        public void onTransition(String policy, String kind, String fromState, String toState) {
            throw new IllegalStateException("sink down");
        }

        @Override
        public void registerGauge(String policy, String kind, String gauge, LongSupplier value) {
            throw new IllegalStateException("sink down");
        }
    };

    private final ManualTicker ticker = new ManualTicker();

    @Test
    void theShedderAdmitsReleasesAndShedsDespiteIt() throws Exception {
        LoadShedder shedder = LoadShedder.builder("s").limit(FixedLimit.of(1)).ticker(ticker).metrics(BROKEN).build();
        assertEquals("ok", shedder.call(() -> "ok"));
        try (Permit held = shedder.tryAcquire(Priority.P0)) {
            assertTrue(held.isAdmitted());
            assertTrue(!shedder.tryAcquire(Priority.P0).isAdmitted(), "shed, and the failing report is swallowed");
        }
        assertEquals(0, shedder.inFlight());
    }

    @Test
    void theThrottleRunsCallsDespiteIt() throws Exception {
        AdaptiveThrottle throttle = AdaptiveThrottle.builder("t").ticker(ticker).metrics(BROKEN).build();
        assertEquals("ok", throttle.call(() -> "ok"));
    }
}
