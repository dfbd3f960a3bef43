package dev.nines.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateTest {

    private static String error(Rate.Builder b) {
        return assertThrows(IllegalArgumentException.class, b::build).getMessage();
    }

    @Test
    void burstDefaultsToPermitsAndRefillTimeFollows() {
        Rate l = Rate.perSecond(100);
        assertEquals(100, l.burst());
        assertEquals(Duration.ofSeconds(1), l.refillTime());
        assertEquals(Duration.ofMillis(200), Rate.of(100, Duration.ofSeconds(1), 20).refillTime());
        assertEquals("100 per PT1S (burst 20)", Rate.of(100, Duration.ofSeconds(1), 20).toString());
        assertEquals(Rate.of(5, Duration.ofMinutes(1)), Rate.perMinute(5).toBuilder().build());
    }

    @Test
    void invalidValuesAreNamedWithTheirRange() {
        assertEquals("permits must be >= 1 but was 0", error(Rate.builder().permits(0)));
        assertEquals("period must be > 0 but was PT0S", error(Rate.builder().permits(1).period(Duration.ZERO)));
        assertEquals("period must be > 0 but was PT-1S", error(Rate.builder().permits(1).period(Duration.ofSeconds(-1))));
        assertEquals("burst must be >= 1 (or 0 for the default, permits) but was -1",
                error(Rate.builder().permits(1).burst(-1)));
        assertEquals("permits must be <= one per nanosecond of period (1000 per PT0.000001S) but was 1001",
                error(Rate.builder().permits(1001).period(Duration.ofNanos(1000))));
        assertEquals("period must be <= PT40031H59M48.075855872S (about 4.5 years) but was PT43800H",
                error(Rate.builder().permits(1).period(Duration.ofDays(1825))));
        assertEquals("burst must be small enough to refill within PT40031H59M48.075855872S (about 4.5 years)"
                + " at 1 per PT24H but was 2000", error(Rate.builder().permits(1).period(Duration.ofDays(1)).burst(2000)));
    }

    @Test
    void everyInvalidFieldIsReportedInOneMessage() {
        assertEquals("permits must be >= 1 but was 0; period must be > 0 but was PT-1S; burst must be >= 1"
                + " (or 0 for the default, permits) but was -5",
                error(Rate.builder().permits(0).period(Duration.ofSeconds(-1)).burst(-5)));
        assertEquals("period must be <= PT40031H59M48.075855872S (about 4.5 years) but was PT43800H; burst must be"
                + " >= 1 (or 0 for the default, permits) but was -1",
                error(Rate.builder().permits(1).period(Duration.ofDays(1825)).burst(-1)));
        assertEquals("burst must be >= 1 (or 0 for the default, permits) but was -1; permits must be <= one per"
                + " nanosecond of period (1000 per PT0.000001S) but was 1001",
                error(Rate.builder().permits(1001).period(Duration.ofNanos(1000)).burst(-1)));
    }

    @Test
    void extremesAreAcceptedWithExactRefillTimes() {
        Rate perDay = Rate.of(1, Duration.ofDays(1));
        assertEquals(1, perDay.burst());
        assertEquals(Duration.ofDays(1), perDay.refillTime());

        Rate perNano = Rate.of(1_000_000_000, Duration.ofSeconds(1)); // one per nanosecond
        assertEquals(1_000_000_000, perNano.burst());
        assertEquals(Duration.ofSeconds(1), perNano.refillTime());

        Rate huge = Rate.of(1, Duration.ofNanos(1), 100_000_000_000_000_000L); // refilled in ~3.2 years
        assertEquals(100_000_000_000_000_000L, huge.burst());
        assertEquals(Duration.ofNanos(100_000_000_000_000_000L), huge.refillTime());

        Duration span = Duration.ofNanos(1L << 57); // the longest refill time, about 4.5 years
        Rate slowest = Rate.of(1, span);
        assertEquals(span, slowest.refillTime());
        Rate fullSpanPerDay = Rate.of(1, Duration.ofDays(1), 1_667); // the largest burst at one per day
        assertEquals(Duration.ofDays(1_667), fullSpanPerDay.refillTime());
        assertEquals("burst must be small enough to refill within PT40031H59M48.075855872S (about 4.5 years) at 1"
                + " per PT24H but was 1668", error(Rate.builder().permits(1).period(Duration.ofDays(1)).burst(1_668)));

        // a rounded cost shows in the refill time: 1/3 s per permit is kept as 333,333,333.375 ns
        assertEquals(Duration.ofNanos(1_000_000_001), Rate.perSecond(3).refillTime());
    }

    /** Issue 12, item 7: toBuilder() keeps unset what the user never set. */
    @Test
    void toBuilderKeepsADefaultBurstFollowingThePermits() {
        assertEquals(20, Rate.perSecond(10).toBuilder().permits(20).build().burst());
        assertEquals(5, Rate.of(10, Duration.ofSeconds(1), 5).toBuilder().permits(20).build().burst());
        assertEquals(10, Rate.of(10, Duration.ofSeconds(1), 10).toBuilder().permits(20).build().burst(),
                "a burst set explicitly, even to the default's value, stays");
    }
}
