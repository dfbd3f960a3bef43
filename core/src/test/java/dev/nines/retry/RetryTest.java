package dev.nines.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.Call;
import dev.nines.CallContext;
import dev.nines.FailureFilter;
import dev.nines.ManualTicker;
import dev.nines.Pipeline;
import dev.nines.Scheduler;
import dev.nines.bulkhead.SemaphoreBulkhead;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.Outcome;
import dev.nines.testing.ManualScheduler;
import dev.nines.testing.RecordingSleeper;
import dev.nines.timeout.TimeoutExceededException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RetryTest {

    private static final long MS = 1_000_000L;

    private final ManualTicker ticker = new ManualTicker();
    private final RecordingSleeper sleeper = new RecordingSleeper(ticker);
    private final ManualScheduler scheduler = new ManualScheduler(ticker);
    private final InMemoryMetrics metrics = new InMemoryMetrics(ticker, 16);

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    private RetryBuilder retry() {
        return Retry.builder("r").ticker(ticker).sleeper(sleeper).scheduler(scheduler).metrics(metrics)
                .backoff(Backoff.exponential(Duration.ofMillis(10), 2.0, Duration.ofSeconds(1)));
    }

    /** A call that fails {@code failures} times with an IOException, then returns "ok", recording attempts. */
    private static Call<String> failing(int failures, List<Integer> attempts) {
        return ctx -> {
            attempts.add(ctx.attempt());
            if (attempts.size() <= failures) {
                throw new IOException("boom " + attempts.size());
            }
            return "ok";
        };
    }

    @Test
    void retriesUntilSuccessWithTheAttemptNumberInTheContextAndTheBackoffBetween() throws Exception {
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        assertEquals("ok", retry().maxAttempts(3).build().call(CallContext.empty(), failing(2, attempts)));
        assertEquals(List.of(1, 2, 3), attempts);
        assertEquals(List.of(10 * MS, 20 * MS), sleeper.sleeps());
        assertEquals(2, metrics.count("r", Outcome.RETRIED));
        assertEquals(1, metrics.count("r", Outcome.SUCCESS));
    }

    @Test
    void givingUpRethrowsTheLastFailureUnchanged() {
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        IOException e = assertThrows(IOException.class,
                () -> retry().maxAttempts(3).build().call(CallContext.empty(), failing(5, attempts)));
        assertEquals("boom 3", e.getMessage());
        assertEquals(3, attempts.size());
        assertEquals(1, metrics.count("r", Outcome.FAILURE));
    }

    @Test
    void anIgnoredExceptionWinsOverAFailureTypeAndErrorsAreNotRetriedByDefault() {
        AtomicInteger calls = new AtomicInteger();
        Retry p = retry().failures(FailureFilter.on(IOException.class).ignoring(java.io.FileNotFoundException.class))
                .build();
        assertThrows(java.io.FileNotFoundException.class, () -> p.call(() -> {
            calls.incrementAndGet();
            throw new java.io.FileNotFoundException();
        }));
        assertEquals(1, calls.get());
        AssertionError error = new AssertionError("no retry");
        assertSame(error, assertThrows(AssertionError.class, () -> retry().build().call(() -> {
            calls.incrementAndGet();
            throw error;
        })));
        assertEquals(2, calls.get());
        assertThrows(IllegalStateException.class, () -> p.call(() -> {
            calls.incrementAndGet();
            throw new IllegalStateException("not an IOException");
        }));
        assertEquals(3, calls.get());
    }

    @Test
    void failureAndIgnorePredicatesClassifyFailures() throws Exception {
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        Retry p = retry().failures(FailureFilter.onlyIf(t -> t.getMessage().startsWith("boom"))
                .ignoringIf(t -> t.getMessage().equals("boom 2"))).maxAttempts(5).build();
        IOException e = assertThrows(IOException.class, () -> p.call(CallContext.empty(), failing(4, attempts)));
        assertEquals("boom 2", e.getMessage());
        assertEquals(2, attempts.size());
    }

    @Test
    void retriesOnResultsAndReturnsTheLastResultWhenGivingUp() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Retry p = retry().maxAttempts(3).failures(FailureFilter.exceptions().failingResults(r -> (Integer) r == 503))
                .build();
        assertEquals(503, p.call(() -> {
            calls.incrementAndGet();
            return 503;
        }));
        assertEquals(3, calls.get());
        assertEquals(200, p.call(() -> calls.incrementAndGet() < 5 ? 503 : 200));
        assertEquals(5, calls.get());
    }

    @Test
    void maxDurationStopsBeforeAnAttemptThatWouldStartTooLate() {
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        Retry p = retry().maxAttempts(10).maxDuration(Duration.ofMillis(70)).build();
        // delays 10, 20, 40: attempt 4 would start at 70 ms, which is not before the limit
        assertThrows(IOException.class, () -> p.call(CallContext.empty(), failing(10, attempts)));
        assertEquals(3, attempts.size());
        assertEquals(List.of(10 * MS, 20 * MS), sleeper.sleeps());
    }

    @Test
    void noBackoffSleepsPastTheDeadlineAndNoAttemptStartsAfterIt() {
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        Retry p = retry().maxAttempts(10).build();
        CallContext ctx = CallContext.empty().withDeadline(Duration.ofMillis(50), ticker);
        // delays 10, 20 fit (ends at 30 ms); the next, 40, would end at 70 ms > 50 ms
        assertThrows(IOException.class, () -> p.call(ctx, failing(10, attempts)));
        assertEquals(3, attempts.size());
        assertEquals(List.of(10 * MS, 20 * MS), sleeper.sleeps());
        long sleptTotal = sleeper.sleeps().stream().mapToLong(Long::longValue).sum();
        assertTrue(sleptTotal < 50 * MS);
    }

    @Test
    void aCallWhoseDeadlineHasPassedIsNotStarted() {
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        CallContext ctx = CallContext.empty().withDeadline(Duration.ofMillis(5), ticker);
        ticker.advance(Duration.ofMillis(5));
        TimeoutExceededException e = assertThrows(TimeoutExceededException.class,
                () -> retry().build().call(ctx, failing(10, attempts)));
        assertEquals("'r' did not start the call: its deadline had passed", e.getMessage());
        assertEquals(List.of(), attempts, "no attempt starts after the deadline, the first included");
        assertTrue(sleeper.sleeps().isEmpty());
        assertEquals(1, metrics.count("r", Outcome.REJECTED));

        ExecutionException async = assertThrows(ExecutionException.class,
                () -> retry().build().<String>callAsync(ctx, c -> {
                    attempts.add(c.attempt());
                    return CompletableFuture.completedFuture("ran");
                }).toCompletableFuture().get());
        assertTrue(async.getCause() instanceof TimeoutExceededException, async.getCause().toString());
        assertEquals(List.of(), attempts);
    }

    @Test
    void minAttemptTimeKeepsAnAttemptFromStartingWithoutTimeToFinish() {
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        Retry p = retry().maxAttempts(10).minAttemptTime(Duration.ofMillis(15)).build();
        CallContext ctx = CallContext.empty().withDeadline(Duration.ofMillis(50), ticker);
        // backoff 10 ms: 50 > 10 + 15, retry; backoff 20 ms: 40 > 20 + 15, retry; backoff 40 ms: 20 < 40 + 15, stop
        assertThrows(IOException.class, () -> p.call(ctx, failing(10, attempts)));
        assertEquals(3, attempts.size());

        Retry slow = retry().maxAttempts(10).minAttemptTime(Duration.ofMillis(35)).build();
        attempts.clear();
        sleeper.sleeps().clear();
        CallContext fresh = CallContext.empty().withDeadline(Duration.ofMillis(50), ticker);
        // backoff 10 ms: 50 > 10 + 35, retry; backoff 20 ms: 40 < 20 + 35, stop
        assertThrows(IOException.class, () -> slow.call(fresh, failing(10, attempts)));
        assertEquals(2, attempts.size());

        CallContext tight = CallContext.empty().withDeadline(Duration.ofMillis(30), ticker);
        TimeoutExceededException e = assertThrows(TimeoutExceededException.class,
                () -> slow.call(tight, failing(0, attempts)));
        assertEquals("'r' did not start the call: its deadline left PT0.03S, and an attempt needs PT0.035S",
                e.getMessage());
    }

    // A filter predicate that throws makes the outcome a FAILURE (the FailureFilter's one rule for
    // every policy), so it is retried; until the FailureFilter came, it ended the call with what
    // the predicate threw. Only a VirtualMachineError from a predicate still ends the call.

    @Test
    void aThrowingFilterPredicateCountsAsAFailureSoTheAsyncCallIsRetriedNotHung() {
        Retry p = retry().maxAttempts(3).failures(FailureFilter.onlyIf(t -> {
            throw new IllegalStateException("predicate bug");
        })).build();
        AtomicInteger calls = new AtomicInteger();
        CompletableFuture<String> f = p.<String>callAsync(CallContext.empty(), ctx -> {
            calls.incrementAndGet();
            return CompletableFuture.failedFuture(new IOException("attempt"));
        }).toCompletableFuture();
        scheduler.advance(Duration.ofMillis(10));
        scheduler.advance(Duration.ofMillis(20));
        ExecutionException e = assertThrows(ExecutionException.class, f::get);
        assertEquals("attempt", e.getCause().getMessage(), "the attempt's own failure, after the last attempt");
        assertEquals(3, calls.get());
    }

    @Test
    void aThrowingFilterPredicateCountsAsAFailureInTheSyncFormToo() {
        Retry p = retry().maxAttempts(3).failures(FailureFilter.onlyIf(t -> {
            throw new IllegalStateException("predicate bug");
        })).build();
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        IOException e = assertThrows(IOException.class, () -> p.call(CallContext.empty(), failing(5, attempts)));
        assertEquals("boom 3", e.getMessage());
        assertEquals(List.of(1, 2, 3), attempts);
        assertEquals(1, metrics.count("r", Outcome.FAILURE), "the call is finished and reported");
    }

    @Test
    void aThrowingResultPredicateCountsTheResultAsAFailureAndTheLastResultIsReturned() throws Exception {
        Retry p = retry().maxAttempts(3).failures(FailureFilter.exceptions().failingResults(r -> {
            throw new IllegalStateException("result predicate bug");
        })).build();
        AtomicInteger calls = new AtomicInteger();
        assertEquals("value 3", p.call(() -> "value " + calls.incrementAndGet()));
        assertEquals(2, metrics.count("r", Outcome.RETRIED));
    }

    @Test
    void aVirtualMachineErrorFromAPredicateEndsTheCallKeepingTheAttemptsFailure() {
        Retry p = retry().maxAttempts(3).failures(FailureFilter.onlyIf(t -> {
            throw new StackOverflowError("deep");
        })).build();
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        StackOverflowError e = assertThrows(StackOverflowError.class,
                () -> p.call(CallContext.empty(), failing(5, attempts)));
        assertEquals("boom 1", e.getSuppressed()[0].getMessage(), "the attempt's failure is kept");
        assertEquals(List.of(1), attempts);
        assertEquals(1, metrics.count("r", Outcome.FAILURE), "the call is finished and reported");

        CompletableFuture<String> f = p.<String>callAsync(CallContext.empty(),
                ctx -> CompletableFuture.failedFuture(new IOException("attempt"))).toCompletableFuture();
        ExecutionException async = assertThrows(ExecutionException.class, f::get);
        assertEquals("deep", async.getCause().getMessage());
        assertEquals("attempt", async.getCause().getSuppressed()[0].getMessage());
    }

    @Test
    void aSchedulerThatRefusesTheBackoffEndsTheAsyncCall() {
        Retry p = retry().maxAttempts(3).scheduler((task, nanos) -> {
            throw new java.util.concurrent.RejectedExecutionException("shut down");
        }).build();
        CompletableFuture<String> f = p.<String>callAsync(CallContext.empty(),
                ctx -> CompletableFuture.failedFuture(new IOException("attempt"))).toCompletableFuture();
        ExecutionException e = assertThrows(ExecutionException.class, f::get);
        assertEquals("shut down", e.getCause().getMessage());
    }

    @Test
    void anAsyncCallThatThrowsInsteadOfReturningAStageIsAFailedAttempt() throws Exception {
        AtomicInteger n = new AtomicInteger();
        CompletableFuture<String> f = retry().maxAttempts(3).build().<String>callAsync(CallContext.empty(), ctx -> {
            if (n.incrementAndGet() < 3) {
                throw new IllegalStateException("thrown, not returned");
            }
            return CompletableFuture.completedFuture("ok");
        }).toCompletableFuture();
        scheduler.advance(Duration.ofMillis(10));
        scheduler.advance(Duration.ofMillis(20));
        assertEquals("ok", f.get());
        assertEquals(3, n.get());
    }

    @Test
    void interruptionDuringBackoffStopsTheRetryAndKeepsTheInterruptStatus() {
        AtomicInteger calls = new AtomicInteger();
        Retry p = retry().maxAttempts(5).sleeper(nanos -> {
            throw new InterruptedException();
        }).build();
        IOException e = assertThrows(IOException.class, () -> p.call(() -> {
            calls.incrementAndGet();
            throw new IOException("first");
        }));
        assertEquals("first", e.getMessage());
        assertEquals(1, calls.get());
        assertTrue(Thread.currentThread().isInterrupted());
    }

    @Test
    void interruptedExceptionIsNeverRetried() {
        AtomicInteger calls = new AtomicInteger();
        assertThrows(InterruptedException.class, () -> retry().build().call(() -> {
            calls.incrementAndGet();
            throw new InterruptedException();
        }));
        assertEquals(1, calls.get());
    }

    @Test
    void aSpentBudgetPassesTheFailureStraightToTheCaller() {
        RetryBudget budget = RetryBudget.builder("b").retryRatio(0.0).minRetriesPerSecond(1).ticker(ticker)
                .metrics(metrics).build();
        Retry p = retry().maxAttempts(5).budget(budget).build();
        List<Integer> first = new CopyOnWriteArrayList<>();
        assertThrows(IOException.class, () -> p.call(CallContext.empty(), failing(10, first)));
        assertEquals(2, first.size(), "the floor allowed one retry");
        List<Integer> second = new CopyOnWriteArrayList<>();
        IOException e = assertThrows(IOException.class, () -> p.call(CallContext.empty(), failing(10, second)));
        assertEquals("boom 1", e.getMessage());
        assertEquals(1, second.size(), "budget spent: no retry at all");
        assertEquals(2, metrics.count("b", Outcome.REJECTED), "one refused retry per call");
    }

    @Test
    void asyncRetriesWaitOnTheSchedulerAndBlockNoThread() throws Exception {
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        Retry p = retry().maxAttempts(3).build();
        CompletionStage<String> stage = p.callAsync(CallContext.empty(), ctx -> {
            attempts.add(ctx.attempt());
            return attempts.size() < 3 ? CompletableFuture.failedFuture(new IOException("x"))
                    : CompletableFuture.completedFuture("ok");
        });
        CompletableFuture<String> f = stage.toCompletableFuture();
        assertEquals(List.of(1), attempts);
        assertFalse(f.isDone(), "waiting for the backoff, on no thread");
        scheduler.advance(Duration.ofMillis(9));
        assertEquals(1, attempts.size());
        scheduler.advance(Duration.ofMillis(1));
        assertEquals(List.of(1, 2), attempts);
        scheduler.advance(Duration.ofMillis(20));
        assertEquals("ok", f.get());
        assertEquals(List.of(1, 2, 3), attempts);
    }

    @Test
    void asyncRetriesRunWithTheCallersMdc() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        org.slf4j.MDC.put("requestId", "r-9");
        try {
            CompletableFuture<String> f = retry().maxAttempts(2).build().<String>callAsync(CallContext.empty(), ctx -> {
                seen.add(org.slf4j.MDC.get("requestId"));
                return ctx.attempt() == 1 ? CompletableFuture.failedFuture(new IOException())
                        : CompletableFuture.completedFuture("ok");
            }).toCompletableFuture();
            org.slf4j.MDC.clear(); // the scheduler thread here is the test thread: prove the MDC is carried
            scheduler.advance(Duration.ofMillis(10));
            assertEquals("ok", f.get());
            assertEquals(List.of("r-9", "r-9"), seen);
        } finally {
            org.slf4j.MDC.clear();
        }
    }

    @Test
    void asyncGivingUpFailsTheStageWithTheLastFailure() {
        Retry p = retry().maxAttempts(2).build();
        AtomicInteger n = new AtomicInteger();
        CompletableFuture<String> f = p.<String>callAsync(CallContext.empty(),
                ctx -> CompletableFuture.failedFuture(new IOException("attempt " + n.incrementAndGet())))
                .toCompletableFuture();
        scheduler.advance(Duration.ofMillis(10));
        ExecutionException e = assertThrows(ExecutionException.class, f::get);
        assertEquals("attempt 2", e.getCause().getMessage());
    }

    @Test
    void cancellingTheAsyncStageStopsFurtherAttempts() {
        AtomicInteger n = new AtomicInteger();
        CompletableFuture<String> f = retry().maxAttempts(5).build().<String>callAsync(CallContext.empty(), ctx -> {
            n.incrementAndGet();
            return CompletableFuture.failedFuture(new IOException());
        }).toCompletableFuture();
        f.cancel(false);
        scheduler.advance(Duration.ofSeconds(10));
        assertEquals(1, n.get());
        assertEquals(0, scheduler.pending());
    }

    @Test
    void aCancelArrivingWhileTheNextAttemptStartsReachesThatAttemptAndFreesItsPermit() {
        SemaphoreBulkhead bulkhead = SemaphoreBulkhead.builder("bh").maxConcurrent(1).build();
        Pipeline pipeline = Pipeline.of(retry().maxAttempts(3).build(), bulkhead);
        AtomicReference<CompletableFuture<String>> caller = new AtomicReference<>();
        List<CompletableFuture<String>> attempts = new CopyOnWriteArrayList<>();
        caller.set(pipeline.<String>callAsync(CallContext.empty(), ctx -> {
            if (ctx.attempt() == 1) {
                return CompletableFuture.failedFuture(new IOException());
            }
            CompletableFuture<String> work = new CompletableFuture<>();
            attempts.add(work);
            caller.get().cancel(true); // the caller gives up while this attempt is being started
            return work;
        }).toCompletableFuture());

        scheduler.advance(Duration.ofSeconds(1));
        assertEquals(1, attempts.size());
        assertTrue(attempts.get(0).isCancelled(), "the cancel reached the attempt it raced with");
        assertEquals(1, bulkhead.availablePermits(), "the attempt's permit is free again");
        assertTrue(caller.get().isCancelled());
    }

    /**
     * A second thread starts the next attempt, which would never end on its own, while the caller
     * cancels at a random moment from just before that attempt's call until just after its start.
     * Whichever wins, once the round is over no permit is held and no attempt runs on.
     */
    @Test
    void underStressACancelRacingAnAttemptStartNeverLeavesAPermitHeld() throws Exception {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        ExecutorService starter = Executors.newSingleThreadExecutor();
        AtomicInteger calls = new AtomicInteger(); // second attempts called
        try {
            Scheduler onStarter = (task, delay) -> starter.submit(task);
            SemaphoreBulkhead bulkhead = SemaphoreBulkhead.builder("bh").maxConcurrent(1).build();
            Pipeline pipeline = Pipeline.of(retry().maxAttempts(2).backoff(Backoff.fixed(Duration.ZERO))
                    .scheduler(onStarter).build(), bulkhead);
            for (int round = 1; round <= 1_000; round++) {
                List<CompletableFuture<String>> attempts = new CopyOnWriteArrayList<>();
                boolean early = random.nextInt(4) == 0; // sometimes before the attempt is called at all
                int spins = random.nextInt(early ? 20 : 30);
                CompletableFuture<String> result = pipeline.<String>callAsync(CallContext.empty(), ctx -> {
                    if (ctx.attempt() == 1) {
                        return CompletableFuture.failedFuture(new IOException());
                    }
                    CompletableFuture<String> work = new CompletableFuture<>();
                    attempts.add(work);
                    calls.incrementAndGet();
                    return work;
                }).toCompletableFuture();
                while (!early && calls.get() < round) {
                    Thread.onSpinWait(); // the starter is inside the second attempt's start
                }
                for (int i = 0; i < spins; i++) {
                    Thread.onSpinWait();
                }
                result.cancel(true);
                starter.submit(() -> { }).get(); // the starter is done with this round
                if (early && attempts.isEmpty()) {
                    calls.incrementAndGet(); // the cancel came first: no second attempt was called
                }
                String where = "round " + round + ", seed " + seed;
                assertEquals(1, bulkhead.availablePermits(), "a permit is held after the cancel, " + where);
                for (CompletableFuture<String> attempt : attempts) {
                    assertTrue(attempt.isCancelled(), "an attempt runs on after the cancel, " + where);
                }
            }
        } finally {
            starter.shutdownNow();
        }
    }

    @Test
    void aRandomSourceDrivesTheJitter() throws Exception {
        Retry p = retry().maxAttempts(2).random(() -> 0.5)
                .backoff(Backoff.fixed(Duration.ofMillis(100), Jitter.FULL)).build();
        p.call(CallContext.empty(), failing(1, new CopyOnWriteArrayList<>()));
        assertEquals(List.of(50 * MS), sleeper.sleeps());
    }

    @Test
    void invalidSettingsAreRefusedAtBuildWithEveryFieldAndValue() {
        RetryBuilder bad = Retry.builder("r").maxAttempts(0).maxDuration(Duration.ofSeconds(-1))
                .minAttemptTime(Duration.ofMillis(-1));
        assertEquals("maxAttempts must be >= 1 but was 0; maxDuration must be >= 0 but was PT-1S; "
                + "minAttemptTime must be >= 0 but was PT-0.001S",
                assertThrows(IllegalArgumentException.class, bad::build).getMessage());
        assertEquals("name must not be blank but was ' '", assertThrows(IllegalArgumentException.class,
                () -> Retry.builder(" ").build()).getMessage());
        assertEquals(2, bad.maxAttempts(2).maxDuration(Duration.ZERO).minAttemptTime(Duration.ZERO).build()
                .maxAttempts(), "a setting fixed later builds: setters only store");
    }

    @Test
    void toBuilderDerivesAnEqualPolicy() {
        Retry p = retry().maxAttempts(7).maxDuration(Duration.ofSeconds(3)).build();
        Retry q = p.toBuilder().build();
        assertEquals(7, q.maxAttempts());
        assertEquals(Duration.ofSeconds(3), q.maxDuration());
        assertSame(p.backoff(), q.backoff());
    }

    @Test
    void toBuilderKeepsAnUnsetSinkUnsetSoTheDerivedPolicyTakesTheDefaultOfItsOwnBuild() throws Exception {
        InMemoryMetrics first = new InMemoryMetrics();
        InMemoryMetrics second = new InMemoryMetrics();
        try {
            Metrics.setDefault(first);
            Retry original = Retry.builder("derived").build();
            Metrics.setDefault(second);
            Retry derived = original.toBuilder().maxAttempts(5).build();
            assertEquals(5, derived.maxAttempts());
            assertEquals(Duration.ZERO, derived.maxDuration(), "unset settings stay at their defaults");
            assertEquals(Duration.ZERO, derived.minAttemptTime());
            assertEquals("ok", derived.call(() -> "ok"));
            assertEquals(1, second.count("derived", Outcome.SUCCESS), "the default of the derived build");
            assertEquals(0, first.count("derived", Outcome.SUCCESS));

            retry().build().toBuilder().maxAttempts(2).build().call(() -> "ok");
            assertEquals(1, metrics.count("r", Outcome.SUCCESS), "a sink that was set is carried on");
        } finally {
            Metrics.setDefault(null);
        }
    }
}
