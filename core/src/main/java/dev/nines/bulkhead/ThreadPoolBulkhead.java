package dev.nines.bulkhead;

import dev.nines.AsyncCall;
import dev.nines.Call;
import dev.nines.CallContext;
import dev.nines.Next;
import dev.nines.Policy;
import dev.nines.Ticker;
import dev.nines.internal.Exceptions;
import dev.nines.internal.Mdc;
import dev.nines.internal.Validation;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.Outcome;
import dev.nines.metrics.PolicyKinds;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs calls on a bounded pool of its own threads with a bounded queue in front, so a dependency
 * can use at most {@code maxThreads} threads and {@code queueCapacity} waiting slots. When both are
 * full the call is rejected at once with {@link BulkheadFullException}.
 *
 * <p>{@link #submit(Callable)} returns a {@link CompletionStage}; cancelling it interrupts the
 * work. Used as a {@link Policy}, the synchronous form runs the rest of the chain on the pool and
 * waits for it (an interrupted caller cancels and interrupts the work); the asynchronous form
 * <em>starts</em> the async call on the pool, so it bounds how many are being started at once.
 * The caller's SLF4J MDC is visible inside the work.
 *
 * <p>Defaults: as many threads as processors, a queue of 100, idle threads stop after 60 seconds.
 * Reports {@link PolicyKinds#BULKHEAD} outcomes and the gauges {@value #GAUGE_IN_FLIGHT} and
 * {@value #GAUGE_QUEUE_DEPTH}. Thread-safe. {@link #close()} stops the pool.
 */
public final class ThreadPoolBulkhead implements Policy, AutoCloseable {

    /** Gauge: calls running on the pool now. */
    public static final String GAUGE_IN_FLIGHT = "in_flight";
    /** Gauge: calls waiting in the queue now. */
    public static final String GAUGE_QUEUE_DEPTH = "queue_depth";

    private final String name;
    private final int maxThreads;
    private final int queueCapacity;
    private final Duration keepAlive;
    private final Ticker ticker;
    private final MetricsSink metrics;
    private final boolean timed;
    private final BlockingQueue<Runnable> queue;
    private final ThreadPoolExecutor pool;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final BulkheadFullException full;

    private ThreadPoolBulkhead(Builder b) {
        this.name = b.name;
        this.maxThreads = b.maxThreads;
        this.queueCapacity = b.queueCapacity;
        this.keepAlive = b.keepAlive;
        this.ticker = b.ticker;
        this.metrics = Metrics.resolve(b.metrics);
        this.timed = metrics != MetricsSink.noop();
        this.queue = queueCapacity == 0 ? new SynchronousQueue<>() : new LinkedBlockingQueue<>(queueCapacity);
        AtomicInteger threads = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(maxThreads, maxThreads, Validation.nanos(keepAlive), TimeUnit.NANOSECONDS,
                queue, r -> {
                    Thread t = new Thread(r, "nines-bulkhead-" + b.name + "-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
        this.full = new BulkheadFullException(name, "thread-pool bulkhead '" + name + "' is full (" + maxThreads
                + " threads, queue of " + queueCapacity + ")");
    }

    private ThreadPoolBulkhead registerGauges() {
        metrics.registerGauge(name, PolicyKinds.BULKHEAD, GAUGE_IN_FLIGHT, this::inFlight);
        metrics.registerGauge(name, PolicyKinds.BULKHEAD, GAUGE_QUEUE_DEPTH, this::queueDepth);
        return this;
    }

    /** Starts a builder for a bulkhead with the given name. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder holding this bulkhead's settings, to derive another one (with its own pool). */
    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.maxThreads = maxThreads;
        b.queueCapacity = queueCapacity;
        b.keepAlive = keepAlive;
        b.ticker = ticker;
        b.metrics = metrics;
        return b;
    }

    @Override
    public String name() {
        return name;
    }

    /** The most calls running at once. */
    public int maxThreads() {
        return maxThreads;
    }

    /** The most calls waiting for a thread. */
    public int queueCapacity() {
        return queueCapacity;
    }

    /** Calls running on the pool now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Calls waiting in the queue now. */
    public int queueDepth() {
        return queue.size();
    }

    /** Runs {@code call} on the pool; the stage fails with {@link BulkheadFullException} when full. */
    public <T> CompletionStage<T> submit(Callable<T> call) {
        return submit(CallContext.empty(), Objects.requireNonNull(call, "call"), Next.END);
    }

    /** Runs {@code call} on the pool with the given context. */
    public <T> CompletionStage<T> submit(CallContext context, Call<T> call) {
        return submit(Objects.requireNonNull(context, "context"), Objects.requireNonNull(call, "call"), Next.END);
    }

    @Override
    public <T> T execute(CallContext context, Callable<T> call, Next next) throws Exception {
        CompletableFuture<T> result = submit(context, call, next);
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
        Call<CompletionStage<T>> start = ctx -> next.callAsync(ctx, call);
        CompletableFuture<CompletionStage<T>> started = submit(context, start, Next.END);
        return started.thenCompose(stage -> stage);
    }

    private <T> CompletableFuture<T> submit(CallContext context, Callable<T> call, Next next) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Map<String, String> mdc = Mdc.capture();
        FutureTask<Void> task = new FutureTask<>(Mdc.wrap(mdc, () -> run(context, call, next, result)), null);
        try {
            pool.execute(task);
        } catch (RejectedExecutionException e) {
            metrics.onOutcome(name, PolicyKinds.BULKHEAD, Outcome.REJECTED, 0);
            return CompletableFuture.failedFuture(full);
        }
        result.whenComplete((r, t) -> {
            if (result.isCancelled()) {
                task.cancel(true); // interrupts the work only while it runs
            }
        });
        return result;
    }

    private <T> void run(CallContext context, Callable<T> call, Next next, CompletableFuture<T> result) {
        if (result.isDone()) {
            return; // cancelled while queued
        }
        inFlight.incrementAndGet();
        long start = timed ? ticker.read() : 0;
        try {
            T value = next.call(context, call);
            record(Outcome.SUCCESS, start);
            result.complete(value);
        } catch (Throwable t) {
            record(Outcome.FAILURE, start);
            result.completeExceptionally(t);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void record(Outcome outcome, long start) {
        if (timed) {
            metrics.onOutcome(name, PolicyKinds.BULKHEAD, outcome, ticker.read() - start);
        }
    }

    /** Stops accepting calls; calls already running or queued finish. */
    @Override
    public void close() {
        pool.shutdown();
    }

    @Override
    public String toString() {
        return "ThreadPoolBulkhead[" + name + ", inFlight=" + inFlight() + "/" + maxThreads + ", queued="
                + queueDepth() + "/" + queueCapacity + "]";
    }

    /**
     * Configures a {@link ThreadPoolBulkhead}. {@link #build()} checks every setting and names each bad
     * field with its value; setters reject only {@code null}. Not thread-safe.
     */
    public static final class Builder {
        private final String name;
        private int maxThreads = Runtime.getRuntime().availableProcessors();
        private int queueCapacity = 100;
        private Duration keepAlive = Duration.ofSeconds(60);
        private Ticker ticker = Ticker.system();
        private MetricsSink metrics;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** The most calls running at once; at least 1. Default: the number of processors. */
        public Builder maxThreads(int maxThreads) {
            this.maxThreads = maxThreads;
            return this;
        }

        /** The most calls waiting for a thread; 0 means none wait. Default 100. */
        public Builder queueCapacity(int queueCapacity) {
            this.queueCapacity = queueCapacity;
            return this;
        }

        /** How long an idle thread lives. Default 60 seconds. */
        public Builder keepAlive(Duration keepAlive) {
            this.keepAlive = Objects.requireNonNull(keepAlive, "keepAlive");
            return this;
        }

        /** Times calls for metrics. Default {@link Ticker#system()}. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** Where outcomes and gauges go. Default {@link Metrics#getDefault()}. */
        public Builder metrics(MetricsSink metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /**
         * Builds the bulkhead, its pool and registers its gauges.
         *
         * @throws IllegalArgumentException naming every invalid setting and its value
         */
        public ThreadPoolBulkhead build() {
            new Validation().name(name)
                    .atLeast("maxThreads", maxThreads, 1)
                    .atLeast("queueCapacity", queueCapacity, 0)
                    .positive("keepAlive", keepAlive)
                    .throwIfInvalid();
            return new ThreadPoolBulkhead(this).registerGauges();
        }
    }
}
