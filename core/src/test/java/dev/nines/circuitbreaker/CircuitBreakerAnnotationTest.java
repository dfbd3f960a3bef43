package dev.nines.circuitbreaker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nines.annotation.NinesProxy;
import dev.nines.circuitbreaker.annotation.WithCircuitBreaker;
import dev.nines.metrics.MetricsSink;
import org.junit.jupiter.api.Test;

/** {@code @WithCircuitBreaker}'s invalid attributes are reported under the attribute's own name. */
class CircuitBreakerAnnotationTest {

    public interface MoreMinimumThanWindow {
        @WithCircuitBreaker(windowSize = 10, minimumCalls = 20)
        String call();
    }

    public interface ShrinkingOpenDuration {
        @WithCircuitBreaker(openDurationMultiplier = 0.5)
        String call();
    }

    public interface CapBelowOpenDuration {
        @WithCircuitBreaker(openDurationMultiplier = 2, maxOpenDuration = "PT30S")
        String call();
    }

    private static <I> String message(Class<I> iface, I target) {
        return assertThrows(IllegalArgumentException.class,
                () -> NinesProxy.builder(iface, target).metrics(MetricsSink.noop()).build()).getMessage();
    }

    @Test
    void minimumCallsAboveACountWindowNamesTheWindowSizeAttribute() {
        assertEquals("@WithCircuitBreaker on MoreMinimumThanWindow.call(): minimumCalls must be <= windowSize (10) "
                + "but was 20", message(MoreMinimumThanWindow.class, () -> "x"));
    }

    @Test
    void aBadOpenDurationGrowthNamesTheAnnotationsAttributes() {
        assertEquals("@WithCircuitBreaker on ShrinkingOpenDuration.call(): openDurationMultiplier must be a finite "
                + "number >= 1.0 but was 0.5", message(ShrinkingOpenDuration.class, () -> "x"));
        assertEquals("@WithCircuitBreaker on CapBelowOpenDuration.call(): maxOpenDuration must be >= openDuration "
                + "(PT1M) but was PT30S", message(CapBelowOpenDuration.class, () -> "x"));
    }
}
