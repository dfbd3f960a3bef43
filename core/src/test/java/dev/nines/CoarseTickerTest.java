package dev.nines;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The coarse ticker: never ahead of the exact clock, never backwards, refreshed while running, exact once closed. */
class CoarseTickerTest {

    @Test
    void readingsNeverRunAheadOfTheClockNorGoBackwardsAndMoveWhileRunning() {
        try (CoarseTicker ticker = CoarseTicker.start(Duration.ofMillis(1))) {
            long first = ticker.read();
            long previous = first;
            for (int i = 0; i < 100_000; i++) {
                long reading = ticker.read();
                long exact = System.nanoTime();
                assertTrue(reading <= exact, "ahead of the clock");
                assertTrue(reading >= previous, "backwards");
                previous = reading;
            }
            // the timer thread refreshes it: wait (bounded) for a later reading, not for time to pass
            await().atMost(Duration.ofSeconds(10)).until(() -> ticker.read() > first);
        }
    }

    @Test
    void aClosedTickerReadsTheExactClock() {
        CoarseTicker ticker = CoarseTicker.start(Duration.ofSeconds(1));
        ticker.close();
        ticker.close(); // idempotent
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            long before = System.nanoTime();
            return ticker.read() >= before; // only an exact reading can be at or after a reading taken before it
        });
        assertTrue(ticker.toString().endsWith("closed]"));
    }

    @Test
    void resolutionsOutsideTheRangeFailNamingTheValue() {
        assertEquals("resolution must be within [PT0.0001S, PT1S] but was PT0.00001S",
                assertThrows(IllegalArgumentException.class, () -> CoarseTicker.start(Duration.ofNanos(10_000)))
                        .getMessage());
        assertEquals("resolution must be within [PT0.0001S, PT1S] but was PT2S",
                assertThrows(IllegalArgumentException.class, () -> CoarseTicker.start(Duration.ofSeconds(2)))
                        .getMessage());
    }

    @Test
    void theSharedTickerIsOneAndSurvivesClose() {
        CoarseTicker shared = CoarseTicker.shared();
        assertSame(shared, CoarseTicker.shared());
        assertEquals(Duration.ofMillis(1), shared.resolution());
        shared.close();
        long first = shared.read();
        await().atMost(Duration.ofSeconds(10)).until(() -> shared.read() > first);
        assertEquals("CoarseTicker[PT0.001S]", shared.toString());
    }
}
