package dev.nines.bulkhead;

import dev.nines.AsyncCall;
import dev.nines.Call;
import dev.nines.CallContext;
import dev.nines.Next;
import dev.nines.Policy;
import dev.nines.bulkhead.internal.BoundedPool;
import dev.nines.internal.BuildRecorder;
import dev.nines.internal.Exceptions;
import dev.nines.internal.Validation;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.PolicyKinds;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * Runs calls on a bounded pool of its own threads with a bounded queue in front, so a dependency
 * can use at most {@code maxThreads} threads and {@code queueCapacity} waiting slots. When both are
 * full the call is rejected at once with {@link BulkheadFullException}.
 *
 * <p>Admission is one lock-free counter of accepted, unfinished calls, bounded by
 * {@code maxThreads + queueCapacity}; the pool's own queue is unbounded and never rejects. A call
 * gives its slot back exactly once: when it has run (before its stage completes, so the caller may
 * call again at once, even with {@code queueCapacity} 0), or when it is cancelled while still
 * queued (it is then removed from the queue).
 *
 * <p>{@link #submit(Callable)} returns a {@link CompletionStage}; cancelling it removes a queued
 * call or interrupts a running one. Used as a {@link Policy}, the synchronous form runs the rest of
 * the chain on the pool and waits for it (an interrupted caller cancels and interrupts the work);
 * the asynchronous form <em>starts</em> the async call on the pool, so it bounds how many are being
 * started at once, and cancelling its stage reaches the queued start or the started call's stage.
 * The caller's thread-bound context travels to the work through the
 * {@link dev.nines.context.ContextPropagator} in use (a copy of the SLF4J MDC by default) and the
 * worker's own is put back after. On Java 21+ the pool's threads can be virtual
 * ({@link ThreadPoolBulkheadBuilder#virtualThreads(boolean)}); the bound stays {@code maxThreads}.
 *
 * <p>Built by {@link ThreadPoolBulkheadBuilder}; settings and defaults in
 * {@link ThreadPoolBulkheadConfig} (as many threads as processors, a queue of 100, idle threads
 * stop after 60 seconds).
 * Reports {@link PolicyKinds#BULKHEAD} outcomes (an async call's when its stage completes, timed
 * from its start: {@code SUCCESS}, {@code FAILURE}, or {@code IGNORED} once its caller cancelled)
 * and the gauges {@value #GAUGE_IN_FLIGHT} and
 * {@value #GAUGE_QUEUE_DEPTH}, read together from the one counter. Thread-safe. {@link #close()}
 * stops the pool.
 */
public final class ThreadPoolBulkhead implements Policy, AutoCloseable {

    /** Gauge: calls running on the pool now. */
    public static final String GAUGE_IN_FLIGHT = "in_flight";
    /**
     * Gauge: queue slots in use now, that is accepted calls beyond one per thread; it reaches
     * {@code queueCapacity} exactly when the next call would be rejected.
     */
    public static final String GAUGE_QUEUE_DEPTH = "queue_depth";

    private final ThreadPoolBulkheadConfig config;
    private final String name;
    /** The pool and its admission counter; called directly on every path. */
    private final BoundedPool pool;

    ThreadPoolBulkhead(ThreadPoolBulkheadConfig config) {
        this.config = config;
        this.name = config.name();
        this.pool = new BoundedPool(name, config.maxThreads(), config.queueCapacity(),
                Validation.nanos(config.keepAlive()), config.ticker(), config.metrics(), config.virtualThreads());
        BuildRecorder.record("ThreadPoolBulkhead", name, pool);
    }

    ThreadPoolBulkhead registerGauges() {
        MetricsSink metrics = config.metrics();
        metrics.registerGauge(name, PolicyKinds.BULKHEAD, GAUGE_IN_FLIGHT, this::inFlight);
        metrics.registerGauge(name, PolicyKinds.BULKHEAD, GAUGE_QUEUE_DEPTH, this::queueDepth);
        return this;
    }

    /** Starts a builder for a bulkhead with the given name. */
    public static ThreadPoolBulkheadBuilder builder(String name) {
        return new ThreadPoolBulkheadBuilder(name);
    }

    /**
     * A builder holding this bulkhead's settings, to derive another one (with its own pool). What
     * was never set stays unset: without {@code maxThreads} the derived bulkhead counts the
     * processors again, and without a {@code metrics} sink of its own it takes
     * {@link Metrics#getDefault()}, the forwarding default.
     */
    public ThreadPoolBulkheadBuilder toBuilder() {
        return new ThreadPoolBulkheadBuilder(config);
    }

    /** This bulkhead's settings, every default resolved. */
    public ThreadPoolBulkheadConfig config() {
        return config;
    }

    @Override
    public String name() {
        return name;
    }

    /** Calls running on the pool now. */
    public int inFlight() {
        return pool.inFlight();
    }

    /** Queue slots in use now: accepted, unfinished calls beyond one per thread. */
    public int queueDepth() {
        return pool.queueDepth();
    }

    /** Runs {@code call} on the pool; the stage fails with {@link BulkheadFullException} when full. */
    public <T> CompletionStage<T> submit(Callable<T> call) {
        return pool.submit(CallContext.empty(), Objects.requireNonNull(call, "call"), Next.END);
    }

    /** Runs {@code call} on the pool with the given context. */
    public <T> CompletionStage<T> submit(CallContext context, Call<T> call) {
        return pool.submit(Objects.requireNonNull(context, "context"), Objects.requireNonNull(call, "call"), Next.END);
    }

    @Override
    public <T> T execute(CallContext context, Callable<T> call, Next next) throws Exception {
        CompletableFuture<T> result = pool.submit(context, call, next);
        try {
            return result.get();
        } catch (ExecutionException e) {
            throw Exceptions.rethrow(Exceptions.unwrap(e));
        } catch (InterruptedException e) {
            result.cancel(true);
            Thread.currentThread().interrupt();
            throw e;
        }
    }

    @Override
    public <T> CompletionStage<T> executeAsync(CallContext context, AsyncCall<T> call, Next next) {
        return pool.start(context, call, next);
    }

    /** Stops accepting calls; calls already running or queued finish. */
    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return "ThreadPoolBulkhead[" + name + ", inFlight=" + inFlight() + "/" + config.maxThreads() + ", queued="
                + queueDepth() + "/" + config.queueCapacity() + "]";
    }
}
