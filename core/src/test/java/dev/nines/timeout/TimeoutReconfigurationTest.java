package dev.nines.timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.CallContext;
import dev.nines.ManualTicker;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.PolicyKinds;
import dev.nines.testing.ManualScheduler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** {@code reconfigure} of a timeout: the new limit for calls that start after, a running call keeps its own. */
class TimeoutReconfigurationTest {

    private final ManualTicker ticker = new ManualTicker();
    private final ManualScheduler scheduler = new ManualScheduler(ticker);
    private final InMemoryMetrics metrics = new InMemoryMetrics(ticker, 16);

    private Timeout timeout(long millis) {
        return Timeout.builder("t").timeout(Duration.ofMillis(millis)).ticker(ticker).scheduler(scheduler)
                .metrics(metrics).build();
    }

    @Test
    void aRunningCallKeepsItsLimitAndTheNextCallTakesTheNewOne() {
        Timeout t = timeout(100);
        CompletableFuture<String> before = t.<String>callAsync(CallContext.empty(), ctx -> new CompletableFuture<>())
                .toCompletableFuture();
        t.reconfigure(t.toBuilder().timeout(Duration.ofMillis(30)).build().config());
        CompletableFuture<String> after = t.<String>callAsync(CallContext.empty(), ctx -> new CompletableFuture<>())
                .toCompletableFuture();
        scheduler.advance(Duration.ofMillis(30));
        assertTrue(after.isCompletedExceptionally());
        assertFalse(before.isDone()); // started under 100 ms
        scheduler.advance(Duration.ofMillis(70));
        ExecutionException e = assertThrows(ExecutionException.class, before::get);
        assertEquals(Duration.ofMillis(100), ((TimeoutExceededException) e.getCause()).timeout());
        assertEquals(Duration.ofMillis(30), t.config().timeout());
        assertEquals(1, metrics.transitions("t", PolicyKinds.CONFIG).size());
    }

    @Test
    void anotherNameOrSchedulerIsRefusedAndTheOldLimitStays() {
        Timeout t = timeout(100);
        TimeoutConfig before = t.config();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.reconfigure(
                t.toBuilder().timeout(Duration.ofMillis(5)).scheduler(new ManualScheduler(ticker)).build().config()));
        assertEquals("cannot reconfigure 't': scheduler cannot change at run time", e.getMessage().substring(0,
                "cannot reconfigure 't': scheduler cannot change at run time".length()));
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
                () -> t.reconfigure(Timeout.builder("u").build().config()));
        assertEquals("cannot reconfigure 't': name must stay 't' but was 'u'", name.getMessage());
        assertSame(before, t.config());
    }
}
