package dev.nines.shedding.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.Priority;
import dev.nines.shedding.Tier;
import dev.nines.testing.Race;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Many threads shed, refresh and force tiers at once while the clock moves; each published change
 * must reach the listener exactly once. Listeners may hear concurrent changes out of order, so the
 * check is on the multiset of changes: no change is a non-step ({@code from == to}), and for every
 * tier the changes into it and out of it balance, except one more out of {@link Tier#FULL} (where
 * it started) and one more into the tier published at the end. A change reported twice or not at
 * all breaks that balance.
 */
class TierTrackerStressTest {

    private static final int THREADS = 8;
    private static final int ROUNDS = 50_000;
    private static final long HOLD = 50_000; // ns: tiers come and go many times during the run

    @Test
    void everyPublishedChangeIsReportedExactlyOnce() throws Exception {
        ManualTicker ticker = new ManualTicker();
        Queue<Tier[]> changes = new ConcurrentLinkedQueue<>();
        TierTracker tracker = new TierTracker(HOLD, ticker, null, (from, to) -> changes.add(new Tier[] {from, to}));
        Tier[] forcible = {null, null, null, Tier.FULL, Tier.REDUCED, Tier.CRITICAL_ONLY};
        Race.run(THREADS, thread -> {
            boolean operator = thread == 0; // one thread plays the operator who forces tiers
            ThreadLocalRandom r = ThreadLocalRandom.current();
            for (int i = 0; i < ROUNDS; i++) {
                long now = ticker.advance(r.nextInt(2_000));
                if (operator && r.nextInt(50) == 0) {
                    tracker.force(forcible[r.nextInt(forcible.length)], now);
                } else if (r.nextInt(8) == 0) { // sheds are rare enough that tiers also end
                    int d = r.nextInt(10); // mostly the less important priorities
                    tracker.onShed(d == 0 ? Priority.P0 : d < 3 ? Priority.P1 : d < 6 ? Priority.P2
                            : Priority.P3, now);
                } else {
                    tracker.refresh(now);
                }
            }
        });
        Tier last = tracker.current(ticker.read()); // quiet now: publish the final state

        int[] balance = new int[Tier.values().length]; // into minus out of each tier
        for (Tier[] c : changes) {
            assertTrue(c[0] != c[1], "a change to the same tier: " + c[0]);
            balance[c[0].ordinal()]--;
            balance[c[1].ordinal()]++;
        }
        int[] expected = new int[Tier.values().length];
        expected[Tier.FULL.ordinal()]--;
        expected[last.ordinal()]++;
        assertEquals(Arrays.toString(expected), Arrays.toString(balance),
                "changes form one chain from FULL to " + last + " (" + changes.size() + " changes)");
        assertTrue(changes.size() > 100, "tiers changed often: " + changes.size());
    }
}
