package dev.nines.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nines.CallContext;
import dev.nines.FailureFilter;
import dev.nines.ManualTicker;
import dev.nines.annotation.NinesProxy;
import dev.nines.metrics.MetricsSink;
import dev.nines.retry.annotation.WithRetry;
import dev.nines.testing.RecordingSleeper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A retry reads its {@link FailureFilter}: FAILURE is retried, IGNORED and SUCCESS end the call at once. */
class RetryFailuresTest {

    private final ManualTicker ticker = new ManualTicker();
    private final AtomicInteger calls = new AtomicInteger();

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    private Retry retry(FailureFilter failures) {
        return Retry.builder("r").maxAttempts(3).ticker(ticker).sleeper(new RecordingSleeper(ticker))
                .metrics(MetricsSink.noop()).failures(failures).build();
    }

    private int attemptsUntilThrown(Retry retry, Exception thrown) {
        calls.set(0);
        Exception e = assertThrows(Exception.class, () -> retry.call(() -> {
            calls.incrementAndGet();
            throw thrown;
        }));
        assertEquals(thrown, e, "the last failure, unchanged");
        return calls.get();
    }

    private int attemptsUntilReturned(Retry retry, Object result) throws Exception {
        calls.set(0);
        assertEquals(result, retry.call(() -> {
            calls.incrementAndGet();
            return result;
        }));
        return calls.get();
    }

    @Test
    void eachVerdictOfTheFilterReachesTheRightBehaviour() throws Exception {
        Retry retry = retry(FailureFilter.on(IOException.class).ignoring(FileNotFoundException.class)
                .failingResults("busy"::equals).ignoringResults("later"::equals));
        assertEquals(3, attemptsUntilThrown(retry, new IOException("FAILURE: retried")));
        assertEquals(1, attemptsUntilThrown(retry, new FileNotFoundException("IGNORED: given up at once")));
        assertEquals(1, attemptsUntilThrown(retry, new IllegalStateException("SUCCESS: not retried")));
        assertEquals(3, attemptsUntilReturned(retry, "busy"), "a FAILURE result is retried, the last one returned");
        assertEquals(1, attemptsUntilReturned(retry, "later"), "an IGNORED result is not retried");
        assertEquals(1, attemptsUntilReturned(retry, "fine"));
    }

    @Test
    void wrappedExceptionsAreJudgedByTheirCause() {
        Retry retry = retry(FailureFilter.on(IOException.class));
        assertEquals(3, attemptsUntilThrown(retry, new CompletionException(new IOException("wrapped"))));
    }

    @Test
    void anInterruptedExceptionIsNeverRetriedEvenWhenTheFilterCountsEverything() {
        Retry retry = retry(FailureFilter.on(Throwable.class));
        assertEquals(1, attemptsUntilThrown(retry, new InterruptedException()));
        assertEquals(3, attemptsUntilThrown(retry, new IllegalStateException()), "everything else is retried");
    }

    @Test
    void byDefaultExceptionsAreRetriedButErrorsAndResultsAreNot() throws Exception {
        Retry retry = Retry.builder("r").maxAttempts(3).sleeper(new RecordingSleeper(ticker)).ticker(ticker)
                .metrics(MetricsSink.noop()).build();
        assertEquals(3, attemptsUntilThrown(retry, new IllegalStateException()));
        calls.set(0);
        assertThrows(AssertionError.class, () -> retry.call(CallContext.empty(), ctx -> {
            calls.incrementAndGet();
            throw new AssertionError("an Error");
        }));
        assertEquals(1, calls.get());
        assertEquals(1, attemptsUntilReturned(retry, "anything"));
    }

    public interface Client {
        @WithRetry(maxAttempts = 3, initialDelayMillis = 0, failures = IOException.class,
                ignored = FileNotFoundException.class)
        String call(Exception toThrow) throws Exception;
    }

    @Test
    void theAnnotationsFailuresAndIgnoredAttributesBecomeTheFilter() {
        Client target = e -> {
            calls.incrementAndGet();
            throw e;
        };
        Client client = NinesProxy.builder(Client.class, target).ticker(ticker).sleeper(new RecordingSleeper(ticker))
                .metrics(MetricsSink.noop()).build();
        calls.set(0);
        assertThrows(IOException.class, () -> client.call(new IOException()));
        assertEquals(3, calls.getAndSet(0));
        assertThrows(FileNotFoundException.class, () -> client.call(new FileNotFoundException()));
        assertEquals(1, calls.getAndSet(0));
        assertThrows(IllegalStateException.class, () -> client.call(new IllegalStateException()));
        assertEquals(1, calls.getAndSet(0));
    }
}
