package dev.nines.shedding.throttle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.FailureFilter;
import dev.nines.ManualTicker;
import dev.nines.Priority;
import dev.nines.shedding.ShedException;
import dev.nines.shedding.Tier;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AdaptiveThrottleTest {

    private final ManualTicker ticker = new ManualTicker();
    private final double[] random = {0.5};

    private AdaptiveThrottle throttle() {
        return AdaptiveThrottle.builder("backend").ticker(ticker).random(() -> random[0])
                .window(Duration.ofSeconds(10), 10).build();
    }

    @Test
    void theFormulaIsMaxOfZeroAndRequestsMinusKAcceptsOverRequestsPlusOne() {
        assertEquals(0.0, AdaptiveThrottle.rejectProbability(0, 0, 2));
        assertEquals(0.0, AdaptiveThrottle.rejectProbability(100, 50, 2));
        assertEquals((100 - 2 * 20) / 101.0, AdaptiveThrottle.rejectProbability(100, 20, 2));
        assertEquals(99 / 100.0, AdaptiveThrottle.rejectProbability(99, 0, 2));
        assertEquals((100 - 3 * 20) / 101.0, AdaptiveThrottle.rejectProbability(100, 20, 3));
    }

    @Test
    void aHealthyBackendIsNeverThrottled() {
        AdaptiveThrottle t = throttle();
        random[0] = 0.0;
        for (int i = 0; i < 1000; i++) {
            assertTrue(t.tryAcquire());
            t.onAccepted();
        }
        assertEquals(0.0, t.rejectProbability());
    }

    @Test
    void aRejectingBackendIsThrottledWithTheFormulasProbability() {
        AdaptiveThrottle t = throttle();
        for (int i = 0; i < 10; i++) {
            assertTrue(t.tryAcquire());
            if (i < 2) {
                t.onAccepted();
            } else {
                t.onRejected();
            }
        }
        double p = (10 - 2 * 2) / 11.0;
        assertEquals(p, t.rejectProbability(), 1e-12);
        random[0] = p - 0.01;
        assertFalse(t.tryAcquire(), "random below p: rejected locally");
        // the local rejection counted as a request: p rose
        double p2 = (11 - 4) / 12.0;
        assertEquals(p2, t.rejectProbability(), 1e-12);
        random[0] = p2 + 0.01;
        assertTrue(t.tryAcquire(), "random above p: sent");
    }

    @Test
    void oldRequestsSlideOutOfTheWindow() {
        AdaptiveThrottle t = throttle();
        for (int i = 0; i < 10; i++) {
            t.tryAcquire();
        }
        assertTrue(t.rejectProbability() > 0.9);
        ticker.advance(Duration.ofSeconds(9));
        assertTrue(t.rejectProbability() > 0.9, "still inside the 10 s window");
        ticker.advance(Duration.ofSeconds(2));
        assertEquals(0.0, t.rejectProbability());
    }

    @Test
    void byDefaultOnlyOverloadSignalsCountAsBackendRejections() throws Exception {
        AdaptiveThrottle t = throttle();
        random[0] = 0.999; // never throttle while the outcomes are recorded
        for (int i = 0; i < 20; i++) {
            assertThrows(IllegalStateException.class, () -> t.call(() -> {
                throw new IllegalStateException("404: the backend took the request and answered");
            }));
        }
        assertEquals(0.0, t.rejectProbability(), "an ordinary failure is an accept");
        for (int i = 0; i < 20; i++) {
            assertThrows(ShedException.class, () -> t.call(() -> {
                throw shed();
            }));
            ExecutionException e = assertThrows(ExecutionException.class, () -> t.callAsync(
                    () -> CompletableFuture.failedFuture(shed())).toCompletableFuture().get());
            assertTrue(e.getCause() instanceof ShedException);
        }
        assertEquals((60 - 2 * 20) / 61.0, t.rejectProbability(), 1e-12, "40 overload signals, 20 accepts");
    }

    private static ShedException shed() {
        return new ShedException("backend", Priority.P2, Tier.REDUCED, ShedException.Reason.OVER_LIMIT);
    }

    @Test
    void asAPolicyFailuresAreNotAcceptsAndRejectionsAreCheap() throws Exception {
        AdaptiveThrottle t = throttle().toBuilder().failures(FailureFilter.on(Throwable.class)).build(); // every failure
        random[0] = 0.999; // never throttle while the failures are recorded
        for (int i = 0; i < 20; i++) {
            assertThrows(IllegalStateException.class, () -> t.call(() -> {
                throw new IllegalStateException("503");
            }));
        }
        random[0] = 0.0;
        ThrottledException e = assertThrows(ThrottledException.class, () -> t.call(() -> "x"));
        assertEquals(0, e.getStackTrace().length);
        assertEquals("backend", e.policyName());
        assertTrue(e.rejectProbability() > 0.9);
        AdaptiveThrottle lenient = t.toBuilder().failures(FailureFilter.none()).build();
        assertThrows(IllegalStateException.class, () -> lenient.call(() -> {
            throw new IllegalStateException("404: the backend accepted and answered");
        }));
        assertEquals(0.0, lenient.rejectProbability());
        assertEquals("x", lenient.callAsync(() -> java.util.concurrent.CompletableFuture.completedFuture("x"))
                .toCompletableFuture().get());
    }

    @Test
    void configurationIsValidated() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AdaptiveThrottle.builder("t").k(0.5).window(Duration.ZERO, 0).build());
        assertEquals("k must be >= 1 and finite but was 0.5; window must be > 0 but was PT0S; "
                + "buckets must be in [1, 1000] but was 0", e.getMessage());
    }
}
