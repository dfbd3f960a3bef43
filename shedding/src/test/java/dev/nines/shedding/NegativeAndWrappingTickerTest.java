package dev.nines.shedding;

import static dev.nines.Priority.P0;
import static dev.nines.Priority.P1;
import static dev.nines.Priority.P3;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.CallContext;
import dev.nines.ManualTicker;
import dev.nines.Priority;
import dev.nines.shedding.limit.ConcurrencyLimit;
import dev.nines.shedding.throttle.AdaptiveThrottle;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Ticker contract allows readings that are negative and that wrap past {@code Long.MAX_VALUE}:
 * the shedder, its queue, its tiers and the adaptive throttle compare readings only as differences.
 */
class NegativeAndWrappingTickerTest {

    private static final long SECOND = 1_000_000_000L;

    private static LoadShedder queued(ManualTicker ticker) {
        return LoadShedder.builder("q").limit(ConcurrencyLimit.fixed(1)).ticker(ticker).queue(3, Duration.ofSeconds(10)).build();
    }

    /** Waits for admission on another thread: as a permit, or (with a context) as a policy running the call. */
    private static CompletableFuture<Object> waitFor(LoadShedder shedder, Priority p, CallContext context) {
        CompletableFuture<Object> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(context == null ? shedder.acquire(p) : shedder.call(context.withPriority(p), ctx -> "ran"));
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        t.setDaemon(true);
        t.start();
        return f;
    }

    @Test
    void aWaiterWithoutADeadlineKeepsWaitingWhileReadingsAreNegative() throws Exception {
        ManualTicker ticker = new ManualTicker(-3_600 * SECOND);
        LoadShedder shedder = queued(ticker);
        Permit held = shedder.acquire(P0);
        CompletableFuture<Object> waiter = waitFor(shedder, P1, null);
        await().atMost(5, TimeUnit.SECONDS).until(() -> shedder.queued() == 1 || waiter.isDone());
        assertFalse(waiter.isDone(), () -> "shed at once: " + waiter.handle((p, e) -> e).join());
        ticker.advance(Duration.ofSeconds(1));
        held.success();
        Permit granted = (Permit) waiter.get(5, TimeUnit.SECONDS);
        assertTrue(granted.isAdmitted());
        granted.success();
        assertEquals(0, shedder.inFlight());
    }

    @Test
    void aWaiterWithADeadlineBudgetIsServedAcrossTheWrapPastLongMaxValue() throws Exception {
        ManualTicker ticker = new ManualTicker(Long.MAX_VALUE - SECOND / 2);
        LoadShedder shedder = queued(ticker);
        Permit held = shedder.acquire(P0);
        // the deadline on a clock of its own: its budget then waits across the shedder's wrap
        CompletableFuture<Object> waiter = waitFor(shedder, P1,
                CallContext.empty().withDeadline(Duration.ofSeconds(5), new ManualTicker()));
        await().atMost(5, TimeUnit.SECONDS).until(() -> shedder.queued() == 1 || waiter.isDone());
        assertFalse(waiter.isDone(), () -> "shed at once: " + waiter.handle((p, e) -> e).join());
        ticker.advance(Duration.ofSeconds(1)); // now past the wrap, 4 s before the deadline
        held.success();
        assertEquals("ran", waiter.get(5, TimeUnit.SECONDS));
        assertEquals(0, shedder.inFlight());
    }

    @Test
    void aRejectionAtTheReadingLongMinValueStillMovesTheTier() {
        ManualTicker ticker = new ManualTicker(Long.MIN_VALUE);
        LoadShedder shedder = LoadShedder.builder("t").limit(ConcurrencyLimit.fixed(1)).ticker(ticker)
                .tierHold(Duration.ofSeconds(1)).build();
        Permit held = shedder.tryAcquire(P3);
        assertTrue(held.isAdmitted());
        assertFalse(shedder.tryAcquire(P3).isAdmitted());
        assertEquals(Tier.REDUCED, shedder.tier(), "Long.MIN_VALUE is a reading like any other");
        ticker.advance(Duration.ofSeconds(1));
        assertEquals(Tier.FULL, shedder.tier());
        held.success();
    }

    @Test
    void tiersAgeOutAcrossTheWrap() {
        ManualTicker ticker = new ManualTicker(Long.MAX_VALUE - SECOND / 2);
        LoadShedder shedder = LoadShedder.builder("t").limit(ConcurrencyLimit.fixed(1)).ticker(ticker)
                .tierHold(Duration.ofSeconds(1)).build();
        Permit held = shedder.tryAcquire(P3);
        assertFalse(shedder.tryAcquire(P3).isAdmitted());
        ticker.advance(Duration.ofMillis(900)); // wrapped
        assertEquals(Tier.REDUCED, shedder.tier());
        ticker.advance(Duration.ofMillis(100));
        assertEquals(Tier.FULL, shedder.tier());
        held.success();
    }

    @Test
    void theThrottleWindowAgesOutAcrossTheWrap() {
        ManualTicker ticker = new ManualTicker(Long.MAX_VALUE - 5 * SECOND);
        AdaptiveThrottle throttle = AdaptiveThrottle.builder("b").ticker(ticker).random(() -> 1.0)
                .window(Duration.ofSeconds(10), 10).build();
        for (int i = 0; i < 100; i++) {
            assertTrue(throttle.tryAcquire()); // the backend rejects them all: no accepts
        }
        assertTrue(throttle.rejectProbability() > 0.9);
        ticker.advance(Duration.ofSeconds(10)); // wrapped, and the whole window has passed
        assertEquals(0.0, throttle.rejectProbability(), "the rejections aged out");
        for (int i = 0; i < 10; i++) {
            assertTrue(throttle.tryAcquire());
            throttle.onAccepted();
        }
        assertEquals(0.0, throttle.rejectProbability());
    }

    @Test
    void theThrottleWindowAgesOutAtNegativeReadings() {
        ManualTicker ticker = new ManualTicker(-25 * SECOND - 1);
        AdaptiveThrottle throttle = AdaptiveThrottle.builder("b").ticker(ticker).random(() -> 1.0)
                .window(Duration.ofSeconds(10), 10).build();
        for (int i = 0; i < 100; i++) {
            assertTrue(throttle.tryAcquire());
        }
        ticker.advance(Duration.ofSeconds(9));
        assertTrue(throttle.rejectProbability() > 0.9, "still in the window");
        ticker.advance(Duration.ofSeconds(1));
        assertEquals(0.0, throttle.rejectProbability());
    }
}
