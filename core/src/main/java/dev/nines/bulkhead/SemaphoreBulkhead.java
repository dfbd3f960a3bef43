package dev.nines.bulkhead;

import dev.nines.AsyncCall;
import dev.nines.CallContext;
import dev.nines.Next;
import dev.nines.Policy;
import dev.nines.Reconfigurable;
import dev.nines.Ticker;
import dev.nines.bulkhead.internal.Permits;
import dev.nines.internal.BuildRecorder;
import dev.nines.internal.Exceptions;
import dev.nines.internal.Reconfiguration;
import dev.nines.internal.Settlement;
import dev.nines.internal.Validation;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.Outcome;
import dev.nines.metrics.PolicyKinds;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Limits how many calls run at once on the caller's own threads, so that one slow dependency
 * cannot take every thread of the service.
 *
 * <p>A call takes a permit, runs, and gives the permit back on every path: success, exception,
 * {@link Error}. When no permit is free the call waits up to {@code maxWait} (never past the
 * context's deadline), then fails with {@link BulkheadFullException}; a waiting thread that is
 * interrupted holds no permit and gets {@link InterruptedException}, with its interrupt status set
 * again. The asynchronous form never waits: it rejects at once when full and returns the permit
 * when the stage completes, or when the caller cancels the returned stage (reported as
 * {@link Outcome#IGNORED}); the cancel is passed to the call's own stage first, so the work nested
 * inside has been told to stop before its permit can go to another call.
 *
 * <p>Usable without lambdas: {@link #tryAcquirePermission()} then, exactly once,
 * {@link #releasePermission()}. Built by {@link SemaphoreBulkheadBuilder}; settings and defaults in
 * {@link SemaphoreBulkheadConfig} (25 concurrent calls, no waiting). Reports
 * {@link PolicyKinds#BULKHEAD} outcomes and the gauges {@value #GAUGE_IN_FLIGHT} and
 * {@value #GAUGE_AVAILABLE}. Thread-safe; the success path takes no lock and
 * allocates nothing: without {@code maxWait} the permits are one atomic counter, with it a
 * non-fair semaphore (an {@link java.util.concurrent.locks.AbstractQueuedSynchronizer} that never
 * counts more free permits than {@code maxConcurrent}).
 *
 * <p>{@link #reconfigure} changes {@code maxConcurrent} and {@code maxWait} at run time; calls in
 * flight keep their permits (see there).
 */
public final class SemaphoreBulkhead implements Policy, Reconfigurable<SemaphoreBulkheadConfig> {

    /** Gauge: calls holding a permit now. */
    public static final String GAUGE_IN_FLIGHT = "in_flight";
    /** Gauge: permits free now. */
    public static final String GAUGE_AVAILABLE = "available_permits";

    private final String name;
    private final Ticker ticker;
    private final MetricsSink metrics;
    private final Permits permits;
    private final ReentrantLock reconfiguring = new ReentrantLock(); // reconfigure only, never a call
    /** The settings in force; read by the rejection path only, the permits hold their own maximum. */
    private volatile Settings settings;

    /** One configuration's derived values, swapped whole by {@link #reconfigure}. */
    private record Settings(SemaphoreBulkheadConfig config, long maxWaitNanos, BulkheadFullException full) {
        static Settings of(SemaphoreBulkheadConfig c) {
            // one shared instance: it has no stack trace, no cause and no suppressed list to mutate
            return new Settings(c, Validation.nanos(c.maxWait()), new BulkheadFullException(c.name(),
                    "bulkhead '" + c.name() + "' is full (" + c.maxConcurrent() + " concurrent calls)"));
        }
    }

    SemaphoreBulkhead(SemaphoreBulkheadConfig config) {
        this.settings = Settings.of(config);
        this.name = config.name();
        this.ticker = config.ticker();
        this.metrics = config.metrics();
        this.permits = Permits.of(config.maxConcurrent(), settings.maxWaitNanos > 0);
        BuildRecorder.record("SemaphoreBulkhead", name, permits);
    }

    SemaphoreBulkhead registerGauges() {
        metrics.registerGauge(name, PolicyKinds.BULKHEAD, GAUGE_IN_FLIGHT, this::inFlight);
        metrics.registerGauge(name, PolicyKinds.BULKHEAD, GAUGE_AVAILABLE, this::availablePermits);
        return this;
    }

    /** Starts a builder for a bulkhead with the given name. */
    public static SemaphoreBulkheadBuilder builder(String name) {
        return new SemaphoreBulkheadBuilder(name);
    }

    /**
     * A builder holding this bulkhead's settings, to derive another one. What was never set stays
     * unset: without a {@code metrics} sink of its own, the derived bulkhead takes
     * {@link Metrics#getDefault()}, the forwarding default.
     */
    public SemaphoreBulkheadBuilder toBuilder() {
        return new SemaphoreBulkheadBuilder(settings.config);
    }

    /** This bulkhead's settings in force, every default resolved. */
    @Override
    public SemaphoreBulkheadConfig config() {
        return settings.config;
    }

    /**
     * Takes {@code config}'s {@code maxConcurrent} and {@code maxWait}. Calls in flight keep their
     * permits and give them back as usual: a lowered limit admits no new call until the calls in
     * flight drop below it, a raised one admits (and wakes waiters) at once; while the change is
     * made at most {@code max(old, new)} calls run. Threads already waiting keep the wait they
     * started with. {@code maxWait} may change between positive values, or stay zero, but not
     * between zero and positive (it chooses how permits are kept); the name, ticker and metrics
     * sink cannot change.
     *
     * @throws IllegalArgumentException naming what was refused; the current settings stay
     */
    @Override
    public void reconfigure(SemaphoreBulkheadConfig config) {
        Objects.requireNonNull(config, "config");
        reconfiguring.lock();
        try {
            Settings current = settings;
            Settings next = Settings.of(config);
            Reconfiguration.of(current.config.wiring, config.wiring)
                    .check((current.maxWaitNanos > 0) == (next.maxWaitNanos > 0), "maxWait cannot change between "
                            + "zero and positive at run time (was " + current.config.maxWait() + ", given "
                            + config.maxWait() + ")")
                    .throwIfRefused();
            permits.setMax(config.maxConcurrent());
            settings = next;
        } finally {
            reconfiguring.unlock();
            registerGauges(); // a bulkhead built for a config registered its own under this name: take them back
        }
        Reconfiguration.report(metrics, name);
    }

    @Override
    public String name() {
        return name;
    }

    /** Calls holding a permit now. */
    public int inFlight() {
        return permits.inUse();
    }

    /** Permits free now. */
    public int availablePermits() {
        return permits.available();
    }

    /**
     * Takes a permit if one is free now, without waiting. On {@code true} the caller must call
     * {@link #releasePermission()} exactly once, in a {@code finally} block.
     */
    public boolean tryAcquirePermission() {
        if (permits.tryAcquire()) {
            return true;
        }
        metrics.onOutcome(name, PolicyKinds.BULKHEAD, Outcome.REJECTED, 0);
        return false;
    }

    /**
     * Takes a permit, waiting up to {@code maxWait} (and never past the context's deadline).
     *
     * @throws BulkheadFullException when no permit became free in time
     * @throws InterruptedException  when interrupted while waiting; the interrupt status is set again
     */
    public void acquirePermission(CallContext context) throws InterruptedException {
        if (!permits.tryAcquire()) {
            awaitPermission(context);
        }
    }

    /** The slow path: no permit was free at once. */
    private void awaitPermission(CallContext context) throws InterruptedException {
        Settings s = settings;
        long wait = Math.min(s.maxWaitNanos, context.remainingNanos());
        if (wait > 0) {
            try {
                if (permits.tryAcquire(wait)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw e;
            }
        }
        metrics.onOutcome(name, PolicyKinds.BULKHEAD, Outcome.REJECTED, 0);
        throw s.full;
    }

    /**
     * Gives back a permit taken by {@link #tryAcquirePermission()} or {@link #acquirePermission};
     * call it exactly once per permit. A release with no permit held at all fails, exactly: of
     * releases racing for the last held permit, one passes and the others fail. A second release
     * of one permit while other calls hold theirs cannot be told apart from theirs, and would let
     * one call too many in.
     *
     * @throws IllegalStateException if no permit is held
     */
    public void releasePermission() {
        if (!permits.release()) { // the check and the release are one compare-and-set
            throw new IllegalStateException("bulkhead '" + name + "': releasePermission() with no permit held");
        }
    }

    @Override
    public <T> T execute(CallContext context, Callable<T> call, Next next) throws Exception {
        if (!permits.tryAcquire()) {
            awaitPermission(context);
        }
        long start = UNTIMED;
        try { // nothing between taking the permit and this try can throw
            if (!Metrics.isNoop(metrics)) {
                start = ticker.read();
            }
            T result = next.call(context, call);
            record(Outcome.SUCCESS, start);
            return result;
        } catch (Throwable t) {
            record(Outcome.FAILURE, start);
            throw Exceptions.rethrow(t);
        } finally {
            permits.release();
        }
    }

    @Override
    public <T> CompletionStage<T> executeAsync(CallContext context, AsyncCall<T> call, Next next) {
        if (!tryAcquirePermission()) {
            return CompletableFuture.failedFuture(settings.full);
        }
        Held<T> held = null;
        try { // nothing between taking the permit and this try can throw
            held = new Held<>(this, Metrics.isNoop(metrics) ? UNTIMED : ticker.read());
            return held.watch(next.callAsync(context, call));
        } catch (Throwable t) {
            if (held == null) { // once watching began, the settlement gives the permit back
                permits.release();
            }
            return CompletableFuture.failedFuture(t);
        }
    }

    /** One asynchronous call's permit, given back exactly once: when the call ends or is abandoned. */
    private static final class Held<T> extends Settlement<T> {
        private static final long serialVersionUID = 1L;

        private final transient SemaphoreBulkhead bulkhead;
        private final long start;

        Held(SemaphoreBulkhead bulkhead, long start) {
            this.bulkhead = bulkhead;
            this.start = start;
        }

        @Override
        protected void completed(T value, Throwable failure) {
            bulkhead.permits.release();
            bulkhead.record(failure == null ? Outcome.SUCCESS : Outcome.FAILURE, start);
        }

        @Override
        protected void abandoned() {
            bulkhead.permits.release();
            bulkhead.record(Outcome.IGNORED, start);
        }
    }

    /** A start time meaning the call was not timed: no sink was listening when it began. */
    private static final long UNTIMED = Long.MIN_VALUE;

    private void record(Outcome outcome, long start) {
        if (start != UNTIMED) {
            metrics.onOutcome(name, PolicyKinds.BULKHEAD, outcome, ticker.read() - start);
        }
    }

    @Override
    public String toString() {
        return "SemaphoreBulkhead[" + name + ", inFlight=" + inFlight() + "/" + permits.max() + "]";
    }
}
