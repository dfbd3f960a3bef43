package dev.nines.shedding;

import static dev.nines.Priority.P1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.CallContext;
import dev.nines.ManualTicker;
import dev.nines.Pipeline;
import dev.nines.RejectedCallException;
import dev.nines.bulkhead.BulkheadFullException;
import dev.nines.circuitbreaker.CircuitBreakerOpenException;
import dev.nines.circuitbreaker.CircuitState;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.Outcome;
import dev.nines.shedding.limit.ConcurrencyLimit;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * What a call that ended with an exception means to the shedder is said by its configured
 * {@link OutcomeClassifier}, never guessed from the exception type: a rejection raised inside an
 * admitted call (a downstream breaker, rate limit or bulkhead) is by default no overload signal.
 */
class OutcomeClassificationTest {

    private static final int INITIAL = 50;

    private final ManualTicker ticker = new ManualTicker();
    private final InMemoryMetrics metrics = new InMemoryMetrics(ticker, 100);

    /** A downstream client's own rate-limit rejection (the ratelimit module's type is not on this path). */
    private static final class DownstreamRateLimited extends RejectedCallException {
        private static final long serialVersionUID = 1L;

        DownstreamRateLimited() {
            super("downstream", "rate limited", 1_000_000L);
        }
    }

    private LoadShedderConfig.Builder adaptive() {
        return LoadShedder.builder("inbound").ticker(ticker).metrics(metrics).sampleEvery(1)
                .limit(ConcurrencyLimit.gradient().initialLimit(INITIAL).window(Duration.ofMillis(10)).minWindowSamples(1)
                        .build());
    }

    private static RejectedCallException downstream(int i) {
        switch (i % 3) {
            case 0:
                return new CircuitBreakerOpenException("payments", CircuitState.OPEN, 1_000_000L);
            case 1:
                return new DownstreamRateLimited();
            default:
                return new BulkheadFullException("db", "full");
        }
    }

    @Test
    void aHandlerMeetingOpenDownstreamBreakersAndRateLimitsLeavesTheAdaptiveLimitWhereItWas() {
        LoadShedder shedder = adaptive().build();
        Pipeline pipeline = Pipeline.of(shedder);
        CallContext context = CallContext.empty().withPriority(P1);
        for (int i = 0; i < 30_000; i++) {
            RejectedCallException downstream = downstream(i);
            ticker.advance(Duration.ofMillis(1));
            RejectedCallException thrown = assertThrows(RejectedCallException.class,
                    () -> pipeline.call(context, ctx -> {
                        ticker.advance(Duration.ofMillis(2));
                        throw downstream;
                    }));
            assertSame(downstream, thrown, "the handler's own rejection passes through unchanged");
        }
        assertEquals(INITIAL, shedder.limit(), "a downstream rejection is no overload signal of this service");
        assertEquals(0, shedder.inFlight());
        assertEquals(30_000, metrics.count("inbound", Outcome.IGNORED), "labelled as what it was: ignored");
        assertEquals(0, metrics.count("inbound", Outcome.TIMED_OUT), "nothing timed out");
    }

    @Test
    void anAsyncHandlerMeetingADownstreamRejectionLeavesTheAdaptiveLimitWhereItWas() {
        LoadShedder shedder = adaptive().build();
        CallContext context = CallContext.empty().withPriority(P1);
        for (int i = 0; i < 10_000; i++) {
            RejectedCallException downstream = downstream(i);
            ticker.advance(Duration.ofMillis(3));
            CompletableFuture<Object> stage = Pipeline.of(shedder)
                    .callAsync(context, ctx -> CompletableFuture.failedFuture(downstream)).toCompletableFuture();
            assertTrue(stage.isCompletedExceptionally());
            assertSame(downstream, stage.handle((r, e) -> e).join());
        }
        assertEquals(INITIAL, shedder.limit());
        assertEquals(10_000, metrics.count("inbound", Outcome.IGNORED));
        assertEquals(0, metrics.count("inbound", Outcome.TIMED_OUT));
    }

    @Test
    void aConfiguredClassifierDecidesThatADownstreamRejectionIsADrop() {
        LoadShedder shedder = adaptive()
                .outcomeClassifier(t -> t instanceof CircuitBreakerOpenException ? Outcome.TIMED_OUT
                        : OutcomeClassifier.standard().classify(t))
                .build();
        Pipeline pipeline = Pipeline.of(shedder);
        for (int i = 0; i < 100; i++) {
            ticker.advance(Duration.ofMillis(11));
            assertThrows(CircuitBreakerOpenException.class, () -> pipeline.call(CallContext.empty(), ctx -> {
                throw new CircuitBreakerOpenException("payments", CircuitState.OPEN, 1L);
            }));
        }
        assertTrue(shedder.limit() < INITIAL, "told these are drops, the limit backs off: " + shedder.limit());
        assertEquals(100, metrics.count("inbound", Outcome.TIMED_OUT));
    }

    @Test
    void theStandardClassifierIgnoresRejectionsAndInterruptionsAndCallsEverythingElseAFailure() {
        OutcomeClassifier standard = OutcomeClassifier.standard();
        assertEquals(Outcome.IGNORED, standard.classify(new BulkheadFullException("db", "full")));
        assertEquals(Outcome.IGNORED, standard.classify(new InterruptedException()));
        assertEquals(Outcome.FAILURE, standard.classify(new IllegalStateException()));
        assertEquals(Outcome.FAILURE, standard.classify(new OutOfMemoryError()));
    }

    @Test
    void aThrowingClassifierNeitherBreaksTheCallNorLeaksItsSlot() {
        LoadShedder shedder = LoadShedder.builder("inbound").ticker(ticker).metrics(metrics).limit(ConcurrencyLimit.fixed(1))
                .outcomeClassifier(t -> {
                    throw new IllegalStateException("classifier bug");
                })
                .build();
        IllegalArgumentException original = new IllegalArgumentException("the call's own");
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> Pipeline.of(shedder).call(CallContext.empty(), ctx -> {
                    throw original;
                }));
        assertSame(original, thrown);
        assertEquals(0, shedder.inFlight(), "the slot was released");
        assertEquals(1, metrics.count("inbound", Outcome.IGNORED), "an outcome nobody could classify teaches nothing");
    }

    @Test
    void aClassifierReturningNullIsTakenAsIgnored() {
        LoadShedder shedder = LoadShedder.builder("inbound").ticker(ticker).metrics(metrics).limit(ConcurrencyLimit.fixed(1))
                .outcomeClassifier(t -> null).build();
        assertThrows(IllegalStateException.class, () -> Pipeline.of(shedder).call(CallContext.empty(), ctx -> {
            throw new IllegalStateException();
        }));
        assertEquals(0, shedder.inFlight());
        assertEquals(1, metrics.count("inbound", Outcome.IGNORED));
    }
}
