package dev.nines.fallback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.FailureFilter;
import dev.nines.ManualTicker;
import dev.nines.Pipeline;
import dev.nines.RejectedCallException;
import dev.nines.bulkhead.SemaphoreBulkhead;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.Outcome;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FallbackTest {

    private final InMemoryMetrics metrics = new InMemoryMetrics(new ManualTicker(), 10);

    @Test
    void valueReplacesAnyExceptionAndIsReported() throws Exception {
        Fallback f = Fallback.builder("fb").value("default").metrics(metrics).build();
        assertEquals("default", f.call(() -> {
            throw new IOException();
        }));
        assertEquals("real", f.call(() -> "real"));
        assertEquals(1, metrics.count("fb", Outcome.FALLBACK));
    }

    @Test
    void functionSeesTheFailure() throws Exception {
        Fallback f = Fallback.of((failure, ctx) -> "from " + failure.getMessage());
        assertEquals("from boom", f.call(() -> {
            throw new IOException("boom");
        }));
    }

    @Test
    void onlyChosenTypesAreHandledAndErrorsPassByDefault() {
        Fallback f = Fallback.builder("fb").supplier(() -> "x").failures(FailureFilter.on(IOException.class)).build();
        assertThrows(IllegalStateException.class, () -> f.call(() -> {
            throw new IllegalStateException();
        }));
        assertThrows(AssertionError.class, () -> Fallback.of("x").call(() -> {
            throw new AssertionError();
        }));
    }

    @Test
    void handlesRejectionsOfAnInnerBreaker() throws Exception {
        CircuitBreaker cb = CircuitBreaker.builder("cb").build();
        cb.forceOpen();
        Fallback f = Fallback.builder("fb").callable(() -> "cached")
                .failures(FailureFilter.on(RejectedCallException.class)).build();
        assertEquals("cached", Pipeline.of(f, cb).call(() -> "live"));
    }

    @Test
    void fallbackFailureSurfacesWithTheOriginalSuppressed() {
        IOException original = new IOException("original");
        Fallback f = Fallback.of((failure, ctx) -> {
            throw new IllegalStateException("fallback broke");
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> f.call(() -> {
            throw original;
        }));
        assertSame(original, e.getSuppressed()[0]);
    }

    @Test
    void aFallbackRethrowingTheOriginalFailureSurfacesItUnchanged() {
        IOException original = new IOException("original");
        Fallback f = Fallback.builder("fb").function((failure, ctx) -> {
            throw (IOException) failure; // cannot handle this one after all
        }).metrics(metrics).build();
        IOException e = assertThrows(IOException.class, () -> f.call(() -> {
            throw original;
        }));
        assertSame(original, e);
        assertEquals(0, e.getSuppressed().length, "not suppressed into itself");
        assertEquals(0, metrics.count("fb", Outcome.FALLBACK));
    }

    @Test
    void anAsyncFallbackRethrowingTheOriginalFailureStillCompletesTheResult() {
        IOException original = new IOException("original");
        Fallback thrower = Fallback.builder("fb").function((failure, ctx) -> {
            throw (IOException) failure;
        }).build();
        Fallback failedStage = Fallback.builder("fb").asyncFunction(CompletableFuture::failedFuture).build();
        for (Fallback f : List.of(thrower, failedStage)) {
            CompletableFuture<String> result = f.callAsync(() -> CompletableFuture.<String>failedFuture(original))
                    .toCompletableFuture();
            assertTrue(result.isDone(), "completed, not left hanging: " + f);
            ExecutionException e = assertThrows(ExecutionException.class, result::get);
            assertSame(original, e.getCause());
            assertEquals(0, original.getSuppressed().length);
        }
    }

    @Test
    void aSyncFallbackReturningAFailedStageOfTheOriginalSurfacesIt() {
        IOException original = new IOException("original");
        Fallback f = Fallback.builder("fb").asyncFunction(CompletableFuture::failedFuture).build();
        IOException e = assertThrows(IOException.class, () -> f.call(() -> {
            throw original;
        }));
        assertSame(original, e);
        assertEquals(0, e.getSuppressed().length);
    }

    @Test
    void anAsyncFallbackWhosePredicateThrowsStillCompletesTheResult() throws Exception {
        // A filter predicate that throws makes the outcome a failure (the FailureFilter's rule), so
        // it is replaced; until the FailureFilter came, the predicate's exception ended the call.
        IOException original = new IOException("original");
        Fallback f = Fallback.builder("fb").value("v").failures(FailureFilter.onlyIf(t -> {
            throw new IllegalStateException("predicate broke");
        })).build();
        CompletableFuture<String> result = f.callAsync(() -> CompletableFuture.<String>failedFuture(original))
                .toCompletableFuture();
        assertTrue(result.isDone(), "completed, not left hanging");
        assertEquals("v", result.get());
    }

    @Test
    void aVirtualMachineErrorFromTheFilterStillCompletesTheAsyncResult() {
        IOException original = new IOException("original");
        Fallback f = Fallback.builder("fb").value("v").failures(FailureFilter.onlyIf(t -> {
            throw new StackOverflowError("deep");
        })).build();
        CompletableFuture<String> result = f.callAsync(() -> CompletableFuture.<String>failedFuture(original))
                .toCompletableFuture();
        assertTrue(result.isDone(), "completed, not left hanging");
        ExecutionException e = assertThrows(ExecutionException.class, result::get);
        assertEquals("deep", e.getCause().getMessage());
        assertSame(original, e.getCause().getSuppressed()[0]);
    }

    @Test
    void asyncPathReplacesFailedStagesWithValueOrStage() throws Exception {
        Fallback value = Fallback.of("v");
        assertEquals("v", value.callAsync(() -> CompletableFuture.<String>failedFuture(new IOException()))
                .toCompletableFuture().get());
        Fallback stage = Fallback.builder("fb").asyncFunction(t -> CompletableFuture.completedFuture("s")).build();
        assertEquals("s", stage.callAsync(() -> CompletableFuture.<String>failedFuture(new IOException()))
                .toCompletableFuture().get());
        assertEquals("s", stage.call(() -> {
            throw new IOException();
        }));
    }

    @Test
    void cancellingAnOutermostFallbacksStageCancelsTheWorkAndFreesTheBulkheadPermitWithoutFallingBack() {
        SemaphoreBulkhead bulkhead = SemaphoreBulkhead.builder("bh").maxConcurrent(1).metrics(metrics).build();
        AtomicInteger fallbacks = new AtomicInteger();
        Fallback f = Fallback.builder("fb").supplier(() -> "fallback " + fallbacks.incrementAndGet())
                .metrics(metrics).build();
        CompletableFuture<String> work = new CompletableFuture<>();
        CompletableFuture<String> result = Pipeline.of(f, bulkhead).callAsync(() -> work).toCompletableFuture();
        assertEquals(0, bulkhead.availablePermits());

        assertTrue(result.cancel(true));
        assertTrue(work.isCancelled(), "the cancel reached the work");
        assertEquals(1, bulkhead.availablePermits(), "the permit inside is free again");
        assertEquals(0, fallbacks.get(), "a cancel is not a failure to fall back from");
        assertEquals(0, metrics.count("fb", Outcome.FALLBACK));
        assertTrue(result.isCancelled());
    }

    @Test
    void cancellingWhileAnAsyncFallbackRunsCancelsTheFallbacksStage() {
        CompletableFuture<String> replacement = new CompletableFuture<>();
        Fallback f = Fallback.builder("fb").asyncFunction(failure -> replacement).build();
        CompletableFuture<String> result = f.callAsync(() -> CompletableFuture.<String>failedFuture(new IOException()))
                .toCompletableFuture();
        assertFalse(result.isDone());

        assertTrue(result.cancel(true));
        assertTrue(replacement.isCancelled(), "the cancel reached the fallback's own work");
    }

    @Test
    void exactlyOneSourceIsRequired() {
        assertEquals("fallback source must be set exactly once (value, function, supplier, callable or "
                + "asyncFunction) but was set 0 times",
                assertThrows(IllegalArgumentException.class, () -> Fallback.builder("fb").build()).getMessage());
        assertEquals("fallback source must be set exactly once (value, function, supplier, callable or "
                + "asyncFunction) but was set 2 times",
                assertThrows(IllegalArgumentException.class,
                        () -> Fallback.builder("fb").value(1).value(2).build()).getMessage());
    }
}
