package dev.nines.shedding.throttle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * After a total outage the formula lets traffic back in about four windows (local rejections count
 * as requests); a cap on the reject probability brings it back within about one. Manual time, a
 * fixed seed: the same run every time.
 */
class ThrottleRecoveryTest {

    private static final long SEED = 20261203L;
    private static final Duration WINDOW = Duration.ofSeconds(10);
    private static final Duration EVERY = Duration.ofMillis(10); // 100 calls/s, 1,000 per window

    /** Runs a 30 s outage, then a healthy backend; returns how long after recovery p fell under 5%. */
    private static Duration recovery(AdaptiveThrottleBuilder builder, ManualTicker ticker, double[] peak) {
        SplittableRandom random = new SplittableRandom(SEED);
        AdaptiveThrottle t = builder.ticker(ticker).random(random::nextDouble).window(WINDOW, 10).build();
        for (int i = 0; i < 3_000; i++) { // the outage: every call sent is rejected
            ticker.advance(EVERY);
            if (t.tryAcquire()) {
                t.onRejected();
            }
            peak[0] = Math.max(peak[0], t.rejectProbability());
        }
        for (int i = 1; i <= 10_000; i++) { // the backend is back
            ticker.advance(EVERY);
            if (t.tryAcquire()) {
                t.onAccepted();
            }
            if (t.rejectProbability() < 0.05) {
                return EVERY.multipliedBy(i);
            }
        }
        return Duration.ofSeconds(100);
    }

    @Test
    void byTheFormulaAloneTrafficComesBackOnlySeveralWindowsAfterAnOutage() {
        double[] peak = {0};
        Duration took = recovery(AdaptiveThrottle.builder("b"), new ManualTicker(), peak);
        assertTrue(peak[0] > 0.99, "an outage throttles almost everything: " + peak[0]);
        // about 4.5 windows on average at this load (see the javadoc); this seed's run takes 3
        assertTrue(took.compareTo(WINDOW.multipliedBy(25).dividedBy(10)) > 0
                && took.compareTo(WINDOW.multipliedBy(7)) < 0, "several windows: " + took);
    }

    @Test
    void aCapOnTheRejectProbabilityBringsTrafficBackWithinAboutOneWindow() {
        double[] peak = {0};
        Duration took = recovery(AdaptiveThrottle.builder("b").maxRejectProbability(0.5), new ManualTicker(), peak);
        assertEquals(0.5, peak[0], "half the calls still reach the backend during the outage");
        assertTrue(took.compareTo(WINDOW) < 0, "back within a window: " + took);
        double[] peak90 = {0};
        Duration took90 = recovery(AdaptiveThrottle.builder("b").maxRejectProbability(0.9), new ManualTicker(),
                peak90);
        assertTrue(took90.compareTo(WINDOW.multipliedBy(25).dividedBy(10)) < 0, "90%: within 2.5 windows: " + took90);
    }

    @Test
    void theCapIsValidatedAndKeptByToBuilder() {
        assertEquals("maxRejectProbability must be a fraction in (0, 1] but was 0.0", assertThrows(
                IllegalArgumentException.class,
                () -> AdaptiveThrottle.builder("b").maxRejectProbability(0).build()).getMessage());
        assertThrows(IllegalArgumentException.class, () -> AdaptiveThrottle.builder("b").maxRejectProbability(1.5)
                .build());
        ManualTicker ticker = new ManualTicker();
        AdaptiveThrottle capped = AdaptiveThrottle.builder("b").ticker(ticker).maxRejectProbability(0.3)
                .random(() -> 0.99).build().toBuilder().build();
        for (int i = 0; i < 100; i++) {
            capped.tryAcquire();
        }
        assertEquals(0.3, capped.rejectProbability());
    }
}
