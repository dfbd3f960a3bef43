package dev.nines.shedding;

import static dev.nines.Priority.P0;
import static dev.nines.Priority.P3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.Scheduler;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.shedding.limit.ConcurrencyLimit;
import dev.nines.testing.ManualScheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/** A tier ends within its hold plus one clock tick, whether or not traffic comes; the gauge never reports a stale tier. */
class TierTimingTest {

    private static final Duration HOLD = Duration.ofSeconds(1);
    private static final Duration TICK = Duration.ofNanos(1);

    private final ManualTicker ticker = new ManualTicker(-7_000_000_000L);
    private final ManualScheduler scheduler = new ManualScheduler(ticker);
    private final InMemoryMetrics metrics = new InMemoryMetrics(ticker, 100);
    private final List<String> heard = new CopyOnWriteArrayList<>();

    private LoadShedderBuilder builder() {
        return LoadShedder.builder("tiers").limit(ConcurrencyLimit.fixed(1)).ticker(ticker).metrics(metrics).tierHold(HOLD)
                .onTierChange((s, from, to) -> heard.add(from + "->" + to));
    }

    @Test
    void theTierGaugeRefreshesTheTierSoItIsNeverStaleAfterTrafficStops() {
        LoadShedder shedder = builder().build(); // no timer: a manual ticker has none by default
        Permit held = shedder.tryAcquire(P0);
        assertFalse(shedder.tryAcquire(P3).isAdmitted());
        assertEquals(Tier.REDUCED.ordinal(), metrics.gauge("tiers", LoadShedder.GAUGE_TIER).getAsLong());
        ticker.advance(HOLD);
        assertEquals(Tier.FULL.ordinal(), metrics.gauge("tiers", LoadShedder.GAUGE_TIER).getAsLong(),
                "a scrape after the hold sees FULL, as tier() does");
        assertEquals(List.of("FULL->REDUCED", "REDUCED->FULL"), heard, "and listeners hear the return to FULL");
        held.success();
    }

    @Test
    void aTierEndsOnItsTimerWithinItsHoldWithoutAnyTraffic() {
        LoadShedder shedder = builder().scheduler(scheduler).build();
        Permit held = shedder.tryAcquire(P0);
        assertFalse(shedder.tryAcquire(P3).isAdmitted());
        assertEquals(List.of("FULL->REDUCED"), heard);
        scheduler.advance(HOLD.minus(TICK));
        assertEquals(List.of("FULL->REDUCED"), heard, "held for its whole hold");
        scheduler.advance(TICK);
        assertEquals(List.of("FULL->REDUCED", "REDUCED->FULL"), heard, "no call, no read: the timer ended it");
        assertEquals(Tier.FULL.ordinal(), metrics.gauge("tiers", LoadShedder.GAUGE_TIER).getAsLong());
        assertEquals(0, scheduler.pending(), "nothing left scheduled once FULL");
        held.success();
    }

    @Test
    void aTierRenewedByLaterRejectionsEndsWithinTheHoldOfTheLastOne() {
        LoadShedder shedder = builder().scheduler(scheduler).build();
        Permit held = shedder.tryAcquire(P0);
        assertFalse(shedder.tryAcquire(P3).isAdmitted()); // t0: REDUCED
        scheduler.advance(Duration.ofMillis(600));
        shedder.tier(); // a read dates nothing new; the tier holds
        assertFalse(shedder.tryAcquire(P3).isAdmitted()); // t0 + 600 ms, dated by the next read
        shedder.tier();
        scheduler.advance(Duration.ofMillis(400)); // t0 + 1 s: the first timer finds the later rejection
        assertEquals(List.of("FULL->REDUCED"), heard);
        scheduler.advance(Duration.ofMillis(600).minus(TICK));
        assertEquals(List.of("FULL->REDUCED"), heard);
        scheduler.advance(TICK);
        assertEquals(List.of("FULL->REDUCED", "REDUCED->FULL"), heard, "the timer re-armed for the later rejection");
        held.success();
    }

    @Test
    void anUndatedRejectionEndsAtMostOneHoldLateWithoutTraffic() {
        LoadShedder shedder = builder().scheduler(scheduler).build();
        Permit held = shedder.tryAcquire(P0);
        assertFalse(shedder.tryAcquire(P3).isAdmitted()); // t0: REDUCED
        scheduler.advance(Duration.ofMillis(600));
        assertFalse(shedder.tryAcquire(P3).isAdmitted()); // reads no clock: dated by the timer at t0 + 1 s
        scheduler.advance(Duration.ofMillis(400));
        scheduler.advance(HOLD.minus(TICK));
        assertEquals(List.of("FULL->REDUCED"), heard);
        scheduler.advance(TICK);
        assertEquals(List.of("FULL->REDUCED", "REDUCED->FULL"), heard);
        held.success();
    }

    @Test
    void aForcedTierIsNotEndedByTheTimer() {
        LoadShedder shedder = builder().scheduler(scheduler).build();
        shedder.forceTier(Tier.ESSENTIAL);
        scheduler.advance(HOLD.multipliedBy(3));
        assertEquals(Tier.ESSENTIAL, shedder.tier());
        assertEquals(List.of("FULL->ESSENTIAL"), heard);
        shedder.clearForcedTier();
        assertEquals(List.of("FULL->ESSENTIAL", "ESSENTIAL->FULL"), heard);
    }

    @Test
    void aTimerThatRefusesTheTaskLeavesTheTierToReadsAndTheGauge() {
        Scheduler refusing = (task, delay) -> {
            throw new RejectedExecutionException("shut down");
        };
        LoadShedder shedder = builder().scheduler(refusing).build();
        Permit held = shedder.tryAcquire(P0);
        assertFalse(shedder.tryAcquire(P3).isAdmitted(), "a refusing timer never breaks a call");
        ticker.advance(HOLD);
        assertEquals(Tier.FULL, shedder.tier());
        assertEquals(List.of("FULL->REDUCED", "REDUCED->FULL"), heard);
        assertTrue(held.success());
    }

    @Test
    void theDefaultTimerIsTheSharedSchedulerOnlyWithTheSystemTicker() {
        assertTrue(LoadShedder.builder("a").build().config().scheduler().isPresent());
        assertFalse(LoadShedder.builder("b").ticker(ticker).build().config().scheduler().isPresent());
        assertEquals(scheduler, LoadShedder.builder("c").ticker(ticker).scheduler(scheduler).build().config()
                .scheduler().orElseThrow());
        LoadShedderConfig derived = LoadShedder.builder("d").build().toBuilder().ticker(ticker).build().config();
        assertFalse(derived.scheduler().isPresent(), "the default was not copied as if the user had set it");
        LoadShedder set = LoadShedder.builder("e").ticker(ticker).scheduler(scheduler).build();
        assertEquals(scheduler, set.toBuilder().build().config().scheduler().orElseThrow(), "a set timer is kept");
    }
}
