package dev.nines.bulkhead.internal;

import dev.nines.AsyncCall;
import dev.nines.CallContext;
import dev.nines.Next;
import dev.nines.Ticker;
import dev.nines.bulkhead.BulkheadFullException;
import dev.nines.internal.Exceptions;
import dev.nines.internal.Contexts;
import dev.nines.internal.QuiescentInvariants;
import dev.nines.internal.VirtualThreads;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.Outcome;
import dev.nines.metrics.PolicyKinds;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The engine of a {@link dev.nines.bulkhead.ThreadPoolBulkhead}: a pool of its own threads behind
 * one lock-free admission counter of accepted, unfinished calls, bounded by
 * {@code maxThreads + queueCapacity}; the pool's own queue is unbounded and never rejects.
 *
 * <p>A call gives its slot back exactly once: when it has run (before its stage completes, so the
 * caller may call again at once), or when it is cancelled while still queued (it is then removed
 * from the queue). Reports {@link PolicyKinds#BULKHEAD} outcomes to the sink, timed with the
 * ticker only when the sink is not the no-op one. Thread-safe. Not part of the public API.
 */
public final class BoundedPool implements QuiescentInvariants {

    /** {@link #slots} holds the calls running in its low 31 bits and the calls accepted above them. */
    private static final long RUNNING = 1L;
    private static final long ACCEPTED = 1L << 31;
    private static final long RUNNING_MASK = ACCEPTED - 1;

    private static final int NEW = 0;
    private static final int STARTED = 1;
    private static final int WITHDRAWN = 2;

    private final String name;
    private final int maxThreads;
    private final long capacity;
    private final Ticker ticker;
    private final MetricsSink metrics;
    private final ThreadPoolExecutor pool;
    /** Accepted, unfinished calls and, of those, the ones running: one word, so both move at once. */
    private final AtomicLong slots = new AtomicLong();
    private final BulkheadFullException full;

    /**
     * Starts no thread yet; threads are made on demand, named {@code nines-bulkhead-<name>-<n>},
     * daemon, and stop after {@code keepAliveNanos} idle; with {@code virtualThreads} (Java 21+ only)
     * they are virtual threads named {@code nines-bulkhead-<name>-virtual-<n>}.
     */
    public BoundedPool(String name, int maxThreads, int queueCapacity, long keepAliveNanos, Ticker ticker,
            MetricsSink metrics, boolean virtualThreads) {
        this.name = name;
        this.maxThreads = maxThreads;
        this.capacity = (long) maxThreads + queueCapacity;
        this.ticker = ticker;
        this.metrics = metrics;
        AtomicInteger threads = new AtomicInteger();
        ThreadFactory factory = virtualThreads ? VirtualThreads.factory("nines-bulkhead-" + name + "-virtual-") : r -> {
            Thread t = new Thread(r, "nines-bulkhead-" + name + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        // the admission counter bounds the calls; this queue only hands them to the threads
        this.pool = new ThreadPoolExecutor(maxThreads, maxThreads, keepAliveNanos, TimeUnit.NANOSECONDS,
                new LinkedBlockingQueue<>(), factory, new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
        this.full = new BulkheadFullException(name, "thread-pool bulkhead '" + name + "' is full (" + maxThreads
                + " threads, queue of " + queueCapacity + ")");
    }

    /** Calls running on the pool now. */
    public int inFlight() {
        return (int) (slots.get() & RUNNING_MASK);
    }

    /** Queue slots in use now: accepted, unfinished calls beyond one per thread. */
    public int queueDepth() {
        return (int) Math.max(0L, accepted(slots.get()) - maxThreads);
    }

    private static long accepted(long word) {
        return word >>> 31;
    }

    /** Takes a slot if fewer than {@code maxThreads + queueCapacity} calls are accepted and unfinished. */
    private boolean tryAccept() {
        long seen = slots.get();
        while (accepted(seen) < capacity) {
            if (slots.compareAndSet(seen, seen + ACCEPTED)) {
                return true;
            }
            seen = slots.get(); // another call won: decide again on fresh state
        }
        return false;
    }

    /** Runs the rest of the chain with {@code call} on the pool; the stage completes with its outcome. */
    public <T> CompletableFuture<T> submit(CallContext context, Callable<T> call, Next next) {
        return enqueue(new Job<>(context, call, null, next));
    }

    /** Starts the async {@code call} on the pool; the stage follows the stage the call returns. */
    public <T> CompletableFuture<T> start(CallContext context, AsyncCall<T> call, Next next) {
        return enqueue(new Job<>(context, null, call, next));
    }

    private <T> CompletableFuture<T> enqueue(Job<T> job) {
        if (!tryAccept()) {
            metrics.onOutcome(name, PolicyKinds.BULKHEAD, Outcome.REJECTED, 0);
            return CompletableFuture.failedFuture(full);
        }
        try {
            job.task = new FutureTask<>(Contexts.capture(job::run), null);
            pool.execute(job.task);
        } catch (Throwable t) { // closed, or out of memory: the slot is not used after all
            if (job.state.compareAndSet(NEW, WITHDRAWN)) {
                slots.addAndGet(-ACCEPTED);
            }
            metrics.onOutcome(name, PolicyKinds.BULKHEAD, Outcome.REJECTED, 0);
            return CompletableFuture.failedFuture(t instanceof RejectedExecutionException ? full : t);
        }
        return job;
    }

    /** A start time meaning the call was not timed: no sink was listening when it began. */
    private static final long UNTIMED = Long.MIN_VALUE;

    private void record(Outcome outcome, long start) {
        if (start != UNTIMED) {
            metrics.onOutcome(name, PolicyKinds.BULKHEAD, outcome, ticker.read() - start);
        }
    }

    /**
     * At rest no call is accepted and unfinished: every slot was given back by the call that ran
     * or by the cancel that withdrew it, and none is counted as running. Reads only.
     */
    @Override
    public void check(Consumer<String> violations) {
        long word = slots.get();
        if (word != 0) {
            violations.accept("every slot must be back at rest but " + accepted(word) + " call(s) were accepted and "
                    + "unfinished, " + (word & RUNNING_MASK) + " of them running");
        }
    }

    /** Stops accepting calls; calls already running or queued finish. */
    public void close() {
        pool.shutdown();
    }

    /**
     * One accepted call: the stage its caller holds, and the task that runs it (a sync call) or
     * starts it (an async call). It gives its slot back exactly once: the thread that moves
     * {@link #state} away from {@code NEW} owns the slot, either the pool thread (which releases it
     * after running) or a cancel that withdraws the call from the queue.
     */
    private final class Job<T> extends CompletableFuture<T> {
        final AtomicInteger state = new AtomicInteger(NEW);
        private final CallContext context;
        private final Callable<T> call;
        private final AsyncCall<T> asyncCall;
        private final Next next;
        volatile FutureTask<Void> task;
        /** The started async call's stage, for a cancel to reach. */
        private volatile CompletionStage<T> started;

        Job(CallContext context, Callable<T> call, AsyncCall<T> asyncCall, Next next) {
            this.context = context;
            this.call = call;
            this.asyncCall = asyncCall;
            this.next = next;
        }

        /** On a pool thread. */
        void run() {
            if (!state.compareAndSet(NEW, STARTED)) {
                return; // withdrawn while queued: its slot is already back
            }
            slots.addAndGet(RUNNING);
            T value = null;
            CompletionStage<T> stage = null;
            Throwable failure = null;
            long start = UNTIMED;
            try {
                start = Metrics.isNoop(metrics) ? UNTIMED : ticker.read();
                try {
                    if (call != null) {
                        value = next.call(context, call);
                        record(Outcome.SUCCESS, start);
                    } else {
                        // recorded when the stage completes: a started call has not succeeded yet
                        stage = next.callAsync(context, asyncCall);
                        if (stage == null) {
                            throw new NullPointerException("the async call returned null instead of a stage");
                        }
                    }
                } catch (Throwable t) {
                    failure = t;
                    record(Outcome.FAILURE, start);
                }
            } catch (Throwable t) {
                failure = failure == null ? t : failure;
            } finally {
                // before the stage completes, so a caller seeing the result can call again at once
                slots.addAndGet(-(ACCEPTED + RUNNING));
            }
            if (failure != null) {
                completeExceptionally(failure);
            } else if (call != null) {
                complete(value);
            } else {
                follow(stage, start);
            }
        }

        /**
         * Completes with the started call's stage and records its outcome then, as the sync path
         * does when the call returns: SUCCESS, FAILURE, or IGNORED when the caller cancelled it.
         */
        private void follow(CompletionStage<T> stage, long start) {
            started = stage;
            stage.whenComplete((v, t) -> {
                try {
                    record(isCancelled() ? Outcome.IGNORED : t == null ? Outcome.SUCCESS : Outcome.FAILURE, start);
                } finally {
                    if (t == null) {
                        complete(v);
                    } else {
                        completeExceptionally(Exceptions.unwrap(t));
                    }
                }
            });
            if (isCancelled()) {
                cancelStarted(); // a cancel that came before the stage was published
            }
        }

        /**
         * The caller gave up: a queued call is withdrawn and removed from the queue, freeing its
         * slot; a running one is interrupted; a started async call's stage is cancelled.
         */
        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled) {
                FutureTask<Void> t = task;
                if (state.compareAndSet(NEW, WITHDRAWN)) {
                    if (t != null) {
                        pool.remove(t);
                        t.cancel(false);
                    }
                    slots.addAndGet(-ACCEPTED);
                } else {
                    if (t != null) {
                        t.cancel(true); // interrupts the work only while it runs
                    }
                    cancelStarted();
                }
            }
            return cancelled;
        }

        private void cancelStarted() {
            CompletionStage<T> s = started;
            if (s instanceof Future) {
                ((Future<?>) s).cancel(true);
            }
        }
    }
}
