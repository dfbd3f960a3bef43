package dev.nines.fallback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nines.ManualTicker;
import dev.nines.Pipeline;
import dev.nines.RejectedCallException;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.Outcome;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
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
        Fallback f = Fallback.builder("fb").supplier(() -> "x").handle(IOException.class).build();
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
        Fallback f = Fallback.builder("fb").callable(() -> "cached").handle(RejectedCallException.class).build();
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
