package dev.nines.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final long MS = 1_000_000L;

    @Test
    void fixedReturnsTheSameDelayForEveryRetry() {
        Backoff b = Backoff.fixed(Duration.ofMillis(50));
        assertEquals(50 * MS, b.delayNanos(1, 0, 0.9));
        assertEquals(50 * MS, b.delayNanos(7, 50 * MS, 0.1));
    }

    @Test
    void noneRetriesAtOnce() {
        assertEquals(0, Backoff.none().delayNanos(3, 0, 0.5));
    }

    @Test
    void exponentialGrowsByTheMultiplierUntilTheCap() {
        Backoff b = Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofMillis(500));
        assertEquals(100 * MS, b.delayNanos(1, 0, 0.5));
        assertEquals(200 * MS, b.delayNanos(2, 0, 0.5));
        assertEquals(400 * MS, b.delayNanos(3, 0, 0.5));
        assertEquals(500 * MS, b.delayNanos(4, 0, 0.5));
        assertEquals(500 * MS, b.delayNanos(1000, 0, 0.5), "no overflow far past the cap");
    }

    @Test
    void fullJitterIsUniformBetweenZeroAndTheDelay() {
        Backoff b = Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(1), Jitter.FULL);
        assertEquals(0, b.delayNanos(2, 0, 0.0));
        assertEquals(50 * MS, b.delayNanos(2, 0, 0.25));
        assertEquals(150 * MS, b.delayNanos(2, 0, 0.75));
    }

    @Test
    void equalJitterKeepsHalfTheDelayAndRandomizesTheOtherHalf() {
        Backoff b = Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(1), Jitter.EQUAL);
        assertEquals(100 * MS, b.delayNanos(2, 0, 0.0));
        assertEquals(150 * MS, b.delayNanos(2, 0, 0.5));
        assertEquals(175 * MS, b.delayNanos(2, 0, 0.75));
    }

    @Test
    void decorrelatedJitterDrawsBetweenTheInitialDelayAndAMultipleOfThePreviousOne() {
        Backoff b = Backoff.exponential(Duration.ofMillis(100), 3.0, Duration.ofSeconds(1), Jitter.DECORRELATED);
        // first retry: previous counts as the initial delay, so uniform in [100, 300]
        assertEquals(100 * MS, b.delayNanos(1, 0, 0.0));
        assertEquals(200 * MS, b.delayNanos(1, 0, 0.5));
        // then uniform in [100, 3 x 200]
        assertEquals(350 * MS, b.delayNanos(2, 200 * MS, 0.5));
        // capped
        assertEquals(1000 * MS, b.delayNanos(3, 600 * MS, 0.99));
    }

    @Test
    void fixedWithJitterJittersTheFixedDelay() {
        assertEquals(20 * MS, Backoff.fixed(Duration.ofMillis(80), Jitter.FULL).delayNanos(5, 0, 0.25));
    }

    @Test
    void invalidSettingsAreRefusedWithFieldAndValue() {
        assertEquals("initialDelay must be >= 0 but was PT-0.001S", assertThrows(IllegalArgumentException.class,
                () -> Backoff.fixed(Duration.ofMillis(-1))).getMessage());
        assertEquals("multiplier must be >= 1.0 and finite but was 0.5", assertThrows(IllegalArgumentException.class,
                () -> Backoff.exponential(Duration.ofMillis(1), 0.5, Duration.ofMillis(2))).getMessage());
        assertEquals("multiplier must be >= 1.0 and finite but was NaN", assertThrows(IllegalArgumentException.class,
                () -> Backoff.exponential(Duration.ofMillis(1), Double.NaN, Duration.ofMillis(2))).getMessage());
        assertEquals("maxDelay must be >= initialDelay (PT0.1S) but was PT0.05S",
                assertThrows(IllegalArgumentException.class,
                        () -> Backoff.exponential(Duration.ofMillis(100), 2, Duration.ofMillis(50))).getMessage());
    }
}
