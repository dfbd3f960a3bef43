package dev.nines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CallContextTest {

    private final ManualTicker ticker = new ManualTicker();

    @Test
    void emptyHasNoDeadlineAndIsTheFirstAttempt() {
        CallContext ctx = CallContext.empty();
        assertFalse(ctx.hasDeadline());
        assertEquals(Long.MAX_VALUE, ctx.remainingNanos());
        assertEquals(Optional.empty(), ctx.remaining());
        assertFalse(ctx.isExpired());
        assertEquals(1, ctx.attempt());
        assertEquals(Optional.empty(), ctx.priority());
        assertEquals(Priority.P2, ctx.priorityOr(Priority.P2));
        assertEquals("anon", ctx.keyOr("anon"));
        assertFalse(ctx.isCancelled());
    }

    @Test
    void deadlineCountsDownOnItsTicker() {
        CallContext ctx = CallContext.empty().withDeadline(Duration.ofMillis(100), ticker);
        assertEquals(Duration.ofMillis(100), ctx.remaining().orElseThrow());
        ticker.advance(Duration.ofMillis(60));
        assertEquals(Duration.ofMillis(40), ctx.remaining().orElseThrow());
        assertFalse(ctx.isExpired());
        ticker.advance(Duration.ofMillis(50));
        assertTrue(ctx.isExpired());
        assertEquals(Duration.ZERO, ctx.remaining().orElseThrow(), "remaining never goes negative");
        assertEquals(-10_000_000L, ctx.remainingNanos(), "remainingNanos does, so callers see how late");
    }

    @Test
    void aDeadlineThatCrossesTheTickerWrapCountsDownItsFullTimeout() {
        ManualTicker nearWrap = new ManualTicker(Long.MAX_VALUE - 1_000_000L); // 1 ms before the wrap
        CallContext ctx = CallContext.empty().withDeadline(Duration.ofMillis(100), nearWrap);
        assertEquals(100_000_000L, ctx.remainingNanos());
        nearWrap.advance(Duration.ofMillis(99)); // readings are negative now
        assertFalse(ctx.isExpired(), "1 ms is left");
        assertEquals(1_000_000L, ctx.remainingNanos());
        nearWrap.advance(Duration.ofMillis(2));
        assertTrue(ctx.isExpired());
        assertSame(ctx, ctx.withDeadline(Duration.ofMillis(5), nearWrap), "the passed deadline is still the sooner one");
    }

    @Test
    void anEnormousTimeoutStillComparesCorrectlyWithASoonerDeadline() {
        ManualTicker negative = new ManualTicker(-5_000_000_000L);
        CallContext soon = CallContext.empty().withDeadline(Duration.ofSeconds(1), negative);
        assertSame(soon, soon.withDeadline(Duration.ofDays(365L * 1000), negative), "a 1000-year timeout is later");
        CallContext forever = CallContext.empty().withDeadline(Duration.ofDays(365L * 1000), negative);
        assertFalse(forever.isExpired());
        assertTrue(forever.remainingNanos() > 0);
        assertEquals(1_000_000_000L, forever.withDeadline(Duration.ofSeconds(1), negative).remainingNanos());
    }

    @Test
    void aDeadlineOnlyEverShrinks() {
        CallContext tight = CallContext.empty().withDeadline(Duration.ofMillis(100), ticker);
        assertSame(tight, tight.withDeadline(Duration.ofSeconds(5), ticker), "a later deadline is ignored");
        CallContext tighter = tight.withDeadline(Duration.ofMillis(10), ticker);
        assertEquals(10_000_000L, tighter.remainingNanos());
    }

    @Test
    void aDeadlineOnlyEverShrinksAcrossTickers() {
        ManualTicker other = new ManualTicker(5_000_000_000L); // another clock, far from this one
        CallContext soon = CallContext.empty().withDeadline(Duration.ofMillis(40), ticker);
        ticker.advance(Duration.ofMillis(10)); // 30 ms left
        CallContext kept = soon.withDeadline(Duration.ofMillis(250), other);
        assertSame(soon, kept, "a later deadline on another ticker does not replace a sooner one");
        assertSame(ticker, kept.deadlineTicker());
        assertSame(soon, soon.withDeadline(Duration.ofMillis(30), other), "an equal one keeps the first");

        CallContext replaced = soon.withDeadline(Duration.ofMillis(20), other);
        assertSame(other, replaced.deadlineTicker(), "a sooner deadline on another ticker wins");
        assertEquals(Duration.ofMillis(20), replaced.remaining().orElseThrow());
    }

    @Test
    void hugeTimeoutsSaturateInsteadOfOverflowing() {
        ManualTicker late = new ManualTicker(Long.MAX_VALUE - 1_000);
        CallContext ctx = CallContext.empty().withDeadline(Duration.ofDays(365 * 1000L), late);
        assertTrue(ctx.remainingNanos() > 0);
        assertFalse(ctx.isExpired());
    }

    @Test
    void copiesKeepEverythingElse() {
        Cancellation cancellation = new Cancellation();
        CallContext ctx = CallContext.empty().withDeadline(Duration.ofSeconds(1), ticker).withPriority(Priority.P0)
                .withKey("k").withCancellation(cancellation).withAttempt(3);
        assertEquals(3, ctx.attempt());
        assertEquals(Priority.P0, ctx.priority().orElseThrow());
        assertEquals("k", ctx.key().orElseThrow());
        assertEquals(1_000_000_000L, ctx.remainingNanos());
        assertFalse(ctx.isCancelled());
        cancellation.cancel();
        assertTrue(ctx.isCancelled(), "copies share the cancellation flag");
        assertTrue(ctx.withAttempt(4).isCancelled());
    }

    @Test
    void attemptMustBePositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CallContext.empty().withAttempt(0));
        assertEquals("attempt must be >= 1 but was 0", e.getMessage());
    }

    @Test
    void toStringIsReadable() {
        CallContext ctx = CallContext.empty().withPriority(Priority.P3).withKey("c1");
        assertEquals("CallContext[attempt=1, priority=P3, key=c1]", ctx.toString());
    }

    @Test
    void priorityLevels() {
        assertEquals(Priority.P2, Priority.ofLevel(2));
        assertEquals(3, Priority.P3.level());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Priority.ofLevel(4));
        assertEquals("priority level must be 0..3 but was 4", e.getMessage());
    }

    @Test
    void manualTickerRefusesToGoBack() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ticker.advance(-1));
        assertEquals("deltaNanos must be >= 0 but was -1", e.getMessage());
    }
}
