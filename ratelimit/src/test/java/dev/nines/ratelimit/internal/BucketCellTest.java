package dev.nines.ratelimit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ratelimit.Rate;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The bucket cell's operations driven one by one, in the interleavings that racing threads can
 * produce, at explicit readings (nanoseconds, converted with {@link Gcra#units}).
 */
class BucketCellTest {

    private static final long SECOND = 1_000_000_000L;
    private static final LimitSpec TEN_PER_SECOND = new LimitSpec(Rate.of(10, Duration.ofSeconds(1)));

    private static long takeAll(BucketCell cell, long nowU) {
        long n = 0;
        while (BucketCell.reserve(cell, 1, nowU, 0) == 0) {
            n++;
        }
        return n;
    }

    /**
     * Issue 12, item 15: caller A takes one permit at t0 and is paused before its second limit;
     * caller B, reading t0 + 0.5 s, finds the bucket full (the refill since t0 was discarded by the
     * cap) and takes all 10; A's second limit refuses and A gives its permit back. Crediting it at
     * A's old reading counted the refill twice: an eleventh permit at t0 + 0.5 s.
     */
    @Test
    void aGiveBackAfterANewerTakeFoundTheBucketFullCreditsNothingTheCapDiscarded() {
        long t0 = Long.MAX_VALUE - SECOND / 4; // the readings wrap in between
        BucketCell cell = BucketCell.full(TEN_PER_SECOND, Gcra.units(t0));
        long a = BucketCell.take(cell, 1, Gcra.units(t0), 0);
        assertTrue(a != BucketCell.REFUSED);
        long t1 = t0 + SECOND / 2;
        assertEquals(0, BucketCell.reserve(cell, 10, Gcra.units(t1), 0), "B takes a full bucket");
        BucketCell.giveBack(cell, 1, Gcra.units(t0) + a, Gcra.units(t1));
        assertEquals(0, takeAll(cell, Gcra.units(t1)), "nothing beyond the burst of 10 at t0 + 0.5 s");
        assertEquals(1, takeAll(cell, Gcra.units(t1 + SECOND / 10)), "then the rate, unchanged");
    }

    /** Only the part of a take the refill has not yet made up for comes back: 0.1 s of the 0.3 s taken. */
    @Test
    void aGiveBackCreditsOnlyWhatTheBucketStillWithholds() {
        long t0 = -SECOND;
        BucketCell cell = BucketCell.full(TEN_PER_SECOND, Gcra.units(t0));
        long a = BucketCell.take(cell, 3, Gcra.units(t0), 0); // 3 permits: 0.3 s of refill
        long t1 = t0 + SECOND / 5; // 0.2 s later the bucket would be full again but for 0.1 s of it
        BucketCell.giveBack(cell, 3, Gcra.units(t0) + a, Gcra.units(t1));
        assertEquals(10, takeAll(cell, Gcra.units(t1)), "full: the refill since t0 had already covered 2");
    }

    @Test
    void aGiveBackWithNothingInBetweenUndoesTheTakeExactly() {
        long t0 = 7;
        BucketCell cell = BucketCell.full(TEN_PER_SECOND, Gcra.units(t0));
        assertEquals(6, takeAllBut(cell, 4, Gcra.units(t0)));
        long a = BucketCell.take(cell, 3, Gcra.units(t0), 0);
        BucketCell.giveBack(cell, 3, Gcra.units(t0) + a, Gcra.units(t0 + 1));
        assertEquals(4, takeAll(cell, Gcra.units(t0 + 1)));
    }

    private static long takeAllBut(BucketCell cell, long left, long nowU) {
        long n = 0;
        while (BucketCell.available(cell, nowU) > left && BucketCell.reserve(cell, 1, nowU, 0) == 0) {
            n++;
        }
        return n;
    }

    /**
     * A give-back after a lost race that would land ahead of a waiter asleep behind the take lapses:
     * A takes 2 of 3 at t; W reserves 3 (until t + 2 s); A's other limit refuses. Given back, A's 2
     * permits would let W3, arriving later for 1, wake at t + 1 s, before W.
     */
    @Test
    void aGiveBackNeverPutsPermitsAheadOfAWaiterAsleepBehindTheTake() {
        LimitSpec onePerSecondBurst3 = new LimitSpec(Rate.of(1, Duration.ofSeconds(1), 3));
        long t = Gcra.units(-SECOND / 2);
        BucketCell cell = BucketCell.full(onePerSecondBurst3, t);
        long a = BucketCell.take(cell, 2, t, 0);
        assertEquals(Gcra.units(2 * SECOND), BucketCell.reserve(cell, 3, t, Gcra.MAX_SPAN), "W waits 2 s");
        BucketCell.giveBack(cell, 2, t + a, t);
        assertEquals(Gcra.units(3 * SECOND), BucketCell.reserve(cell, 1, t, Gcra.MAX_SPAN), "W3 wakes after W");
        assertTrue(BucketCell.reserve(cell, 1, t + Gcra.units(2 * SECOND), 0) < 0, "no tryAcquire before W3");
    }

    /** Issue 12, item 16: a request valid when it began is refused, not failed, by a racing lower burst. */
    @Test
    void aTakeRacingWithAReconfigurationThatLowersTheBurstRefusesInsteadOfThrowing() {
        long now = Gcra.units(0);
        BucketCell cell = BucketCell.full(TEN_PER_SECOND, now);
        cell.seal(new LimitSpec(Rate.of(5, Duration.ofSeconds(1))), now); // the caller still holds the old cell
        assertTrue(BucketCell.reserve(cell, 8, now, 0) < 0, "refused");
        assertTrue(BucketCell.take(cell, 8, now, Gcra.MAX_SPAN) == BucketCell.REFUSED, "refused, even if it may wait");
        assertTrue(BucketCell.shortfall(cell, 8, now) > 0, "never available");
        assertEquals(5, takeAll(cell, now), "the new bucket was left alone");
    }

    /** Issue 12, item 16: no reading is special; a bucket created where its state would be the seal marker is full. */
    @Test
    void aNewBucketIsFullEvenWhereItsStateWouldEqualTheSealMarker() {
        LimitSpec onePerSecond = new LimitSpec(Rate.of(1, Duration.ofSeconds(1), 10));
        long nowU = Gcra.SEALED + onePerSecond.capSpan(); // a whole number of nanoseconds: 16e9 units per permit
        assertEquals(0, nowU & 15);
        BucketCell cell = BucketCell.full(onePerSecond, nowU);
        assertEquals(10, BucketCell.available(cell, nowU));
        assertEquals(10, takeAll(cell, nowU));
        BucketCell sealedSuccessor = BucketCell.full(onePerSecond, 0).seal(onePerSecond, nowU); // full, converted
        assertEquals(10, takeAll(sealedSuccessor, nowU));
    }

    /** Issue 12, item 16: a reconfiguration's conversion, redone on every lost CAS, allocates nothing. */
    @Test
    void convertingAvailablePermitsForAReconfigurationAllocatesNothing() {
        com.sun.management.ThreadMXBean bytes = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Gcra.Conversion conversion = new Gcra.Conversion(16_000_000L, 1_600_000L, 1_600_000_000L);
        long sum = 0;
        for (int i = 0; i < 10_000; i++) { // warm up
            sum += conversion.apply(i * 1_000_003L - 5_000_000_000L);
        }
        long before = bytes.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            sum += conversion.apply(i * 1_000_003L - 5_000_000_000L);
        }
        long allocated = bytes.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 10_000, allocated + " bytes allocated by 100,000 conversions (" + sum + ")");
    }

    @Test
    void theConversionIsExactFlooredAndClampedAlsoBeyondALong() {
        assertEquals(-1, Gcra.convertAvailable(-1, 3, 2, 100)); // -2/3 floored
        assertEquals(33, Gcra.convertAvailable(50, 3, 2, 100));
        assertEquals(100, Gcra.convertAvailable(1_000, 1, 1, 100));
        assertEquals(-Gcra.MAX_SPAN, Gcra.convertAvailable(-Gcra.MAX_SPAN, 1, 3, 100));
        long big = 1L << 60;
        assertEquals(big / 3 * 2 + (big % 3 * 2) / 3, Gcra.convertAvailable(big, 3L << 40, 2L << 40, Gcra.MAX_SPAN));
        assertEquals(Gcra.MAX_SPAN, Gcra.convertAvailable(big, 1L << 20, 1L << 40, Gcra.MAX_SPAN));
        assertEquals(-Gcra.MAX_SPAN, Gcra.convertAvailable(-big, 1L << 20, 1L << 40, Gcra.MAX_SPAN));
        java.math.BigInteger[] qr = java.math.BigInteger.valueOf(-(big + 1)).multiply(java.math.BigInteger.valueOf(3))
                .divideAndRemainder(java.math.BigInteger.valueOf(7));
        long floor = qr[0].longValueExact() - (qr[1].signum() < 0 ? 1 : 0);
        assertEquals(floor, Gcra.convertAvailable(-(big + 1), 7L << 30, 3L << 30, 100)); // overflowing, negative
    }
}
