package dev.nines.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nines.CallContext;
import dev.nines.ManualTicker;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.PolicyKinds;
import dev.nines.testing.ManualScheduler;
import dev.nines.testing.RecordingSleeper;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@code reconfigure} of a retry: new settings for the calls that start after, a running call keeps its own. */
class RetryReconfigurationTest {

    private final ManualTicker ticker = new ManualTicker();
    private final RecordingSleeper sleeper = new RecordingSleeper(ticker);
    private final ManualScheduler scheduler = new ManualScheduler(ticker);
    private final InMemoryMetrics metrics = new InMemoryMetrics(ticker, 16);

    private Retry retry(int maxAttempts) {
        return Retry.builder("r").ticker(ticker).sleeper(sleeper).scheduler(scheduler).metrics(metrics)
                .maxAttempts(maxAttempts).backoff(Backoff.exponential(Duration.ofMillis(10), 2.0, Duration.ofSeconds(1)))
                .build();
    }

    @Test
    void aRunningCallKeepsItsSettingsAndTheNextCallTakesTheNewOnes() throws Exception {
        Retry r = retry(3);
        AtomicInteger attempts = new AtomicInteger();
        assertThrows(IOException.class, () -> r.call(CallContext.empty(), ctx -> {
            if (attempts.incrementAndGet() == 1) {
                r.reconfigure(r.toBuilder().maxAttempts(5).build().config()); // mid-call
            }
            throw new IOException("down");
        }));
        assertEquals(3, attempts.get()); // the call began with 3
        assertEquals(5, r.maxAttempts());
        AtomicInteger second = new AtomicInteger();
        assertEquals("ok", r.call(CallContext.empty(), ctx -> {
            if (second.incrementAndGet() < 5) {
                throw new IOException("down");
            }
            return "ok";
        }));
        assertEquals(5, second.get());
        assertEquals(1, metrics.transitions("r", PolicyKinds.CONFIG).size());
    }

    @Test
    void anotherSleeperOrNameIsRefusedAndTheOldSettingsStay() {
        Retry r = retry(3);
        RetryConfig before = r.config();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> r.reconfigure(r.toBuilder().maxAttempts(9).sleeper(new RecordingSleeper(ticker)).build().config()));
        assertEquals("cannot reconfigure 'r': sleeper cannot change at run time", e.getMessage().substring(0,
                "cannot reconfigure 'r': sleeper cannot change at run time".length()));
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
                () -> r.reconfigure(Retry.builder("q").build().config()));
        assertEquals("cannot reconfigure 'r': name must stay 'r' but was 'q'", name.getMessage());
        assertSame(before, r.config());
        assertEquals(3, r.maxAttempts());
    }
}
