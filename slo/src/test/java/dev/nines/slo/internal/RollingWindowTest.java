package dev.nines.slo.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nines.ManualTicker;
import dev.nines.slo.EventCounts;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The rolling window on a manual ticker: sums over sub-windows, lazy reset, rollover, negative and wrapping time. */
class RollingWindowTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    @Test
    void thirtyDaysAtOneMinuteIsFortyThreeThousandTwoHundredBucketsOfEightBytes() {
        RollingWindow window = new RollingWindow(Duration.ofDays(30), MINUTE, new ManualTicker());
        assertEquals(43_200, window.bucketCount());
        assertEquals(345_600, window.bucketBytes());
        assertEquals(Duration.ofDays(30), window.length());
        assertEquals(MINUTE, window.resolution());
    }

    @Test
    void badShapesFailNamingTheValues() {
        ManualTicker ticker = new ManualTicker();
        assertEquals("resolution must be > 0 but was PT0S",
                assertThrows(IllegalArgumentException.class, () -> new RollingWindow(MINUTE, Duration.ZERO, ticker)).getMessage());
        assertEquals("length must be a positive multiple of resolution PT1M but was PT1M30S",
                assertThrows(IllegalArgumentException.class, () -> new RollingWindow(Duration.ofSeconds(90), MINUTE, ticker))
                        .getMessage());
        assertEquals("length must be a positive multiple of resolution PT1M but was PT0S",
                assertThrows(IllegalArgumentException.class, () -> new RollingWindow(Duration.ZERO, MINUTE, ticker)).getMessage());
        assertEquals("length / resolution must be <= 1073741823 buckets but was 2592000000000 (length PT720H, resolution PT0.000001S)",
                assertThrows(IllegalArgumentException.class,
                        () -> new RollingWindow(Duration.ofDays(30), Duration.ofNanos(1_000), ticker)).getMessage());
        RollingWindow window = new RollingWindow(Duration.ofMinutes(10), MINUTE, ticker);
        assertEquals("window must be within (0, PT10M] but was PT10M1S",
                assertThrows(IllegalArgumentException.class, () -> window.sum(Duration.ofSeconds(601))).getMessage());
        assertEquals("window must be within (0, PT10M] but was PT0S",
                assertThrows(IllegalArgumentException.class, () -> window.sum(Duration.ZERO)).getMessage());
    }

    @Test
    void sumsCoverTheCurrentBucketAndWholeEarlierOnes() {
        ManualTicker ticker = new ManualTicker();
        RollingWindow window = new RollingWindow(Duration.ofMinutes(10), MINUTE, ticker);
        recordMinutes(window, ticker, 10); // minute m: m + 1 events, the first of them good
        assertEquals(new EventCounts(1, 10), window.sum(MINUTE));
        assertEquals(new EventCounts(2, 19), window.sum(Duration.ofSeconds(61))); // rounded up to two buckets
        assertEquals(new EventCounts(3, 27), window.sum(Duration.ofMinutes(3)));
        assertEquals(new EventCounts(10, 55), window.sum());
        assertEquals(new EventCounts(10, 55), window.sum(Duration.ofMinutes(10)));
        assertEquals(45, window.sum().bad());

        ticker.advance(MINUTE); // minute 10 replaces minute 0 (1 event) in the window, before anything is recorded
        assertEquals(new EventCounts(9, 54), window.sum());
        assertEquals(new EventCounts(0, 0), window.sum(MINUTE));
        ticker.advance(Duration.ofMinutes(5)); // minutes 11..15: minutes 1..5 are gone too
        assertEquals(new EventCounts(4, 34), window.sum()); // minutes 6..9: 7 + 8 + 9 + 10
    }

    @Test
    void aBucketIsResetLazilyByTheFirstEventOfItsNextRound() {
        ManualTicker ticker = new ManualTicker();
        RollingWindow window = new RollingWindow(Duration.ofMinutes(3), MINUTE, ticker);
        for (int i = 0; i < 5; i++) {
            window.record(true);
        }
        ticker.advance(Duration.ofMinutes(3)); // the same slot, one round later
        window.record(false);
        assertEquals(new EventCounts(0, 1), window.sum());
        assertEquals(new EventCounts(0, 1), window.sum(MINUTE));
    }

    @Test
    void aLongIdleWindowIsEmptyAndRecordsAgain() {
        ManualTicker ticker = new ManualTicker();
        RollingWindow window = new RollingWindow(Duration.ofMinutes(3), MINUTE, ticker);
        window.record(true);
        window.record(false);
        ticker.advance(Duration.ofDays(365)); // 175,200 rounds of the ring
        assertEquals(new EventCounts(0, 0), window.sum());
        window.record(true);
        assertEquals(new EventCounts(1, 1), window.sum());
    }

    @Test
    void thirtyDaysAtOneMinuteRollOverDayAfterDay() {
        ManualTicker ticker = new ManualTicker(-123_456_789L);
        RollingWindow window = new RollingWindow(Duration.ofDays(30), MINUTE, ticker);
        for (int hour = 0; hour < 40 * 24; hour++) { // one good and one bad event each hour for 40 days
            window.record(true);
            window.record(false);
            if (hour >= 30 * 24 - 1) {
                // the window holds the last 30 days: 720 hours, each with one good and one bad event
                assertEquals(new EventCounts(720, 1_440), window.sum(), "hour " + hour);
                assertEquals(new EventCounts(24, 48), window.sum(Duration.ofDays(1)), "hour " + hour);
            }
            ticker.advance(Duration.ofHours(1));
        }
    }

    @Test
    void negativeAndWrappingReadingsCountOnlyDifferences() {
        for (long start : new long[] {Long.MAX_VALUE - Duration.ofSeconds(150).toNanos(), Long.MIN_VALUE, -1L}) {
            ManualTicker ticker = new ManualTicker(start);
            RollingWindow window = new RollingWindow(Duration.ofMinutes(10), MINUTE, ticker);
            recordMinutes(window, ticker, 10); // wraps past Long.MAX_VALUE in the third minute for the first start
            assertEquals(new EventCounts(10, 55), window.sum(), "start " + start);
            assertEquals(new EventCounts(3, 27), window.sum(Duration.ofMinutes(3)), "start " + start);
            ticker.advance(Duration.ofMinutes(4));
            assertEquals(new EventCounts(6, 45), window.sum(), "start " + start); // minutes 4..9
        }
    }

    @Test
    void aLateReadingCountsInItsOwnBucketOrInTheNewerRoundButIsNeverDropped() {
        ManualTicker ticker = new ManualTicker();
        RollingWindow window = new RollingWindow(Duration.ofMinutes(3), MINUTE, ticker);
        long minuteZero = ticker.read();
        ticker.advance(MINUTE);
        window.record(minuteZero, true); // read in minute 0, recorded in minute 1: counts in minute 0
        assertEquals(new EventCounts(0, 0), window.sum(MINUTE));
        assertEquals(new EventCounts(1, 1), window.sum());

        ticker.advance(Duration.ofMinutes(2)); // minute 3: minute 0's slot starts its next round
        window.record(true);
        window.record(minuteZero, false); // a reading of the older round: added to the newer one
        assertEquals(new EventCounts(1, 2), window.sum(MINUTE));
    }

    @Test
    void aReadingLaggingAWholeWindowIsAddedToTheLiveBucketNotResetIt() {
        ManualTicker ticker = new ManualTicker();
        RollingWindow window = new RollingWindow(Duration.ofMinutes(3), MINUTE, ticker);
        long minuteZero = ticker.read();
        ticker.advance(Duration.ofMinutes(6)); // minute 6: the slot of minute 0, two rounds later
        window.record(true);
        window.record(true);
        window.record(minuteZero, false); // a thread that read the ticker six minutes ago
        assertEquals(new EventCounts(2, 3), window.sum(MINUTE));
    }

    @Test
    void aReadingBeforeConstructionCounts() {
        ManualTicker ticker = new ManualTicker(1_000);
        long before = ticker.read() - 1;
        RollingWindow window = new RollingWindow(Duration.ofMinutes(3), MINUTE, ticker);
        window.record(before, true); // the bucket just before the origin
        assertEquals(new EventCounts(0, 0), window.sum(MINUTE));
        assertEquals(new EventCounts(1, 1), window.sum(Duration.ofMinutes(2)));
    }

    @Test
    void aFullBucketCountsTheRestApartAndNeverCarriesIntoItsStamp() {
        ManualTicker ticker = new ManualTicker();
        RollingWindow window = new RollingWindow(Duration.ofMinutes(3), MINUTE, ticker);
        for (long i = 0; i < RollingWindow.MAX_COUNT + 3; i++) {
            window.record(true);
        }
        assertEquals(new EventCounts(RollingWindow.MAX_COUNT, RollingWindow.MAX_COUNT), window.sum());
        assertEquals(3, window.saturated());
        ticker.advance(MINUTE);
        window.record(false);
        assertEquals(new EventCounts(RollingWindow.MAX_COUNT, RollingWindow.MAX_COUNT + 1), window.sum());
        ticker.advance(Duration.ofMinutes(2)); // the full bucket's next round starts from nothing
        window.record(true);
        assertEquals(new EventCounts(1, 2), window.sum());
    }

    /** Records minute m's m + 1 events (the first good) for m in [0, minutes), ending in the last minute. */
    private static void recordMinutes(RollingWindow window, ManualTicker ticker, int minutes) {
        for (int m = 0; m < minutes; m++) {
            if (m > 0) {
                ticker.advance(MINUTE);
            }
            for (int e = 0; e <= m; e++) {
                window.record(e == 0);
            }
        }
    }

    @Test
    void cumulativeCountsKeepEveryEventAfterItLeavesTheWindow() {
        ManualTicker ticker = new ManualTicker(-5);
        RollingWindow window = new RollingWindow(Duration.ofMinutes(3), MINUTE, ticker);
        assertEquals(new EventCounts(0, 0), window.cumulative());
        for (int minute = 0; minute < 10; minute++) {
            window.record(true);
            window.record(minute % 2 == 0);
            ticker.advance(MINUTE);
        }
        assertEquals(new EventCounts(3, 4), window.sum()); // minutes 8 and 9 (and the empty current one)
        assertEquals(new EventCounts(15, 20), window.cumulative());
        ticker.advance(Duration.ofDays(400)); // idle far past many rounds: the stale buckets still hold their counts
        window.record(false);
        assertEquals(new EventCounts(15, 21), window.cumulative());
        assertEquals(new EventCounts(0, 1), window.sum());
    }
}
