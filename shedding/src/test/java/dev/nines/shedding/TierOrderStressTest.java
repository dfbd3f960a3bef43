package dev.nines.shedding;

import static dev.nines.Priority.P0;
import static dev.nines.Priority.P3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.metrics.MetricsSink;
import dev.nines.shedding.limit.ConcurrencyLimit;
import dev.nines.testing.Race;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Two threads race tier changes, one forcing and clearing tiers, the other shedding and letting
 * holds run out: listeners and the sink hear every change in compare-and-set order (each one
 * starts where the previous ended), and the last one heard is the tier the shedder reports.
 */
class TierOrderStressTest {

    private static final int ROUNDS = 60_000; // per thread: more than 10^5 changes in all
    private static final long HOLD = 1_000; // ns

    /** Checks each change continues the previous one; called by one thread at a time, or it fails. */
    private static final class Chain {
        private final List<String> violations = new CopyOnWriteArrayList<>();
        private final AtomicInteger inside = new AtomicInteger();
        private String last = Tier.FULL.name();
        private int changes;

        void heard(String from, String to) {
            if (inside.getAndIncrement() != 0) {
                violations.add("overlapping deliveries");
            }
            if (!from.equals(last) && violations.size() < 5) {
                violations.add("change " + changes + " " + from + "->" + to + " after ->" + last);
            }
            last = to;
            changes++;
            inside.decrementAndGet();
        }
    }

    @Test
    void listenersAndTheSinkHearRacingTierChangesInCompareAndSetOrder() throws Exception {
        ManualTicker ticker = new ManualTicker();
        Chain listened = new Chain();
        Chain sunk = new Chain();
        MetricsSink sink = new MetricsSink() {
            @Override
            public void onTransition(String policy, String kind, String fromState, String toState) {
                sunk.heard(fromState, toState);
            }
        };
        LoadShedder shedder = LoadShedder.builder("race").limit(ConcurrencyLimit.fixed(1)).ticker(ticker).metrics(sink)
                .tierHold(java.time.Duration.ofNanos(HOLD))
                .onTierChange((s, from, to) -> listened.heard(from.name(), to.name()))
                .build();
        Permit held = shedder.tryAcquire(P0); // every P3 is shed from now on
        Race.run(2, thread -> {
            for (int i = 0; i < ROUNDS; i++) {
                if (thread == 0) {
                    shedder.forceTier(i % 2 == 0 ? Tier.CRITICAL_ONLY : Tier.ESSENTIAL);
                    shedder.clearForcedTier();
                } else {
                    ticker.advance(HOLD);
                    shedder.tier(); // the hold ran out: back to FULL unless forced
                    assertFalse(shedder.tryAcquire(P3).isAdmitted()); // shed: REDUCED or above
                }
            }
        });
        Tier now = shedder.tier();
        assertEquals(List.of(), listened.violations);
        assertEquals(List.of(), sunk.violations);
        assertTrue(listened.changes >= 100_000, "raced " + listened.changes + " changes");
        assertEquals(listened.changes, sunk.changes);
        assertEquals(now.name(), listened.last, "the last change heard is the tier reported");
        assertEquals(now.name(), sunk.last);
        held.success();
    }
}
