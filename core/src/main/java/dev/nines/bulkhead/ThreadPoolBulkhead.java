package dev.nines.bulkhead;

import dev.nines.AsyncCall;
import dev.nines.Call;
import dev.nines.CallContext;
import dev.nines.Next;
import dev.nines.Policy;
import dev.nines.Ticker;
import dev.nines.bulkhead.internal.BoundedPool;
import dev.nines.internal.Exceptions;
import dev.nines.internal.Validation;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.PolicyKinds;
import java.time.Duration;
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
 * The caller's SLF4J MDC is visible inside the work.
 *
 * <p>Defaults: as many threads as processors, a queue of 100, idle threads stop after 60 seconds.
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

    private final String name;
    private final int maxThreads;
    /** The {@code maxThreads} the builder was given, {@code null} for the default: what toBuilder() carries on. */
    private final Integer configuredMaxThreads;
    private final int queueCapacity;
    private final Duration keepAlive;
    private final Ticker ticker;
    private final MetricsSink metrics;
    /** The sink the builder was given, {@code null} for the default: what {@link #toBuilder()} carries on. */
    private final MetricsSink configuredMetrics;
    /** The pool and its admission counter; called directly on every path. */
    private final BoundedPool pool;

    private ThreadPoolBulkhead(Builder b) {
        this.name = b.name;
        this.maxThreads = b.resolvedMaxThreads();
        this.configuredMaxThreads = b.maxThreads;
        this.queueCapacity = b.queueCapacity;
        this.keepAlive = b.keepAlive;
        this.ticker = b.ticker;
        this.metrics = Metrics.resolve(b.metrics);
        this.configuredMetrics = b.metrics;
        this.pool = new BoundedPool(name, maxThreads, queueCapacity, Validation.nanos(keepAlive), ticker, metrics);
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

    /**
     * A builder holding this bulkhead's settings, to derive another one (with its own pool). What
     * was never set stays unset: without {@code maxThreads} the derived bulkhead counts the
     * processors again, and without a {@code metrics} sink of its own it takes
     * {@link Metrics#getDefault()} of its own {@code build()}.
     */
    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.maxThreads = configuredMaxThreads;
        b.queueCapacity = queueCapacity;
        b.keepAlive = keepAlive;
        b.ticker = ticker;
        b.metrics = configuredMetrics; // unset stays unset: the default of the new build()
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
        return "ThreadPoolBulkhead[" + name + ", inFlight=" + inFlight() + "/" + maxThreads + ", queued="
                + queueDepth() + "/" + queueCapacity + "]";
    }

    /**
     * Configures a {@link ThreadPoolBulkhead}. {@link #build()} checks every setting and names each bad
     * field with its value; setters reject only {@code null}. Not thread-safe.
     */
    public static final class Builder {
        private final String name;
        /** {@code null} until set: the number of processors at {@link #build()}. */
        private Integer maxThreads;
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

        private int resolvedMaxThreads() {
            return maxThreads == null ? Runtime.getRuntime().availableProcessors() : maxThreads;
        }

        /**
         * Builds the bulkhead, its pool and registers its gauges.
         *
         * @throws IllegalArgumentException naming every invalid setting and its value
         */
        public ThreadPoolBulkhead build() {
            new Validation().name(name)
                    .atLeast("maxThreads", resolvedMaxThreads(), 1)
                    .atLeast("queueCapacity", queueCapacity, 0)
                    .positive("keepAlive", keepAlive)
                    .throwIfInvalid();
            return new ThreadPoolBulkhead(this).registerGauges();
        }
    }
}
