package dev.nines.shedding;

import static dev.nines.Priority.P1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.CallContext;
import dev.nines.FailureFilter;
import dev.nines.FailureFilter.Verdict;
import dev.nines.ManualTicker;
import dev.nines.Pipeline;
import dev.nines.RejectedCallException;
import dev.nines.bulkhead.BulkheadFullException;
import dev.nines.circuitbreaker.CircuitBreakerOpenException;
import dev.nines.circuitbreaker.CircuitState;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.Outcome;
import dev.nines.shedding.limit.ConcurrencyLimit;
import dev.nines.timeout.TimeoutExceededException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * What an admitted call's outcome means to the shedder is said by its two failure filters, never
 * guessed from the exception type: {@code drops} first (a FAILURE verdict there is a drop, an
 * overload signal), then {@code failures}. A rejection raised inside an admitted call (a downstream
 * breaker, rate limit or bulkhead) is by default no overload signal.
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

    /** A limit of 10 that records what it is told: "sample" or "drop" per call. */
    private static final class RecordingLimit implements ConcurrencyLimit {
        final List<String> heard = new ArrayList<>();

        @Override
        public int currentLimit() {
            return 10;
        }

        @Override
        public void onSample(long nowNanos, long rttNanos, int inFlight, boolean dropped) {
            heard.add(dropped ? "drop" : "sample");
        }
    }

    private LoadShedderBuilder adaptive() {
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
    void aDropsFilterDecidesThatADownstreamRejectionIsADrop() {
        LoadShedder shedder = adaptive().drops(FailureFilter.on(CircuitBreakerOpenException.class)).build();
        Pipeline pipeline = Pipeline.of(shedder);
        for (int i = 0; i < 100; i++) {
            ticker.advance(Duration.ofMillis(11));
            assertThrows(CircuitBreakerOpenException.class, () -> pipeline.call(CallContext.empty(), ctx -> {
                throw new CircuitBreakerOpenException("payments", CircuitState.OPEN, 1L);
            }));
        }
        assertTrue(shedder.limit() < INITIAL, "told these are drops, the limit backs off: " + shedder.limit());
        assertEquals(100, metrics.count("inbound", Outcome.TIMED_OUT), "recorded as Permit.dropped() records it");
    }

    @Test
    void theDefaultFiltersIgnoreRejectionsAndInterruptionsAndCallEverythingElseAFailure() {
        LoadShedderConfig config = LoadShedder.builder("inbound").build().config();
        assertEquals(Verdict.IGNORED, config.failures().judge(new BulkheadFullException("db", "full")));
        assertEquals(Verdict.IGNORED, config.failures().judge(new InterruptedException()));
        assertEquals(Verdict.FAILURE, config.failures().judge(new IllegalStateException()));
        assertEquals(Verdict.SUCCESS, config.drops().judge(new TimeoutExceededException("inner", 1L)),
                "nothing is a drop by default");

        RecordingLimit limit = new RecordingLimit();
        LoadShedder shedder = LoadShedder.builder("inbound").ticker(ticker).metrics(metrics).sampleEvery(1)
                .limit(limit).build();
        throwThrough(shedder, new BulkheadFullException("db", "full"));
        throwThrough(shedder, new InterruptedException());
        throwThrough(shedder, new TimeoutExceededException("inner", 1L));
        assertEquals(3, metrics.count("inbound", Outcome.IGNORED));
        throwThrough(shedder, new IllegalStateException());
        throwThrough(shedder, new OutOfMemoryError("a test's, never thrown by the JVM"));
        assertEquals(2, metrics.count("inbound", Outcome.FAILURE), "an Error is a failure, though exceptions() skips it");
        assertEquals(List.of("sample", "sample"), limit.heard, "only the failures were samples");
        assertEquals(0, shedder.inFlight());
    }

    @Test
    void eachVerdictOfTheFiltersReachesTheLimitAndTheMetricsForThrowablesAndResults() {
        RecordingLimit limit = new RecordingLimit();
        LoadShedder shedder = LoadShedder.builder("inbound").ticker(ticker).metrics(metrics).sampleEvery(1).limit(limit)
                .failures(FailureFilter.on(IOException.class).ignoring(FileNotFoundException.class)
                        .failingResults("bad"::equals).ignoringResults("skip"::equals))
                .drops(FailureFilter.on(TimeoutExceededException.class).failingResults("late"::equals))
                .build();
        throwThrough(shedder, new IOException("failed"));
        returnThrough(shedder, "bad");
        assertEquals(2, metrics.count("inbound", Outcome.FAILURE));
        throwThrough(shedder, new FileNotFoundException("a miss"));
        returnThrough(shedder, "skip");
        assertEquals(2, metrics.count("inbound", Outcome.IGNORED));
        throwThrough(shedder, new IllegalArgumentException("a business answer"));
        returnThrough(shedder, "ok");
        assertEquals(2, metrics.count("inbound", Outcome.SUCCESS));
        throwThrough(shedder, new TimeoutExceededException("inner", 1L));
        returnThrough(shedder, "late");
        assertEquals(2, metrics.count("inbound", Outcome.TIMED_OUT));
        assertEquals(List.of("sample", "sample", "sample", "sample", "drop", "drop"), limit.heard,
                "FAILURE and SUCCESS are samples, IGNORED teaches nothing, a drop is an overload signal");
        assertEquals(0, shedder.inFlight());
    }

    @Test
    void theAsyncFormJudgesResultsAndFailuresTheSameWay() {
        RecordingLimit limit = new RecordingLimit();
        LoadShedder shedder = LoadShedder.builder("inbound").ticker(ticker).metrics(metrics).sampleEvery(1).limit(limit)
                .failures(FailureFilter.exceptions().ignoringResults("skip"::equals))
                .drops(FailureFilter.none().failingResults("late"::equals))
                .build();
        Pipeline pipeline = Pipeline.of(shedder);
        for (Object value : new Object[] {"ok", "skip", "late"}) {
            assertEquals(value, pipeline.callAsync(CallContext.empty(), ctx -> CompletableFuture.completedFuture(value))
                    .toCompletableFuture().join());
        }
        pipeline.callAsync(CallContext.empty(), ctx -> CompletableFuture.failedFuture(new IOException()));
        assertEquals(1, metrics.count("inbound", Outcome.SUCCESS));
        assertEquals(1, metrics.count("inbound", Outcome.IGNORED));
        assertEquals(1, metrics.count("inbound", Outcome.TIMED_OUT));
        assertEquals(1, metrics.count("inbound", Outcome.FAILURE));
        assertEquals(List.of("sample", "drop", "sample"), limit.heard);
        assertEquals(0, shedder.inFlight());
    }

    @Test
    void aThrowingPredicateNeitherBreaksTheCallNorLeaksItsSlot() throws Exception {
        LoadShedder shedder = LoadShedder.builder("inbound").ticker(ticker).metrics(metrics).limit(ConcurrencyLimit.fixed(1))
                .failures(FailureFilter.onlyIf(t -> {
                    throw new IllegalStateException("predicate bug");
                }).failingResults(r -> {
                    throw new IllegalStateException("result predicate bug");
                }))
                .build();
        IllegalArgumentException original = new IllegalArgumentException("the call's own");
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> Pipeline.of(shedder).call(CallContext.empty(), ctx -> {
                    throw original;
                }));
        assertSame(original, thrown);
        assertEquals(0, shedder.inFlight(), "the slot was released");
        assertEquals("answer", Pipeline.of(shedder).call(CallContext.empty(), ctx -> "answer"),
                "a throwing result predicate does not break the call either");
        assertEquals(0, shedder.inFlight());
        assertEquals(2, metrics.count("inbound", Outcome.FAILURE), "a filter whose predicate throws says FAILURE");
    }

    @Test
    void aThrowingDropsPredicateCountsADropAndReleasesTheSlot() {
        LoadShedder shedder = LoadShedder.builder("inbound").ticker(ticker).metrics(metrics).limit(ConcurrencyLimit.fixed(1))
                .drops(FailureFilter.onlyIf(t -> {
                    throw new IllegalStateException("predicate bug");
                }))
                .build();
        assertThrows(IllegalStateException.class, () -> Pipeline.of(shedder).call(CallContext.empty(), ctx -> {
            throw new IllegalStateException("the call's own");
        }));
        assertEquals(0, shedder.inFlight());
        assertEquals(1, metrics.count("inbound", Outcome.TIMED_OUT));
    }

    @Test
    void aVirtualMachineErrorFromAPredicatePassesOnButStillReleasesTheSlot() {
        LoadShedder shedder = LoadShedder.builder("inbound").ticker(ticker).metrics(metrics).limit(ConcurrencyLimit.fixed(1))
                .failures(FailureFilter.onlyIf(t -> {
                    throw new StackOverflowError("a test's");
                }))
                .build();
        assertThrows(StackOverflowError.class, () -> Pipeline.of(shedder).call(CallContext.empty(), ctx -> {
            throw new IllegalStateException("the call's own");
        }));
        assertEquals(0, shedder.inFlight(), "the slot was released, as ignored");
        assertEquals(1, metrics.count("inbound", Outcome.IGNORED));
    }

    private static void throwThrough(LoadShedder shedder, Throwable failure) {
        Callable<Object> call = () -> {
            if (failure instanceof Error) {
                throw (Error) failure;
            }
            throw (Exception) failure;
        };
        Throwable thrown = assertThrows(Throwable.class, () -> Pipeline.of(shedder).call(CallContext.empty(),
                ctx -> call.call()));
        assertSame(failure, thrown);
    }

    private static void returnThrough(LoadShedder shedder, Object value) {
        try {
            assertSame(value, Pipeline.of(shedder).call(CallContext.empty(), ctx -> value));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
