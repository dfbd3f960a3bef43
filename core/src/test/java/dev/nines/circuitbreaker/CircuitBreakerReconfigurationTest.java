package dev.nines.circuitbreaker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.FailureFilter;
import dev.nines.ManualTicker;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.PolicyKinds;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code reconfigure} of the breaker: its state kept, thresholds at once, a reshaped window emptied. */
class CircuitBreakerReconfigurationTest {

    private final ManualTicker ticker = new ManualTicker();
    private final InMemoryMetrics metrics = new InMemoryMetrics(ticker, 100);

    private CircuitBreaker breaker() {
        return CircuitBreaker.builder("cb").ticker(ticker).metrics(metrics).countWindow(10).minimumCalls(5)
                .failureRateThreshold(0.5).openDuration(Duration.ofSeconds(10)).halfOpenProbes(2).build();
    }

    private static void fail(CircuitBreaker cb) {
        assertTrue(cb.tryAcquirePermission());
        cb.onError(1, new IOException("boom"));
    }

    private static void succeed(CircuitBreaker cb) {
        assertTrue(cb.tryAcquirePermission());
        cb.onSuccess(1);
    }

    @Test
    void aNewThresholdJudgesTheKeptWindowFromTheNextOutcome() {
        CircuitBreaker cb = breaker();
        for (int i = 0; i < 3; i++) {
            succeed(cb);
        }
        fail(cb);
        fail(cb); // 2 of 5 failed: 40% under 50%
        assertEquals(CircuitState.CLOSED, cb.state());
        cb.reconfigure(cb.toBuilder().failureRateThreshold(0.3).build().config());
        assertEquals(5, cb.bufferedCalls()); // the window and its outcomes are kept
        assertEquals(CircuitState.CLOSED, cb.state()); // a change alone opens nothing
        succeed(cb); // 2 of 6: 33% reaches the new 30%
        assertEquals(CircuitState.OPEN, cb.state());
        assertEquals(0.3, cb.config().failureRateThreshold());
        assertEquals(1, metrics.transitions("cb", PolicyKinds.CONFIG).size());
    }

    @Test
    void aWindowOfAnotherSizeStartsEmpty() {
        CircuitBreaker cb = breaker();
        fail(cb);
        fail(cb);
        fail(cb);
        cb.reconfigure(cb.toBuilder().countWindow(20).build().config());
        assertEquals(0, cb.bufferedCalls());
        for (int i = 0; i < 4; i++) {
            fail(cb);
        }
        assertEquals(CircuitState.CLOSED, cb.state()); // 4 < minimumCalls in the new window
        fail(cb);
        assertEquals(CircuitState.OPEN, cb.state());
    }

    @Test
    void anOpenBreakerStaysOpenUntilItsOwnEndAndTheNewDurationAppliesFromTheNextOpening() {
        CircuitBreaker cb = breaker();
        for (int i = 0; i < 5; i++) {
            fail(cb);
        }
        assertEquals(CircuitState.OPEN, cb.state());
        ticker.advance(Duration.ofSeconds(4));
        cb.reconfigure(cb.toBuilder().openDuration(Duration.ofSeconds(2)).halfOpenProbes(1).build().config());
        assertEquals(CircuitState.OPEN, cb.state());
        ticker.advance(Duration.ofSeconds(5)); // 9 s since it opened: the 10 s stay is not over
        assertFalse(cb.tryAcquirePermission());
        ticker.advance(Duration.ofSeconds(1));
        assertTrue(cb.tryAcquirePermission()); // the first of 1 probe now
        assertEquals(CircuitState.HALF_OPEN, cb.state());
        assertFalse(cb.tryAcquirePermission()); // halfOpenProbes 1 from this stay on
        cb.onError(1, new IOException("still down"));
        assertEquals(CircuitState.OPEN, cb.state());
        ticker.advance(Duration.ofSeconds(2)); // the new 2 s open duration
        assertTrue(cb.tryAcquirePermission());
        cb.onSuccess(1);
        assertEquals(CircuitState.CLOSED, cb.state());
    }

    @Test
    void aHalfOpenBreakerKeepsItsProbes() {
        CircuitBreaker cb = breaker();
        for (int i = 0; i < 5; i++) {
            fail(cb);
        }
        ticker.advance(Duration.ofSeconds(10));
        assertTrue(cb.tryAcquirePermission()); // probe 1 of 2 out
        cb.reconfigure(cb.toBuilder().halfOpenProbes(5).build().config());
        assertEquals(CircuitState.HALF_OPEN, cb.state());
        assertTrue(cb.tryAcquirePermission()); // probe 2 of the 2 this stay began with
        assertFalse(cb.tryAcquirePermission());
        cb.onSuccess(1);
        cb.onSuccess(1);
        assertEquals(CircuitState.CLOSED, cb.state());
    }

    @Test
    void theNewFailureFilterClassifiesOutcomesThatArriveAfter() {
        CircuitBreaker cb = breaker();
        cb.reconfigure(cb.toBuilder().failures(FailureFilter.on(IllegalStateException.class)).build().config());
        for (int i = 0; i < 5; i++) {
            fail(cb); // IOException: no longer a failure
        }
        assertEquals(CircuitState.CLOSED, cb.state());
    }

    @Test
    void anotherNameTimerOrListenerIsRefusedNamingItAndTheOldSettingsStay() {
        CircuitBreaker cb = breaker();
        CircuitBreakerConfig before = cb.config();
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class, () -> cb.reconfigure(
                CircuitBreaker.builder("other").ticker(ticker).metrics(metrics).build().config()));
        assertEquals("cannot reconfigure 'cb': name must stay 'cb' but was 'other'", name.getMessage());
        IllegalArgumentException fixed = assertThrows(IllegalArgumentException.class, () -> cb.reconfigure(
                cb.toBuilder().failureRateThreshold(0.1).listener(new CircuitBreakerListener() {
                }).ticker(new ManualTicker()).build().config()));
        assertTrue(fixed.getMessage().startsWith("cannot reconfigure 'cb': ticker cannot change at run time"),
                fixed.getMessage());
        assertTrue(fixed.getMessage().contains("; listeners cannot change at run time"), fixed.getMessage());
        assertSame(before, cb.config());
        fail(cb);
        fail(cb);
        succeed(cb);
        succeed(cb);
        succeed(cb); // 2 of 5: under the kept 50%, over the refused 10%
        assertEquals(CircuitState.CLOSED, cb.state());
        assertEquals(0, metrics.transitions("cb", PolicyKinds.CONFIG).size());
    }
}
