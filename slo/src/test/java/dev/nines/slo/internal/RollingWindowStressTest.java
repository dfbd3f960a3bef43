package dev.nines.slo.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.slo.EventCounts;
import dev.nines.testing.Race;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Many threads record while time moves across bucket boundaries and every bucket rolls over to its
 * next round: no event is lost, none counted twice, and good never exceeds total.
 */
class RollingWindowStressTest {

    private static final int BUCKETS = 8_192;
    private static final int THREADS = 4;
    private static final int EVENTS_PER_THREAD = 100_000;
    private static final int ADVANCE_EVERY = 20; // thread 0 moves time 5,000 buckets on: fewer than 8,192

    @Test
    void countsAreNeverLostAcrossRollover() throws InterruptedException {
        // starts just below the wrap of the ticker, so the readings also wrap past Long.MAX_VALUE
        ManualTicker ticker = new ManualTicker(Long.MAX_VALUE - 20);
        RollingWindow window = new RollingWindow(Duration.ofNanos(BUCKETS), Duration.ofNanos(1), ticker);
        // round 0: one bad event in every bucket, all of which the racing events must replace
        long start = ticker.read();
        for (int b = 0; b < BUCKETS; b++) {
            window.record(start + b, false);
        }
        ticker.advance(BUCKETS - 1);
        assertEquals(new EventCounts(0, BUCKETS), window.sum());
        ticker.advance(1); // round 1 begins: the racing events land in buckets that hold round 0
        AtomicLong good = new AtomicLong();
        Race.run(THREADS, thread -> {
            long mine = 0;
            EventCounts seen = new EventCounts(0, 0);
            for (int e = 0; e < EVENTS_PER_THREAD; e++) {
                boolean isGood = (e + thread) % 3 == 0;
                window.record(isGood);
                if (isGood) {
                    mine++;
                }
                if (thread == 1 && e % 1_000 == 0) {
                    EventCounts during = window.sum(); // read while the others record and roll buckets over
                    assertTrue(during.good() <= during.total(), during::toString);
                }
                if (thread == 2 && e % 5_000 == 0) {
                    EventCounts all = window.cumulative(); // buckets retired by resets meanwhile: never counted twice
                    assertTrue(all.good() >= seen.good() && all.total() >= seen.total(), seen + " then " + all);
                    assertTrue(all.good() <= all.total(), all::toString);
                    seen = all;
                }
                if (thread == 0 && e % ADVANCE_EVERY == ADVANCE_EVERY - 1) {
                    ticker.advance(1);
                }
            }
            good.addAndGet(mine);
        });
        // every racing event fell in round 1 of the ring: at its last bucket the window holds all of it
        ticker.advance(start + 2 * BUCKETS - 1 - ticker.read());
        assertEquals(new EventCounts(good.get(), (long) THREADS * EVENTS_PER_THREAD), window.sum());
        assertEquals(0, window.saturated());
        // the counters hold every event ever recorded: round 0's and the race's, whatever was reset
        assertEquals(new EventCounts(good.get(), (long) THREADS * EVENTS_PER_THREAD + BUCKETS), window.cumulative());
    }
}
