package dev.nines.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.CallContext;
import dev.nines.ManualTicker;
import dev.nines.bulkhead.ThreadPoolBulkhead;
import dev.nines.internal.Contexts;
import dev.nines.retry.Backoff;
import dev.nines.retry.Retry;
import dev.nines.testing.ManualScheduler;
import dev.nines.timeout.Timeout;
import dev.nines.timeout.TimeoutExceededException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** Every thread hop nines makes runs its work with the installed propagator, found by ServiceLoader. */
class ContextPropagatorTest {

    private final ManualTicker ticker = new ManualTicker();
    private final ManualScheduler scheduler = new ManualScheduler(ticker);

    @AfterEach
    void clear() {
        TaggingPropagator.TAG.remove();
        MDC.clear();
    }

    @Test
    void theServiceFileReplacesTheMdcDefault() {
        assertInstanceOf(TaggingPropagator.class, ContextPropagator.installed());
        assertEquals("ContextPropagator.mdc()", ContextPropagator.mdc().toString());
    }

    @Test
    void aSyncTimeoutRunsTheWorkWithTheCallersContextAndRestoresTheWorkers() throws Exception {
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try {
            worker.submit(() -> TaggingPropagator.TAG.set("worker's")).get(10, TimeUnit.SECONDS);
            Timeout t = Timeout.builder("t").timeout(Duration.ofSeconds(30)).executor(worker).build();
            TaggingPropagator.TAG.set("caller's");
            MDC.put("requestId", "r-1");
            assertEquals("caller's r-1", t.call(() -> TaggingPropagator.TAG.get() + " " + MDC.get("requestId")));
            assertEquals("worker's", worker.submit(TaggingPropagator.TAG::get).get(10, TimeUnit.SECONDS),
                    "the worker's own value is back after the call");
        } finally {
            worker.shutdownNow();
        }
    }

    @Test
    void aThreadPoolBulkheadRunsTheWorkWithTheCallersContext() throws Exception {
        ThreadPoolBulkhead b = ThreadPoolBulkhead.builder("b").maxThreads(1).build();
        TaggingPropagator.TAG.set("caller's");
        assertEquals("caller's", b.submit(TaggingPropagator.TAG::get)
                .toCompletableFuture().get(10, TimeUnit.SECONDS));
        TaggingPropagator.TAG.set("another caller's");
        assertEquals("another caller's", b.submit(TaggingPropagator.TAG::get)
                .toCompletableFuture().get(10, TimeUnit.SECONDS), "a reused pool thread gets each caller's value");
    }

    @Test
    void anAsyncRetryRunsItsLaterAttemptsWithTheCallersContext() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        Retry r = Retry.builder("r").maxAttempts(2).backoff(Backoff.fixed(Duration.ofMillis(10))).ticker(ticker)
                .scheduler(scheduler).build();
        TaggingPropagator.TAG.set("caller's");
        CompletableFuture<String> f = r.<String>callAsync(CallContext.empty(), ctx -> {
            seen.add(TaggingPropagator.TAG.get());
            return ctx.attempt() == 1 ? CompletableFuture.failedFuture(new IOException())
                    : CompletableFuture.completedFuture("ok");
        }).toCompletableFuture();
        TaggingPropagator.TAG.set("scheduler's"); // the manual scheduler runs the backoff on this thread
        scheduler.advance(Duration.ofMillis(10));
        assertEquals("ok", f.get());
        assertEquals(List.of("caller's", "caller's"), seen);
        assertEquals("scheduler's", TaggingPropagator.TAG.get(), "the scheduler thread's own value is back");
    }

    @Test
    void stagesDependingOnAnAsyncTimeoutRunWithTheCallersContextOnTheTimer() {
        Timeout t = Timeout.builder("t").timeout(Duration.ofMillis(5)).ticker(ticker).scheduler(scheduler).build();
        TaggingPropagator.TAG.set("caller's");
        List<String> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<Object> f = t.callAsync(CallContext.empty(), ctx -> new CompletableFuture<>())
                .toCompletableFuture();
        f.whenComplete((v, e) -> seen.add(TaggingPropagator.TAG.get() + " " + e.getClass().getSimpleName()));
        TaggingPropagator.TAG.set("timer's");
        scheduler.advance(Duration.ofMillis(5));
        assertEquals(List.of("caller's " + TimeoutExceededException.class.getSimpleName()), seen);
        assertEquals("timer's", TaggingPropagator.TAG.get());
    }

    @Test
    void severalPropagatorsNestInTheOrderOfTheirClassNames() {
        List<String> order = new CopyOnWriteArrayList<>();
        ContextPropagator combined = Contexts.combine(List.of(
                new Second(order), new First(order)));
        combined.capture(() -> order.add("task")).run();
        assertEquals(List.of("First in", "Second in", "task", "Second out", "First out"), order);
        assertEquals(ContextPropagator.mdc(), Contexts.combine(List.of()));
    }

    @Test
    void virtualThreadsAreRefusedBeforeJava21AndUsedFrom21On() throws Exception {
        if (Runtime.version().feature() < 21) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Timeout.builder("t").virtualThreads(true).build());
            assertEquals("virtualThreads must be false on Java " + Runtime.version().feature()
                    + " (virtual threads need Java 21 or later) but was true", e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> ThreadPoolBulkhead.builder("b").virtualThreads(true).build());
            return;
        }
        Timeout t = Timeout.builder("t").timeout(Duration.ofSeconds(30)).virtualThreads(true).build();
        TaggingPropagator.TAG.set("caller's");
        assertEquals("true caller's", t.call(() -> isVirtual() + " " + TaggingPropagator.TAG.get()));
        assertTrue(t.config().virtualThreads());
        assertTrue(t.toBuilder().build().config().virtualThreads(), "toBuilder keeps the option");

        ThreadPoolBulkhead b = ThreadPoolBulkhead.builder("b").maxThreads(2).virtualThreads(true).build();
        assertEquals("true caller's", b.submit(() -> isVirtual() + " " + TaggingPropagator.TAG.get())
                .toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertFalse(isVirtual(), "the caller is a platform thread");

        ExecutorService own = Executors.newSingleThreadExecutor();
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Timeout.builder("t").executor(own).virtualThreads(true).build());
            assertTrue(e.getMessage().startsWith("virtualThreads must be false when an executor is set"), e.getMessage());
        } finally {
            own.shutdownNow();
        }
    }

    private static boolean isVirtual() throws ReflectiveOperationException {
        return (Boolean) Thread.class.getMethod("isVirtual").invoke(Thread.currentThread());
    }

    /** Records when it installs and removes its context. */
    private static class Recording implements ContextPropagator {
        private final List<String> order;

        Recording(List<String> order) {
            this.order = order;
        }

        @Override
        public Runnable capture(Runnable task) {
            String me = getClass().getSimpleName();
            return () -> {
                order.add(me + " in");
                try {
                    task.run();
                } finally {
                    order.add(me + " out");
                }
            };
        }
    }

    private static final class First extends Recording {
        First(List<String> order) {
            super(order);
        }
    }

    private static final class Second extends Recording {
        Second(List<String> order) {
            super(order);
        }
    }
}
