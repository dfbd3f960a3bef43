package dev.nines.circuitbreaker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nines.FailureFilter;
import dev.nines.ManualTicker;
import dev.nines.annotation.NinesProxy;
import dev.nines.circuitbreaker.annotation.WithCircuitBreaker;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.Outcome;
import dev.nines.metrics.PolicyKinds;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The breaker judges outcomes with its {@link FailureFilter}, plus its own two rules. */
class CircuitBreakerFailuresTest {

    private final ManualTicker ticker = new ManualTicker();
    private final InMemoryMetrics metrics = new InMemoryMetrics();

    private CircuitBreaker breaker(FailureFilter failures) {
        return CircuitBreaker.builder("cb").ticker(ticker).metrics(metrics).countWindow(100).minimumCalls(100)
                .openDuration(Duration.ofSeconds(10)).failures(failures).build();
    }

    private long count(Outcome outcome) {
        return metrics.count("cb", PolicyKinds.CIRCUIT_BREAKER, outcome);
    }

    private static void error(CircuitBreaker cb, Throwable t) {
        cb.tryAcquirePermission();
        cb.onError(1, t);
    }

    private static void result(CircuitBreaker cb, Object r) {
        cb.tryAcquirePermission();
        cb.onResult(1, r);
    }

    @Test
    void eachVerdictOfTheFilterReachesTheWindow() {
        FailureFilter failures = FailureFilter.on(IOException.class).ignoring(FileNotFoundException.class)
                .failingResults(r -> Integer.valueOf(503).equals(r)).ignoringResults(r -> Integer.valueOf(404).equals(r));
        CircuitBreaker cb = breaker(failures);
        assertSame(failures, cb.config().failures());

        error(cb, new IOException("a failure"));
        result(cb, 503);
        assertEquals(2, count(Outcome.FAILURE));
        assertEquals(2, cb.bufferedCalls());

        error(cb, new FileNotFoundException("ignored: checked before the failure types"));
        result(cb, 404);
        assertEquals(2, count(Outcome.IGNORED));
        assertEquals(2, cb.bufferedCalls(), "an ignored outcome leaves the window as it was");

        error(cb, new IllegalArgumentException("not a failure type: the dependency answered"));
        result(cb, 200);
        assertEquals(2, count(Outcome.SUCCESS));
        assertEquals(4, cb.bufferedCalls());
    }

    @Test
    void theLambdaFormsJudgeWrappedExceptionsByTheirCause() {
        CircuitBreaker cb = breaker(FailureFilter.on(IOException.class));
        assertThrows(CompletionException.class, () -> cb.call(() -> {
            throw new CompletionException(new IOException("wrapped"));
        }));
        assertThrows(UncheckedIOException.class, () -> cb.call(() -> {
            throw new UncheckedIOException(new IOException("not a wrapper the filter looks through"));
        }));
        assertEquals(1, count(Outcome.FAILURE));
        assertEquals(1, count(Outcome.SUCCESS));
    }

    @Test
    void aCancelledCallIsNeverCountedEvenWhenTheFilterCountsEverything() {
        CircuitBreaker cb = breaker(FailureFilter.on(Throwable.class));
        error(cb, new CancellationException());
        error(cb, new CompletionException(new CancellationException()));
        assertEquals(2, count(Outcome.IGNORED));
        assertEquals(0, cb.bufferedCalls());
    }

    @Test
    void anErrorIsAFailureUnlessTheFilterIgnoresIt() {
        CircuitBreaker cb = breaker(FailureFilter.on(IOException.class).ignoring(StackOverflowError.class));
        error(cb, new AssertionError("not a failure type, but an Error"));
        assertEquals(1, count(Outcome.FAILURE));
        error(cb, new StackOverflowError("ignored by the filter"));
        assertEquals(1, count(Outcome.IGNORED));
    }

    @Test
    void byDefaultEveryExceptionIsAFailureAndEveryResultASuccess() {
        CircuitBreaker cb = CircuitBreaker.builder("cb").ticker(ticker).metrics(metrics).build();
        assertSame(FailureFilter.exceptions(), cb.config().failures());
        error(cb, new IllegalStateException());
        result(cb, null);
        assertEquals(1, count(Outcome.FAILURE));
        assertEquals(1, count(Outcome.SUCCESS));
    }

    @Test
    void aNullFilterFailsAtTheSetter() {
        assertEquals("failures", assertThrows(NullPointerException.class,
                () -> CircuitBreaker.builder("cb").failures(null)).getMessage());
    }

    public interface Client {
        @WithCircuitBreaker(name = "annotated", failures = IOException.class, ignored = FileNotFoundException.class)
        String call(Throwable toThrow) throws Exception;
    }

    @Test
    void theAnnotationsFailuresAndIgnoredAttributesBecomeTheFilter() {
        Client target = t -> {
            throw (Exception) t;
        };
        Client client = NinesProxy.builder(Client.class, target).ticker(ticker).metrics(metrics).build();
        assertThrows(IOException.class, () -> client.call(new IOException()));
        assertThrows(FileNotFoundException.class, () -> client.call(new FileNotFoundException()));
        assertThrows(IllegalStateException.class, () -> client.call(new IllegalStateException()));
        assertEquals(1, metrics.count("annotated", PolicyKinds.CIRCUIT_BREAKER, Outcome.FAILURE));
        assertEquals(1, metrics.count("annotated", PolicyKinds.CIRCUIT_BREAKER, Outcome.IGNORED));
        assertEquals(1, metrics.count("annotated", PolicyKinds.CIRCUIT_BREAKER, Outcome.SUCCESS));
    }
}
