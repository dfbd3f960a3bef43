package dev.nines.timeout;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.Call;
import dev.nines.CallContext;
import dev.nines.ManualTicker;
import dev.nines.Pipeline;
import dev.nines.bulkhead.SemaphoreBulkhead;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.Outcome;
import dev.nines.retry.Backoff;
import dev.nines.retry.Retry;
import dev.nines.testing.ManualScheduler;
import dev.nines.testing.RecordingSleeper;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class TimeoutTest {

    private final ManualTicker ticker = new ManualTicker();
    private final ManualScheduler scheduler = new ManualScheduler(ticker);
    private final InMemoryMetrics metrics = new InMemoryMetrics(ticker, 16);
    private final ExecutorService callers = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        callers.shutdownNow();
        MDC.clear();
    }

    private Timeout timeout(long millis) {
        return Timeout.builder("t").timeout(Duration.ofMillis(millis)).ticker(ticker).scheduler(scheduler)
                .metrics(metrics).build();
    }

    /** Blocks until {@code release} opens, swallowing interrupts but noting them. */
    private static void awaitIgnoringInterrupts(CountDownLatch release, AtomicBoolean interrupted) {
        while (true) {
            try {
                release.await();
                return;
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        }
    }

    @Test
    void theCallerGetsTheTimeoutAtOnceEvenIfTheWorkIgnoresInterruption() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean sawCancelled = new AtomicBoolean();
        Timeout t = timeout(100);
        Future<String> caller = callers.submit(() -> t.call(CallContext.empty(), ctx -> {
            started.countDown();
            awaitIgnoringInterrupts(release, interrupted);
            sawCancelled.set(ctx.isCancelled());
            return "late";
        }));
        assertTrue(started.await(10, TimeUnit.SECONDS));
        await().until(() -> scheduler.pending() == 1);
        scheduler.advance(Duration.ofMillis(100));
        ExecutionException e = assertThrows(ExecutionException.class, () -> caller.get(10, TimeUnit.SECONDS));
        TimeoutExceededException timeout = assertInstanceOf(TimeoutExceededException.class, e.getCause());
        assertEquals("'t' timed out after PT0.1S", timeout.getMessage());
        assertEquals(Duration.ofMillis(100), timeout.timeout());
        assertEquals(1, release.getCount(), "the caller returned while the work still runs");
        await().untilTrue(interrupted);
        release.countDown();
        await().untilTrue(sawCancelled);
        assertEquals(1, metrics.count("t", Outcome.TIMED_OUT));
    }

    @Test
    void aSyncCallerThatGetsTheTimeoutAlreadyFindsTheWorksContextCancelled() throws Exception {
        Semaphore timersSet = new Semaphore(0);
        Timeout t = Timeout.builder("t").timeout(Duration.ofMillis(100)).ticker(ticker)
                .scheduler((task, delay) -> {
                    Future<?> timer = scheduler.schedule(task, delay);
                    timersSet.release();
                    return timer;
                }).metrics(metrics).build();
        for (int round = 0; round < 500; round++) {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicReference<CallContext> seen = new AtomicReference<>();
            Future<Boolean> caller = callers.submit(() -> {
                try {
                    t.call(CallContext.empty(), ctx -> {
                        seen.set(ctx);
                        started.countDown();
                        awaitIgnoringInterrupts(release, new AtomicBoolean());
                        return "late";
                    });
                    return null;
                } catch (TimeoutExceededException e) {
                    return seen.get().isCancelled(); // read at once, racing the timer's thread
                }
            });
            assertTrue(started.await(10, TimeUnit.SECONDS));
            assertTrue(timersSet.tryAcquire(10, TimeUnit.SECONDS));
            scheduler.advance(Duration.ofMillis(100));
            assertEquals(Boolean.TRUE, caller.get(10, TimeUnit.SECONDS), "round " + round);
            release.countDown();
        }
    }

    @Test
    void anAsyncCallerThatGetsTheTimeoutAlreadyFindsTheWorksContextCancelled() {
        AtomicReference<CallContext> seen = new AtomicReference<>();
        CompletableFuture<String> result = timeout(100).<String>callAsync(CallContext.empty(), ctx -> {
            seen.set(ctx);
            return new CompletableFuture<>();
        }).toCompletableFuture();
        AtomicReference<Boolean> cancelledWhenFailed = new AtomicReference<>();
        result.whenComplete((v, failure) -> cancelledWhenFailed.set(
                failure instanceof TimeoutExceededException && seen.get().isCancelled()));
        scheduler.advance(Duration.ofMillis(100));
        assertEquals(Boolean.TRUE, cancelledWhenFailed.get());
    }

    @Test
    void workThatFinishesInTimePassesItsResultAndFailureThroughUnchanged() throws Exception {
        Timeout t = timeout(100);
        assertEquals("ok", t.call(() -> "ok"));
        IOException boom = new IOException("boom");
        assertSame(boom, assertThrows(IOException.class, () -> t.call(() -> {
            throw boom;
        })));
        assertEquals(0, scheduler.pending(), "timers of finished calls are cancelled");
        assertEquals(1, metrics.count("t", Outcome.SUCCESS));
        assertEquals(1, metrics.count("t", Outcome.FAILURE));
    }

    @Test
    void theWorkSeesTheDeadlineToPassDownstream() throws Exception {
        Optional<Duration> remaining = timeout(250).call(CallContext.empty(), CallContext::remaining);
        assertEquals(Optional.of(Duration.ofMillis(250)), remaining);
        CallContext sooner = CallContext.empty().withDeadline(Duration.ofMillis(40), ticker);
        assertEquals(Optional.of(Duration.ofMillis(40)), timeout(250).call(sooner, CallContext::remaining),
                "an earlier deadline of the caller is kept");
    }

    @Test
    void aCallWhoseDeadlineHasPassedFailsWithoutRunning() {
        CallContext expired = CallContext.empty().withDeadline(Duration.ofMillis(1), ticker);
        ticker.advance(Duration.ofMillis(1));
        AtomicInteger runs = new AtomicInteger();
        TimeoutExceededException e = assertThrows(TimeoutExceededException.class,
                () -> timeout(100).call(expired, ctx -> runs.incrementAndGet()));
        assertEquals("'t' did not start the call: its deadline had passed", e.getMessage());
        CompletableFuture<Integer> async = timeout(100).callAsync(expired,
                ctx -> CompletableFuture.completedFuture(runs.incrementAndGet())).toCompletableFuture();
        ExecutionException asyncFailure = assertThrows(ExecutionException.class, async::get);
        assertEquals("'t' did not start the call: its deadline had passed", asyncFailure.getCause().getMessage());
        assertEquals(0, runs.get());
        assertEquals(2, metrics.count("t", Outcome.TIMED_OUT));
    }

    @Test
    void aCallCutShortByTheCallersSoonerDeadlineSaysWhichLimitItHad() {
        CallContext sooner = CallContext.empty().withDeadline(Duration.ofMillis(40), ticker);
        CompletableFuture<String> result = timeout(250).<String>callAsync(sooner, ctx -> new CompletableFuture<>())
                .toCompletableFuture();
        scheduler.advance(Duration.ofMillis(40));
        ExecutionException e = assertThrows(ExecutionException.class, result::get);
        TimeoutExceededException timeout = assertInstanceOf(TimeoutExceededException.class, e.getCause());
        assertEquals("'t' timed out after PT0.04S, the time left before the caller's deadline "
                + "(its own limit is PT0.25S)", timeout.getMessage());
        assertEquals(Duration.ofMillis(40), timeout.timeout());
    }

    @Test
    void theCallersMdcIsVisibleInsideTheWorkAndTheWorkersOwnComesBackAfter() throws Exception {
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try {
            // the worker thread exists, with entries of its own, before the caller sets any: the
            // MDC's inheritable thread-local cannot carry the caller's entries over by itself
            MDC.clear();
            worker.submit(() -> MDC.put("owner", "worker")).get(10, TimeUnit.SECONDS);
            Timeout t = timeout(100).toBuilder().executor(worker).build();
            MDC.put("requestId", "r-42");

            assertEquals(Map.of("requestId", "r-42"), t.call(MDC::getCopyOfContextMap),
                    "the work sees the caller's entries, not the worker's");
            assertEquals("r-42", MDC.get("requestId"), "the caller's MDC is untouched");
            assertEquals(Map.of("owner", "worker"), worker.submit(MDC::getCopyOfContextMap).get(10, TimeUnit.SECONDS),
                    "the worker's own entries are back after the work");
        } finally {
            worker.shutdownNow();
        }
    }

    @Test
    void theSynchronousFormRunsTheWorkOnAnotherThreadWhereTheCallersThreadLocalsAreNotSet() throws Exception {
        ThreadLocal<String> tenant = new ThreadLocal<>();
        tenant.set("acme");
        try {
            Thread caller = Thread.currentThread();
            Timeout t = timeout(100);
            assertEquals("other thread, tenant null",
                    t.call(() -> (Thread.currentThread() == caller ? "caller" : "other") + " thread, tenant "
                            + tenant.get()), "what the README promises: only the context and the MDC travel");
        } finally {
            tenant.remove();
        }
    }

    @Test
    void anInterruptedCallerCancelsTheWorkAndKeepsItsInterruptStatus() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean workInterrupted = new AtomicBoolean();
        AtomicBoolean callerInterrupted = new AtomicBoolean();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                timeout(100_000).call(() -> {
                    started.countDown();
                    try {
                        new CountDownLatch(1).await();
                    } catch (InterruptedException e) {
                        workInterrupted.set(true);
                    }
                    return null;
                });
            } catch (Throwable e) {
                thrown.set(e);
                callerInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        caller.start();
        assertTrue(started.await(10, TimeUnit.SECONDS));
        caller.interrupt();
        caller.join(10_000);
        assertInstanceOf(InterruptedException.class, thrown.get());
        assertTrue(callerInterrupted.get());
        await().untilTrue(workInterrupted);
    }

    @Test
    void asyncTimeoutFailsTheStageAtTheDeadlineAndCancelsTheSource() {
        CompletableFuture<String> source = new CompletableFuture<>();
        AtomicReference<CallContext> seen = new AtomicReference<>();
        CompletableFuture<String> result = timeout(100).<String>callAsync(CallContext.empty(), ctx -> {
            seen.set(ctx);
            return source;
        }).toCompletableFuture();
        scheduler.advance(Duration.ofMillis(99));
        assertFalse(result.isDone());
        scheduler.advance(Duration.ofMillis(1));
        ExecutionException e = assertThrows(ExecutionException.class, result::get);
        assertInstanceOf(TimeoutExceededException.class, e.getCause());
        assertTrue(source.isCancelled());
        assertTrue(seen.get().isCancelled());
        assertEquals(1, metrics.count("t", Outcome.TIMED_OUT));
    }

    @Test
    void asyncWorkThatFinishesInTimeCancelsTheTimer() throws Exception {
        CompletableFuture<String> source = new CompletableFuture<>();
        CompletableFuture<String> result = timeout(100).<String>callAsync(CallContext.empty(), ctx -> source)
                .toCompletableFuture();
        source.complete("ok");
        assertEquals("ok", result.get());
        assertEquals(0, scheduler.pending());
    }

    @Test
    void cancellingTheAsyncStageCancelsTheWorkRaisesTheFlagAndStopsTheTimer() {
        CompletableFuture<String> work = new CompletableFuture<>();
        AtomicReference<CallContext> seen = new AtomicReference<>();
        CompletableFuture<String> result = timeout(100).<String>callAsync(CallContext.empty(), ctx -> {
            seen.set(ctx);
            return work;
        }).toCompletableFuture();
        assertEquals(1, scheduler.pending());

        assertTrue(result.cancel(true));
        assertTrue(work.isCancelled(), "the cancel reached the work");
        assertTrue(seen.get().isCancelled(), "the work's context reports the cancellation");
        assertEquals(0, scheduler.pending(), "the timer is stopped");
        assertEquals(1, metrics.count("t", Outcome.IGNORED));
        scheduler.advance(Duration.ofMillis(100));
        assertEquals(0, metrics.count("t", Outcome.TIMED_OUT), "a cancelled call does not time out later");
    }

    @Test
    void aFiringTotalTimeoutStopsTheAttemptBeforeTheBulkheadBetweenThemFreesItsPermit() throws Exception {
        Retry retry = Retry.builder("r").maxAttempts(5).backoff(Backoff.fixed(Duration.ofMillis(10)))
                .ticker(ticker).scheduler(scheduler).build();
        SemaphoreBulkhead bulkhead = SemaphoreBulkhead.builder("b").maxConcurrent(1).ticker(ticker)
                .metrics(metrics).build();
        Timeout total = Timeout.builder("total").timeout(Duration.ofMillis(100)).ticker(ticker)
                .scheduler(scheduler).metrics(metrics).build();
        Timeout perAttempt = Timeout.builder("attempt").timeout(Duration.ofSeconds(1)).ticker(ticker)
                .scheduler(scheduler).metrics(metrics).build();
        // the annotation order, outermost first: total timeout, retry, bulkhead, per-attempt timeout
        Pipeline pipeline = Pipeline.of(total, retry, bulkhead, perAttempt);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        List<CallContext> contexts = new CopyOnWriteArrayList<>();
        List<CompletableFuture<String>> works = new CopyOnWriteArrayList<>();
        List<Integer> inFlightWhenStopped = new CopyOnWriteArrayList<>();
        dev.nines.AsyncCall<String> call = ctx -> {
            contexts.add(ctx);
            if (ctx.attempt() == 1 && works.isEmpty()) {
                works.add(null); // the first attempt of the first call fails fast and is retried
                return CompletableFuture.failedFuture(new IOException("first attempt"));
            }
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            CompletableFuture<String> work = new CompletableFuture<>(); // hangs until cancelled
            work.whenComplete((v, t) -> {
                inFlightWhenStopped.add(bulkhead.inFlight());
                running.decrementAndGet();
            });
            works.add(work);
            return work;
        };
        CompletableFuture<String> first = pipeline.callAsync(CallContext.empty(), call).toCompletableFuture();
        scheduler.advance(Duration.ofMillis(10)); // the backoff ends, the second attempt hangs
        assertEquals(2, works.size());
        assertEquals(1, bulkhead.inFlight());

        scheduler.advance(Duration.ofMillis(90)); // the total timeout fires
        ExecutionException e = assertThrows(ExecutionException.class, first::get);
        assertEquals("'total' timed out after PT0.1S", e.getCause().getMessage());
        CompletableFuture<String> work = works.get(1);
        assertTrue(work.isCancelled(), "the total timeout reached the work through the per-attempt timeout");
        assertTrue(contexts.get(1).isCancelled(), "the attempt's context reports the cancellation");
        assertEquals(List.of(1), inFlightWhenStopped, "the permit was still held when the work was stopped");
        assertEquals(0, bulkhead.inFlight(), "and came back once it had stopped");
        assertEquals(0, running.get());
        assertEquals(0, scheduler.pending(), "no timer or backoff is left behind");
        assertEquals(1, metrics.count("attempt", Outcome.IGNORED));

        // the freed permit goes to the next call; the stopped work no longer counts against it
        CompletableFuture<String> second = pipeline.callAsync(CallContext.empty(), call).toCompletableFuture();
        assertEquals(1, bulkhead.inFlight());
        works.get(2).complete("ok");
        assertEquals("ok", second.get());
        assertEquals(1, maxRunning.get(), "running work never exceeded the bulkhead's one permit");
        assertEquals(0, bulkhead.inFlight());
    }

    @Test
    void insideARetryItBoundsEachAttempt() {
        AtomicInteger attempts = new AtomicInteger();
        Retry retry = Retry.builder("r").maxAttempts(3).backoff(Backoff.fixed(Duration.ofMillis(10)))
                .ticker(ticker).scheduler(scheduler).build();
        Pipeline perAttempt = Pipeline.of(retry, timeout(100));
        CompletableFuture<String> result = perAttempt.<String>callAsync(CallContext.empty(), ctx -> {
            attempts.incrementAndGet();
            return new CompletableFuture<>(); // never completes
        }).toCompletableFuture();
        for (int i = 0; i < 3; i++) {
            scheduler.advance(Duration.ofMillis(100)); // this attempt times out
            scheduler.advance(Duration.ofMillis(10));  // the backoff ends
        }
        assertEquals(3, attempts.get(), "every attempt got its own 100 ms");
        ExecutionException e = assertThrows(ExecutionException.class, result::get);
        assertInstanceOf(TimeoutExceededException.class, e.getCause());
        assertEquals(3, metrics.count("t", Outcome.TIMED_OUT));
    }

    @Test
    void outsideARetryItBoundsTheWholeCallAndStopsTheRetry() {
        AtomicInteger attempts = new AtomicInteger();
        Retry retry = Retry.builder("r").maxAttempts(10).backoff(Backoff.fixed(Duration.ofMillis(10)))
                .ticker(ticker).scheduler(scheduler).build();
        Pipeline total = Pipeline.of(timeout(100), retry);
        CompletableFuture<Object> hanging = new CompletableFuture<>();
        CompletableFuture<Object> result = total.callAsync(CallContext.empty(), ctx -> {
            // the first attempt fails fast, the second hangs
            return attempts.incrementAndGet() == 1 ? CompletableFuture.failedFuture(new IOException()) : hanging;
        }).toCompletableFuture();
        scheduler.advance(Duration.ofMillis(10));
        assertEquals(2, attempts.get());
        scheduler.advance(Duration.ofMillis(90));
        ExecutionException e = assertThrows(ExecutionException.class, result::get);
        assertInstanceOf(TimeoutExceededException.class, e.getCause());
        assertTrue(hanging.isCancelled(), "the running attempt is cancelled");
        scheduler.advance(Duration.ofSeconds(10));
        assertEquals(2, attempts.get(), "no attempt after the total timeout");
    }

    /**
     * A call whose first attempt hangs until interrupted (then fails with a retryable
     * IOException) and whose later attempts wait for {@code release}, then return "ok". Each
     * attempt records its number and the time its context has left, then counts down its latch.
     */
    private static Call<String> firstAttemptHangs(List<String> seen, CountDownLatch[] started,
            CountDownLatch release, AtomicBoolean firstInterrupted) {
        return ctx -> {
            seen.add(ctx.attempt() + ":" + ctx.remaining().map(Duration::toMillis).orElse(-1L));
            started[ctx.attempt() - 1].countDown();
            if (ctx.attempt() == 1) {
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    firstInterrupted.set(true);
                    throw new IOException("interrupted");
                }
            }
            if (!release.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the attempt");
            }
            return "ok";
        };
    }

    @Test
    void aSyncTimeoutInsideARetryBoundsEachAttemptOnItsOwn() throws Exception {
        RecordingSleeper sleeper = new RecordingSleeper(ticker);
        InMemoryMetrics retryMetrics = new InMemoryMetrics(ticker, 4);
        Retry retry = Retry.builder("r").maxAttempts(3).backoff(Backoff.fixed(Duration.ofMillis(10)))
                .ticker(ticker).sleeper(sleeper).metrics(retryMetrics).build();
        Pipeline perAttempt = Pipeline.of(retry, timeout(100));
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch[] started = {new CountDownLatch(1), new CountDownLatch(1), new CountDownLatch(1)};
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean firstInterrupted = new AtomicBoolean();
        Future<String> caller = callers.submit(
                () -> perAttempt.call(CallContext.empty(), firstAttemptHangs(seen, started, release, firstInterrupted)));

        assertTrue(started[0].await(10, TimeUnit.SECONDS));
        await().until(() -> scheduler.pending() == 1);
        scheduler.advance(Duration.ofMillis(100)); // the first attempt's 100 ms are up
        assertTrue(started[1].await(10, TimeUnit.SECONDS), "the retry ran a second attempt");
        await().untilTrue(firstInterrupted);
        await().until(() -> scheduler.pending() == 1);
        scheduler.advance(Duration.ofMillis(99)); // 209 ms into the call, 99 ms into this attempt
        assertEquals(1, scheduler.pending(), "the second attempt's timer has not fired: it has its own 100 ms");
        release.countDown();

        assertEquals("ok", caller.get(10, TimeUnit.SECONDS));
        assertEquals(List.of("1:100", "2:100"), seen, "each attempt started with the full 100 ms");
        assertEquals(List.of(Duration.ofMillis(10).toNanos()), sleeper.sleeps());
        assertEquals(1, metrics.count("t", Outcome.TIMED_OUT));
        assertEquals(1, metrics.count("t", Outcome.SUCCESS));
        assertEquals(1, retryMetrics.count("r", Outcome.RETRIED));
        assertEquals(1, retryMetrics.count("r", Outcome.SUCCESS));
        assertEquals(0, scheduler.pending(), "the second attempt's timer is cancelled");
    }

    @Test
    void aSyncTimeoutOutsideARetryBoundsTheWholeCallSoTheSameCallFails() throws Exception {
        RecordingSleeper sleeper = new RecordingSleeper(ticker);
        InMemoryMetrics retryMetrics = new InMemoryMetrics(ticker, 4);
        Retry retry = Retry.builder("r").maxAttempts(3).backoff(Backoff.fixed(Duration.ofMillis(10)))
                .ticker(ticker).sleeper(sleeper).metrics(retryMetrics).build();
        Pipeline total = Pipeline.of(timeout(100), retry);
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch[] started = {new CountDownLatch(1), new CountDownLatch(1), new CountDownLatch(1)};
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean firstInterrupted = new AtomicBoolean();
        Future<String> caller = callers.submit(
                () -> total.call(CallContext.empty(), firstAttemptHangs(seen, started, release, firstInterrupted)));

        assertTrue(started[0].await(10, TimeUnit.SECONDS));
        await().until(() -> scheduler.pending() == 1);
        scheduler.advance(Duration.ofMillis(100)); // the whole call's 100 ms are up
        ExecutionException e = assertThrows(ExecutionException.class, () -> caller.get(10, TimeUnit.SECONDS));
        TimeoutExceededException timeout = assertInstanceOf(TimeoutExceededException.class, e.getCause());
        assertEquals("t", timeout.policyName());
        release.countDown();

        // the interrupted attempt fails with a retryable IOException, but the deadline has passed
        await().until(() -> retryMetrics.count("r", Outcome.FAILURE) == 1);
        assertTrue(firstInterrupted.get());
        assertEquals(List.of("1:100"), seen, "no attempt starts after the whole call's deadline");
        assertEquals(1, started[1].getCount());
        assertEquals(List.of(), sleeper.sleeps(), "no backoff past the deadline either");
        assertEquals(0, retryMetrics.count("r", Outcome.RETRIED));
        assertEquals(1, metrics.count("t", Outcome.TIMED_OUT));
    }

    @Test
    void aSyncTotalTimeoutInterruptsTheRetrysBackoff() throws Exception {
        CountDownLatch sleeping = new CountDownLatch(1);
        AtomicInteger attempts = new AtomicInteger();
        InMemoryMetrics retryMetrics = new InMemoryMetrics(ticker, 4);
        Retry retry = Retry.builder("r").maxAttempts(5).backoff(Backoff.fixed(Duration.ofMillis(10)))
                .ticker(ticker).metrics(retryMetrics).sleeper(nanos -> {
                    sleeping.countDown();
                    new CountDownLatch(1).await(); // until interrupted
                }).build();
        Pipeline total = Pipeline.of(timeout(100), retry);
        Future<Object> caller = callers.submit(() -> total.call(() -> {
            attempts.incrementAndGet();
            throw new IOException();
        }));
        assertTrue(sleeping.await(10, TimeUnit.SECONDS));
        await().until(() -> scheduler.pending() == 1);
        scheduler.advance(Duration.ofMillis(100));
        ExecutionException e = assertThrows(ExecutionException.class, () -> caller.get(10, TimeUnit.SECONDS));
        assertInstanceOf(TimeoutExceededException.class, e.getCause());
        await().until(() -> retryMetrics.count("r", Outcome.FAILURE) == 1);
        assertEquals(1, attempts.get(), "the interrupted backoff stopped the retry");
    }

    @Test
    void invalidSettingsAreRefusedWithFieldAndValue() {
        assertEquals("timeout must be > 0 but was PT0S", assertThrows(IllegalArgumentException.class,
                () -> Timeout.builder("t").timeout(Duration.ZERO).build()).getMessage());
    }

    @Test
    void toBuilderKeepsAnUnsetSinkUnsetSoTheDerivedPolicyTakesTheDefaultOfItsOwnBuild() throws Exception {
        InMemoryMetrics first = new InMemoryMetrics();
        InMemoryMetrics second = new InMemoryMetrics();
        try {
            Metrics.setDefault(first);
            Timeout original = Timeout.builder("derived").ticker(ticker).scheduler(scheduler).build();
            Metrics.setDefault(second);
            Timeout derived = original.toBuilder().timeout(Duration.ofSeconds(2)).build();
            assertEquals(Duration.ofSeconds(2), derived.config().timeout());
            assertEquals("ok", derived.callAsync(() -> CompletableFuture.completedFuture("ok")).toCompletableFuture()
                    .get());
            assertEquals(1, second.count("derived", Outcome.SUCCESS), "the default of the derived build");
            assertEquals(0, first.count("derived", Outcome.SUCCESS));

            timeout(100).toBuilder().timeout(Duration.ofMillis(200)).build()
                    .callAsync(() -> CompletableFuture.completedFuture("ok"));
            assertEquals(1, metrics.count("t", Outcome.SUCCESS), "a sink that was set is carried on");
        } finally {
            Metrics.setDefault(null);
        }
    }
}
