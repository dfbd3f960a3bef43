package dev.nines.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void smallValuesAreExact() {
        LatencyHistogram h = new LatencyHistogram();
        for (int v = 1; v <= 10; v++) {
            h.record(v);
        }
        LatencySummary s = h.snapshot();
        assertEquals(10, s.count());
        assertEquals(5, s.p50());
        assertEquals(9, s.p90());
        assertEquals(10, s.max());
    }

    @Test
    void bucketsTileTheRangeWithoutGapsOrOverlap() {
        for (int i = 0; i < 959; i++) {
            long low = LatencyHistogram.lowerBound(i);
            long nextLow = LatencyHistogram.lowerBound(i + 1);
            assertTrue(nextLow > low, "bucket " + i);
            assertEquals(i, LatencyHistogram.indexOf(low), "low edge of bucket " + i);
            assertEquals(i, LatencyHistogram.indexOf(nextLow - 1), "high edge of bucket " + i);
        }
        assertEquals(959, LatencyHistogram.indexOf(Long.MAX_VALUE));
    }

    @Test
    void percentilesAreWithinSixPercentOfTheTruth() {
        LatencyHistogram h = new LatencyHistogram();
        SplittableRandom random = new SplittableRandom(7);
        long[] values = new long[100_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (long) Math.exp(random.nextDouble(Math.log(1_000), Math.log(1_000_000_000)));
            h.record(values[i]);
        }
        Arrays.sort(values);
        LatencySummary s = h.snapshot();
        assertClose(values[(int) Math.ceil(0.50 * values.length) - 1], s.p50());
        assertClose(values[(int) Math.ceil(0.90 * values.length) - 1], s.p90());
        assertClose(values[(int) Math.ceil(0.99 * values.length) - 1], s.p99());
        assertClose(values[(int) Math.ceil(0.999 * values.length) - 1], s.p999());
        assertEquals(values[values.length - 1], s.max());
    }

    @Test
    void negativeDurationsCountAsZeroAndEmptyIsAllZero() {
        LatencyHistogram h = new LatencyHistogram();
        assertEquals(new LatencySummary(0, 0, 0, 0, 0, 0, 0), h.snapshot());
        h.record(-5);
        assertEquals(0, h.snapshot().max());
        assertEquals(1, h.snapshot().count());
    }

    private static void assertClose(long expected, long actual) {
        double error = Math.abs(actual - expected) / (double) expected;
        assertTrue(error <= 1.0 / 16, "expected ~" + expected + " but was " + actual + " (error " + error + ")");
    }
}
