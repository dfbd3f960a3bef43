package dev.nines.shedding.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Drives the gradient limit window by window with explicit timestamps (virtual time). */
class GradientLimitTest {

    private static final long MS = 1_000_000L;
    private static final long WINDOW = 100 * MS;

    private long now;

    private GradientLimit limit(int initial) {
        return GradientLimit.builder().initialLimit(initial).minLimit(1).maxLimit(1000).smoothing(1.0)
                .tolerance(1.5).window(Duration.ofMillis(100)).minWindowSamples(10).build();
    }

    /** Feeds one window of 10 samples with the given latency and in-flight, then closes it. */
    private void window(GradientLimit l, long rttMs, int inFlight) {
        for (int i = 0; i < 10; i++) {
            l.onSample(now, rttMs * MS, inFlight, false);
        }
        now += WINDOW;
        l.onSample(now, rttMs * MS, inFlight, false); // first sample past the window closes it
    }

    @Test
    void growsBySquareRootWhileLatencyIsAtBaselineAndTheLimitIsUsed() {
        GradientLimit l = limit(100);
        window(l, 10, 100);
        assertEquals(110, l.currentLimit(), "100 + sqrt(100)");
        assertEquals(10 * MS, l.baselineNanos());
    }

    @Test
    void smoothingDampsShrinkingButNotGrowth() {
        GradientLimit l = GradientLimit.builder().initialLimit(100).smoothing(0.2).tolerance(1.5)
                .window(Duration.ofMillis(100)).minWindowSamples(10).build();
        window(l, 10, 100);
        assertEquals(110, l.currentLimit(), "100 + sqrt(100), not 100 + 0.2 * sqrt(100)");
        window(l, 30, 110); // gradient 0.5: target 110 * 0.5 + sqrt(110), a fifth of the way there
        assertEquals(Math.round(0.8 * 110 + 0.2 * (110 * 0.5 + Math.sqrt(110))), l.currentLimit());
    }

    @Test
    void doesNotGrowALimitTheApplicationDoesNotUse() {
        GradientLimit l = limit(100);
        window(l, 10, 39); // below appLimitedFraction 0.4 of the limit
        assertEquals(100, l.currentLimit());
    }

    @Test
    void shrinksInProportionToTheLatencyGradient() {
        GradientLimit l = limit(100);
        window(l, 10, 100); // baseline 10 ms, limit 110
        window(l, 30, 110); // gradient = 1.5 * 10 / 30 = 0.5 -> 110 * 0.5 + sqrt(110)
        assertEquals(Math.round(110 * 0.5 + Math.sqrt(110)), l.currentLimit());
    }

    @Test
    void theBaselineIsNotInflatedBySustainedOverload() {
        GradientLimit l = limit(100);
        window(l, 10, 100);
        for (int i = 0; i < 200; i++) {
            window(l, 20, l.currentLimit());
        }
        assertEquals(10 * MS, l.baselineNanos(), "frozen while there is pressure");
    }

    @Test
    void theBaselineDoesNotCreepUpWhileTheLimitIsInUseWithinTheTolerance() {
        GradientLimit l = limit(100);
        window(l, 10, 100);
        for (int i = 0; i < 200; i++) {
            window(l, 14, l.currentLimit()); // 1.4x the baseline: within tolerance 1.5, no pressure
        }
        long moved = l.baselineNanos() - 10 * MS;
        assertTrue(moved < 10 * MS / 20, "baseline moved by " + moved + " ns, 5% is " + 10 * MS / 20);
    }

    @Test
    void theBaselineFollowsAServiceThatGotSlowerWhileTheLimitIsIdle() {
        GradientLimit l = limit(100);
        window(l, 10, 100);
        for (int i = 0; i < 200; i++) {
            window(l, 14, 5); // few calls in flight: no queueing, the service itself is slower
        }
        assertTrue(l.baselineNanos() > 13 * MS, "baseline " + l.baselineNanos());
    }

    @Test
    void droppedCallsBackOffWithoutHeadroom() {
        GradientLimit l = limit(100);
        l.onSample(now, 0, 100, true);
        now += WINDOW;
        l.onSample(now, 0, 100, true);
        assertEquals(90, l.currentLimit());
    }

    @Test
    void aDropClosesAWindowWithoutEnoughSamplesButNotBeforeTheWindowHasPassed() {
        GradientLimit l = limit(100);
        l.onSample(now, 0, 100, true);
        now += WINDOW - 1;
        l.onSample(now, 0, 100, true);
        assertEquals(100, l.currentLimit(), "the window is not over yet");
        now += 1;
        l.onSample(now, 0, 100, true);
        assertEquals(90, l.currentLimit(), "closed by the drop with no latency sample at all");
    }

    @Test
    void underPressureADropLeavesOutTheSquareRootHeadroom() {
        GradientLimit l = limit(100);
        window(l, 10, 100); // baseline 10 ms, limit 110
        for (int i = 0; i < 10; i++) {
            l.onSample(now, 20 * MS, 110, false);
        }
        l.onSample(now, 0, 110, true);
        now += WINDOW;
        l.onSample(now, 20 * MS, 110, false); // gradient min(1.5 * 10 / 20, backoffRatio 0.9) = 0.75
        assertEquals(Math.round(110 * 0.75), l.currentLimit(), "110 * 0.75, no + sqrt(110)");
    }

    @Test
    void recoversToThePreOverloadLimitOnceTheOverloadEnds() {
        GradientLimit l = limit(100);
        for (int i = 0; i < 6; i++) {
            window(l, 10, 30); // calm, app-limited: the limit stays at 100
        }
        assertEquals(100, l.currentLimit());
        for (int i = 0; i < 5; i++) {
            window(l, 40, l.currentLimit()); // a latency spike: shrink
        }
        assertTrue(l.currentLimit() < 50, "shrank to " + l.currentLimit());
        for (int i = 0; i < 5; i++) {
            window(l, 10, 5); // calm again, and quiet: growth alone would not recover
        }
        assertEquals(100, l.currentLimit(), "back to the limit held before the overload");
    }

    @Test
    void relearnsTheBaselineAfterStayingAtTheMinimumTooLong() {
        GradientLimit l = GradientLimit.builder().initialLimit(40).minLimit(20).maxLimit(100).smoothing(1.0)
                .tolerance(1.5).window(Duration.ofMillis(100)).minWindowSamples(10).resetAfterWindows(3).build();
        window(l, 10, 10);
        for (int i = 0; i < 6; i++) {
            window(l, 100, 20); // the service is now 10x slower for good: the limit falls to its minimum
        }
        assertEquals(100 * MS, l.baselineNanos());
    }

    @Test
    void aWindowWaitsForEnoughSamples() {
        GradientLimit l = limit(100);
        l.onSample(now, 10 * MS, 100, false);
        now += 10 * WINDOW;
        l.onSample(now, 10 * MS, 100, false);
        assertEquals(100, l.currentLimit(), "2 samples are too few to judge");
        assertEquals(0, l.baselineNanos());
    }

    @Test
    void toBuilderMakesAnIndependentLimitWithTheSameSettings() {
        GradientLimit l = limit(100);
        window(l, 10, 100);
        GradientLimit copy = l.toBuilder().build();
        assertEquals(100, copy.currentLimit());
        assertTrue(ConcurrencyLimit.gradient().build().usesSamples());
        assertEquals(7, ConcurrencyLimit.fixed(7).currentLimit());
    }
}
