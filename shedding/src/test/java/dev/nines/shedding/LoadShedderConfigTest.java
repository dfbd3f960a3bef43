package dev.nines.shedding;

import static dev.nines.Priority.P1;
import static dev.nines.Priority.P2;
import static dev.nines.Priority.P3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nines.shedding.limit.FixedLimit;
import dev.nines.shedding.limit.GradientLimit;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoadShedderConfigTest {

    private static String error(Runnable build) {
        return assertThrows(IllegalArgumentException.class, build::run).getMessage();
    }

    @Test
    void sharesMustBeFractionsThatDoNotGrowTowardsP3() {
        assertEquals("share of P3 must be a fraction in (0, 1] but was 0.0",
                error(() -> LoadShedder.builder("s").share(P3, 0).build()));
        assertEquals("share of P1 must be a fraction in (0, 1] but was 1.5 (1.5% is 0.015); "
                + "share of P1 must be <= share of P0 (1.0) but was 1.5",
                error(() -> LoadShedder.builder("s").share(P1, 1.5).build()));
        assertEquals("share of P2 must be <= share of P1 (0.9) but was 0.95",
                error(() -> LoadShedder.builder("s").share(P2, 0.95).build()));
    }

    @Test
    void aShareWrittenAsAPercentFailsAtBuildSayingWhichFractionItMeant() {
        assertEquals("share of P3 must be a fraction in (0, 1] but was 50.0 (50% is 0.5); "
                + "share of P3 must be <= share of P2 (0.7) but was 50.0",
                error(() -> LoadShedder.builder("s").share(P3, 50).build()));
    }

    @Test
    void everyInvalidFieldIsListed() {
        assertEquals("name must not be blank but was ' '; tierHold must be > 0 but was PT0S; "
                + "queueCapacity must be >= 0 but was -1; maxQueueWait must be > 0 but was PT-1S; "
                + "codelTarget must be <= maxQueueWait (PT-1S) but was PT0.005S; codelInterval must be > 0 but was PT0S; "
                + "cpuThreshold must be a fraction in (0, 1] but was 1.5 (1.5% is 0.015); cpuSampleInterval must be > 0 but was PT0S; "
                + "cpuSignal must be off with a limit that takes no samples (FixedLimit[100]) but was on",
                error(() -> LoadShedder.builder(" ").tierHold(Duration.ZERO).queue(-1, Duration.ofSeconds(-1))
                        .codel(Duration.ofMillis(5), Duration.ZERO).cpuSignal(() -> 0, 1.5, Duration.ZERO).build()));
    }

    @Test
    void theCpuSignalNeedsALimitThatTakesSamples() {
        // a fixed limit ignores samples, and the CPU signal acts only through samples: refuse, not ignore
        assertEquals("cpuSignal must be off with a limit that takes no samples (FixedLimit[10]) but was on",
                error(() -> LoadShedder.builder("s").limit(FixedLimit.of(10))
                        .cpuSignal(() -> 0.5, 0.9, Duration.ofSeconds(1)).build()));
        assertEquals("cpuSignal must be off with a limit that takes no samples (FixedLimit[100]) but was on",
                error(() -> LoadShedder.builder("s").cpuSignal(() -> 0.5, 0.9, Duration.ofSeconds(1)).build()),
                "the default limit is fixed too");
        LoadShedder adaptive = LoadShedder.builder("s").limit(GradientLimit.builder().build())
                .cpuSignal(() -> 0.5, 0.9, Duration.ofSeconds(1)).build();
        assertEquals(0.9, adaptive.config().cpuThreshold());
        assertEquals("cpuSignal must be off with a limit that takes no samples (FixedLimit[5]) but was on",
                error(() -> adaptive.toBuilder().limit(FixedLimit.of(5)).build()),
                "swapping in a fixed limit later is caught too");
    }

    @Test
    void sampleEveryMustBeAPowerOfTwoUpTo1024() {
        for (int bad : new int[] {0, -8, 3, 12, 2048}) {
            assertEquals("sampleEvery must be a power of two in [1, 1024] but was " + bad,
                    error(() -> LoadShedder.builder("s").sampleEvery(bad).build()));
        }
        assertEquals(LoadShedderConfig.DEFAULT_SAMPLE_EVERY, LoadShedder.builder("s").build().config().sampleEvery());
        LoadShedder s = LoadShedder.builder("s").sampleEvery(1024).build();
        assertEquals(1024, s.config().sampleEvery());
        assertEquals(1024, s.toBuilder().build().config().sampleEvery());
        assertEquals(1, LoadShedder.builder("s").sampleEvery(1).build().config().sampleEvery());
    }

    @Test
    void codelTargetMayNotExceedTheMaximumWait() {
        assertEquals("codelTarget must be <= maxQueueWait (PT0.01S) but was PT0.02S",
                error(() -> LoadShedder.builder("s").queue(10, Duration.ofMillis(10))
                        .codel(Duration.ofMillis(20), Duration.ofMillis(100)).build()));
    }

    @Test
    void limitsValidateTheirSettings() {
        assertEquals("limit must be >= 1 but was 0", error(() -> FixedLimit.of(0)));
        assertEquals("minLimit must be >= 1 but was 0", error(() -> GradientLimit.builder().minLimit(0).build()));
        assertEquals("maxLimit must be >= minLimit (10) but was 5; initialLimit must be in [minLimit, maxLimit] = "
                + "[10, 5] but was 20", error(() -> GradientLimit.builder().minLimit(10).maxLimit(5).build()));
        assertEquals("smoothing must be in (0, 1] but was 0.0; tolerance must be >= 1 but was 0.5; "
                + "window must be > 0 but was PT0S; minWindowSamples must be >= 1 but was 0; "
                + "baselineDecay must be in [0, 1) but was 1.0; backoffRatio must be in [0.5, 1) but was 0.2; "
                + "appLimitedFraction must be in [0, 1] but was 2.0; resetAfterWindows must be >= 1 but was 0; "
                + "recoveryWindows must be >= 1 but was 0",
                error(() -> GradientLimit.builder().smoothing(0).tolerance(0.5).window(Duration.ZERO)
                        .minWindowSamples(0).baselineDecay(1).backoffRatio(0.2).appLimitedFraction(2)
                        .resetAfterWindows(0).recoveryWindows(0).build()));
    }
}
