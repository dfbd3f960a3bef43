package dev.nines.shedding.throttle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.FailureFilter;
import dev.nines.ManualTicker;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.Outcome;
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

    @Test
    void everyVerdictOfTheFailureFilterReachesTheCountsForThrowablesAndResults() throws Exception {
        AdaptiveThrottle t = throttle().toBuilder()
                .failures(FailureFilter.on(IllegalStateException.class).ignoring(UnsupportedOperationException.class)
                        .failingResults("503"::equals).ignoringResults("skip"::equals))
                .build();
        random[0] = 0.999; // never throttle while the outcomes are recorded
        assertThrows(IllegalStateException.class, () -> t.call(() -> {
            throw new IllegalStateException("refused");
        }));
        assertEquals("503", t.call(() -> "503"));
        assertEquals(2 / 3.0, t.rejectProbability(), 1e-12, "FAILURE: two requests, no accept");
        assertThrows(UnsupportedOperationException.class, () -> t.call(() -> {
            throw new UnsupportedOperationException("ignored: says nothing of the backend's load");
        }));
        assertEquals("skip", t.call(() -> "skip"));
        assertThrows(IllegalArgumentException.class, () -> t.call(() -> {
            throw new IllegalArgumentException("SUCCESS: the backend answered");
        }));
        assertEquals("ok", t.call(() -> "ok"));
        assertEquals("ok", t.callAsync(() -> CompletableFuture.completedFuture("ok")).toCompletableFuture().get());
        assertEquals(AdaptiveThrottle.rejectProbability(7, 5, 2), t.rejectProbability(), 1e-12,
                "IGNORED and SUCCESS are accepts, results and throwables alike");
        assertEquals("503", t.callAsync(() -> CompletableFuture.completedFuture("503")).toCompletableFuture().get());
        assertEquals(AdaptiveThrottle.rejectProbability(8, 5, 2), t.rejectProbability(), 1e-12,
                "an async result the filter fails is a refusal");
    }

    @Test
    void theDefaultFilterCountsOnlyRejectedCallExceptionsAsRefusals() {
        AdaptiveThrottleConfig c = AdaptiveThrottle.builder("t").build().config();
        assertTrue(c.failures().isFailure(shed()));
        assertFalse(c.failures().isFailure(new IllegalStateException()));
        assertEquals(FailureFilter.Verdict.SUCCESS, c.failures().judgeResult("anything"));
    }

    @Test
    void everySettingSurvivesAToBuilderRoundTripAndAnUnsetSinkResolvesAgain() {
        InMemoryMetrics before = new InMemoryMetrics(ticker, 10);
        InMemoryMetrics after = new InMemoryMetrics(ticker, 10);
        try {
            Metrics.setDefault(before);
            FailureFilter failures = FailureFilter.on(IllegalStateException.class);
            java.util.function.DoubleSupplier source = () -> 0.0;
            AdaptiveThrottle first = AdaptiveThrottle.builder("backend").ticker(ticker).random(source).k(3)
                    .maxRejectProbability(0.7).window(Duration.ofSeconds(30), 15).failures(failures).build();
            Metrics.setDefault(after);
            AdaptiveThrottle derived = first.toBuilder().build();
            AdaptiveThrottleConfig a = first.config();
            AdaptiveThrottleConfig b = derived.config();
            assertEquals(a.name(), b.name());
            assertEquals(a.k(), b.k());
            assertEquals(a.maxRejectProbability(), b.maxRejectProbability());
            assertEquals(a.window(), b.window());
            assertEquals(a.buckets(), b.buckets());
            assertSame(a.random(), b.random());
            assertSame(a.failures(), b.failures());
            assertSame(a.ticker(), b.ticker());
            for (int i = 0; i < 2; i++) {
                first.tryAcquire(); // no accepts: the second is rejected locally and reported
                derived.tryAcquire();
            }
            assertEquals(0, before.count("backend", Outcome.REJECTED), "replaced before the calls");
            assertEquals(2, after.count("backend", Outcome.REJECTED), "unset: both follow the current default");
        } finally {
            Metrics.setDefault(null);
        }
        AdaptiveThrottleConfig defaults = AdaptiveThrottle.builder("d").build().config();
        AdaptiveThrottleConfig again = AdaptiveThrottle.builder("d").build().toBuilder().build().config();
        assertEquals(2.0, defaults.k());
        assertEquals(1.0, defaults.maxRejectProbability());
        assertEquals(Duration.ofMinutes(2), defaults.window());
        assertEquals(20, defaults.buckets());
        assertSame(defaults.random(), again.random());
        assertSame(defaults.failures(), again.failures());
    }

    @Test
    void buildReportsEveryBadFieldWithItsValue() {
        assertEquals("name must not be blank but was ' '; k must be >= 1 and finite but was Infinity; "
                + "maxRejectProbability must be a fraction in (0, 1] but was 50.0 (50% is 0.5); "
                + "window must be > 0 but was PT-1S; buckets must be in [1, 1000] but was 1001",
                assertThrows(IllegalArgumentException.class, () -> AdaptiveThrottle.builder(" ")
                        .k(Double.POSITIVE_INFINITY).maxRejectProbability(50).window(Duration.ofSeconds(-1), 1001)
                        .build()).getMessage());
        assertEquals("failures", assertThrows(NullPointerException.class,
                () -> AdaptiveThrottle.builder("t").failures(null)).getMessage());
    }
}
