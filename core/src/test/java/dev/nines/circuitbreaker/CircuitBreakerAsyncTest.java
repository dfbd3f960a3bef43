package dev.nines.circuitbreaker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.metrics.MetricsSink;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class CircuitBreakerAsyncTest {

    private final ManualTicker ticker = new ManualTicker();

    private CircuitBreaker openedThenHalfOpenReady(int probes) {
        CircuitBreaker cb = CircuitBreaker.builder("async").ticker(ticker).metrics(MetricsSink.noop())
                .countWindow(1).minimumCalls(1).halfOpenProbes(probes).openDuration(Duration.ofSeconds(1)).build();
        cb.callAsync(() -> CompletableFuture.failedFuture(new IOException()));
        assertEquals(CircuitState.OPEN, cb.state());
        ticker.advance(Duration.ofSeconds(1));
        return cb;
    }

    @Test
    void asyncOutcomesAreRecordedWhenTheStageCompletes() throws Exception {
        CircuitBreaker cb = openedThenHalfOpenReady(1);
        CompletableFuture<String> inner = new CompletableFuture<>();
        CompletionStage<String> outer = cb.callAsync(() -> inner);
        assertEquals(CircuitState.HALF_OPEN, cb.state());
        assertFalse(cb.tryAcquirePermission());
        ticker.advance(Duration.ofMillis(5));
        inner.complete("ok");
        assertEquals("ok", outer.toCompletableFuture().get());
        assertEquals(CircuitState.CLOSED, cb.state());
    }

    @Test
    void rejectionCompletesTheStageInsteadOfThrowing() {
        CircuitBreaker cb = openedThenHalfOpenReady(1);
        cb.forceOpen();
        CompletionStage<String> stage = cb.callAsync(() -> CompletableFuture.completedFuture("never"));
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> stage.toCompletableFuture().get());
        assertInstanceOf(CircuitBreakerOpenException.class, e.getCause());
    }

    @Test
    void cancellingTheReturnedStageGivesTheProbeBackAndIgnoresTheLateOutcome() {
        CircuitBreaker cb = openedThenHalfOpenReady(1);
        CompletableFuture<String> inner = new CompletableFuture<>();
        CompletableFuture<String> outer = cb.<String>callAsync(() -> inner).toCompletableFuture();
        assertFalse(cb.tryAcquirePermission());
        outer.cancel(true);
        assertTrue(inner.isCancelled(), "cancellation reaches the call");
        assertTrue(cb.tryAcquirePermission(), "the probe slot is free again");
        cb.onSuccess(1);
        assertEquals(CircuitState.CLOSED, cb.state());
    }

    @Test
    void innerStageCancelledCountsForNothing() {
        CircuitBreaker cb = openedThenHalfOpenReady(1);
        CompletableFuture<String> inner = new CompletableFuture<>();
        cb.callAsync(() -> inner);
        inner.cancel(false);
        assertEquals(CircuitState.HALF_OPEN, cb.state());
        assertTrue(cb.tryAcquirePermission());
        cb.releasePermission(); // the probe never runs: its slot goes back, leaving the breaker at rest
    }

    @Test
    void callThatThrowsBeforeReturningItsStageIsAFailure() {
        CircuitBreaker cb = openedThenHalfOpenReady(1);
        CompletionStage<String> stage = cb.callAsync(() -> {
            throw new IllegalStateException("no stage");
        });
        assertTrue(stage.toCompletableFuture().isCompletedExceptionally());
        assertEquals(CircuitState.OPEN, cb.state());
    }
}
