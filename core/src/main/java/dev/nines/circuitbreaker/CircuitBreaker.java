package dev.nines.circuitbreaker;

import dev.nines.AsyncCall;
import dev.nines.CallContext;
import dev.nines.Next;
import dev.nines.Policy;
import dev.nines.Reconfigurable;
import dev.nines.FailureFilter;
import dev.nines.Scheduler;
import dev.nines.Ticker;
import dev.nines.circuitbreaker.internal.BreakerStateMachine;
import dev.nines.circuitbreaker.internal.FailureClassifier;
import dev.nines.circuitbreaker.internal.ListenerGuard;
import dev.nines.circuitbreaker.internal.Phase;
import dev.nines.internal.BuildRecorder;
import dev.nines.internal.Reconfiguration;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.Outcome;
import dev.nines.metrics.PolicyKinds;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A circuit breaker: stops calling a dependency that keeps failing or answering slowly, and
 * probes it before trusting it again.
 *
 * <pre>{@code
 * CircuitBreaker breaker = CircuitBreaker.builder("payments")
 *         .failureRateThreshold(0.5).minimumCalls(20).countWindow(100)
 *         .openDuration(Duration.ofSeconds(30)).halfOpenProbes(5)
 *         .build();
 * Receipt r = breaker.call(() -> client.charge(account, cents));
 * }</pre>
 *
 * <p><b>States.</b> CLOSED records each call's outcome in a sliding window (the last N calls, or
 * the calls of the last N seconds). Once the window holds {@code minimumCalls} calls and the
 * failure rate or the slow-call rate reaches its threshold, the breaker opens. The window is judged
 * after every recorded call that changes it, a success as much as a failure, against the counts
 * that call left: so the call that brings the window to {@code minimumCalls} opens it when the
 * rates are over a threshold, whether that call failed or not, and in a time window the first call
 * after old successes aged out opens it on the failures left. (Only a count-window outcome that
 * replaces the same outcome leaves the window unchanged; it needs no verdict and gets none.)
 * OPEN rejects every call with {@link CircuitBreakerOpenException} until the open duration has
 * passed (optionally growing across consecutive openings); the first call after that moves it to
 * HALF_OPEN, which admits exactly {@code halfOpenProbes} calls. Their outcomes close the breaker
 * (with a fresh window) or reopen it; it reopens as soon as the failed or slow probes alone reach
 * a threshold. A probe whose outcome never arrives cannot wedge the breaker: once every probe is out, some
 * outcome is still missing and the last probe was admitted {@code maxProbeDuration} ago, the
 * breaker gives up on the missing outcomes and reopens (as a consecutive opening), whatever the
 * outcomes that did arrive. By hand: {@link #forceOpen()}, {@link #disable()}, and {@link #reset()} back
 * to CLOSED. By default a timer on the shared {@link Scheduler#system()} thread moves OPEN to
 * HALF_OPEN when the open duration ends, so a rejection reads no clock; with a manual ticker, or
 * after {@code halfOpenOnRequest()}, the first permission request after the open duration does it
 * and {@link #state()} reads OPEN until then.
 *
 * <p><b>Failures.</b> A {@link FailureFilter} ({@link CircuitBreakerBuilder#failures}) says which
 * exceptions and results count as failures and which are not counted at all; by default every
 * exception is a failure and every result a success. Two rules hold whatever the filter says: a
 * cancelled call ({@link java.util.concurrent.CancellationException}) is never counted, and an
 * {@link Error} the filter does not ignore is always a failure.
 *
 * <p><b>Without lambdas.</b> {@link #tryAcquirePermission()}, then exactly one of
 * {@link #onSuccess(long)}, {@link #onError(long, Throwable)}, {@link #onResult(long, Object)} or
 * {@link #releasePermission()} (the call never ran). These report to the breaker's current state;
 * the lambda forms ({@link #call}, {@link #execute}, {@link #executeAsync}) report to the state
 * that admitted the call, so a late outcome from before a transition never counts as a probe.
 *
 * <p><b>Cost.</b> Lock-free; nothing is allocated in CLOSED. Admitting a call is one volatile
 * read. Recording an outcome in a count window is one atomic increment (the ring's cursor) and a
 * read of the slot it lands on; only an outcome that differs from the one it replaces adds a swap
 * and an atomic add to the aggregate, so a success replacing a success costs the one increment (and
 * no threshold check: the window did not change). A record that changes the window is judged
 * against the aggregate its own atomic add returned, so judging costs no further read. In
 * a time window every outcome costs a CAS on its bucket and an atomic add to the aggregate, plus,
 * on the first call of each new bucket (about once a second), a CAS on the head and the clearing
 * of the expired buckets; the standalone {@link #onSuccess(long)} also reads the ticker there. The
 * lambda forms read the ticker once when a call starts and once when it ends; a permission in
 * CLOSED never reads it.
 *
 * <p>Reports to its {@link MetricsSink} with kind {@link PolicyKinds#CIRCUIT_BREAKER}: an outcome
 * per call (SUCCESS, FAILURE, IGNORED, REJECTED), each transition, and the gauges {@code state}
 * (the {@link CircuitState} ordinal), {@code failure_rate_percent} and
 * {@code slow_call_rate_percent} (whole percent, truncated, -1 when unknown: a gauge carries a
 * long, so these alone are not fractions like {@link #failureRate()}) and {@code buffered_calls}.
 * Transitions reach the sink and the listeners in the order they happened (the order of the compare-and-set that made each one), however many
 * threads cause them, so the last one delivered is the current state once they settle; no thread
 * waits for another to deliver. Thread-safe.
 *
 * <p><b>Time.</b> Ticker readings are compared only as differences, so they may be negative and
 * may wrap past {@link Long#MAX_VALUE}; every reading, {@link Long#MIN_VALUE} included, is an
 * ordinary reading.
 *
 * <p><b>Reconfiguration.</b> {@link #reconfigure} changes thresholds, window, probes, open durations
 * and the failure filter while the breaker runs, keeping its state (see there).
 */
public final class CircuitBreaker implements Policy, Reconfigurable<CircuitBreakerConfig> {

    private static final String KIND = PolicyKinds.CIRCUIT_BREAKER;
    private static final Outcome[] OUTCOMES = {Outcome.SUCCESS, Outcome.FAILURE, Outcome.IGNORED};

    private volatile CircuitBreakerConfig config;
    private final String name;
    private final Ticker ticker;
    private final MetricsSink metrics;
    private volatile FailureClassifier classifier;
    private final ReentrantLock reconfiguring = new ReentrantLock(); // reconfigure only, never a call
    private final ListenerGuard listeners;
    /** Phases, transitions, admission and the half-open timer; called directly on every path. */
    private final BreakerStateMachine machine;

    CircuitBreaker(CircuitBreakerConfig c) {
        this.config = c;
        this.name = c.name();
        this.ticker = c.ticker();
        this.metrics = c.metrics();
        this.classifier = new FailureClassifier(c.failures);
        this.listeners = new ListenerGuard(c.listeners);
        int buckets = c.windowType == SlidingWindowType.TIME ? CircuitBreakerBuilder.timeBuckets(c.windowDuration) : 0;
        this.machine = new BreakerStateMachine(c, buckets, this::deliver);
        registerGauges();
        BuildRecorder.record("CircuitBreaker", name, machine);
    }

    private void registerGauges() {
        metrics.registerGauge(name, KIND, "state", () -> state().ordinal());
        // Gauges carry longs, so the rates go out in whole percent, and their names say so.
        metrics.registerGauge(name, KIND, "failure_rate_percent", machine::failurePercent);
        metrics.registerGauge(name, KIND, "slow_call_rate_percent", machine::slowCallPercent);
        metrics.registerGauge(name, KIND, "buffered_calls", this::bufferedCalls);
    }

    /** Starts configuring a breaker named {@code name}. */
    public static CircuitBreakerBuilder builder(String name) {
        return new CircuitBreakerBuilder(name);
    }

    /**
     * A builder holding this breaker's settings in force, to derive a new, independent breaker
     * (CLOSED, with an empty window) or a configuration for {@link #reconfigure}. What was never set
     * stays unset: without a sink of its own, the new breaker reports to {@link dev.nines.metrics.Metrics#getDefault()}, which forwards to the current default.
     */
    public CircuitBreakerBuilder toBuilder() {
        return new CircuitBreakerBuilder(config);
    }

    /** The settings in force: those built with, or the last ones given to {@link #reconfigure}. */
    @Override
    public CircuitBreakerConfig config() {
        return config;
    }

    /**
     * Takes {@code config}'s thresholds, slow-call duration, {@code minimumCalls}, window, half-open
     * probes, open durations and failure filter, keeping the breaker's state:
     * <ul>
     *   <li>CLOSED keeps its window and the outcomes in it when the window keeps its type and size
     *       (or duration); the new thresholds judge from the next outcome recorded (a change alone
     *       opens nothing). A window of another type, size or duration starts empty: its outcomes
     *       do not map onto the new shape.
     *   <li>OPEN stays open until the end computed when it opened, with its count of consecutive
     *       openings; the new open duration, multiplier and cap apply from the next opening.
     *   <li>HALF_OPEN keeps its probes, judged by the probe count and thresholds it began with; the
     *       new ones apply from the next HALF_OPEN stay. {@code maxProbeDuration} applies at once.
     *   <li>FORCED_OPEN and DISABLED stay as they are.
     * </ul>
     * Calls admitted before the change report their outcomes into the state that admitted them, as
     * always; the failure filter classifies the outcomes that arrive after. The name, ticker,
     * half-open timer ({@code scheduler}, {@code halfOpenOnRequest}), metrics sink and listeners
     * cannot change.
     *
     * @throws IllegalArgumentException naming what was refused; the current settings stay
     */
    @Override
    public void reconfigure(CircuitBreakerConfig config) {
        Objects.requireNonNull(config, "config");
        reconfiguring.lock();
        try {
            CircuitBreakerConfig current = this.config;
            Reconfiguration.of(current.wiring, config.wiring)
                    .fixed("halfOpenTimer", current.halfOpenTimer(), config.halfOpenTimer())
                    .fixed("listeners", current.listeners, config.listeners)
                    .throwIfRefused();
            FailureClassifier nextClassifier = new FailureClassifier(config.failures);
            int buckets = config.windowType == SlidingWindowType.TIME
                    ? CircuitBreakerBuilder.timeBuckets(config.windowDuration) : 0;
            classifier = nextClassifier;
            machine.reconfigure(config, buckets);
            this.config = config;
        } finally {
            reconfiguring.unlock();
            registerGauges(); // a breaker built for a config registered its own under this name: take them back
        }
        Reconfiguration.report(metrics, name);
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * The current state. OPEN becomes HALF_OPEN when the open duration ends, on the half-open timer
     * or, without one, on the first permission request after it. With a timer, this method (and
     * the {@code state} gauge) also checks the clock while OPEN and ends a stay the timer let run
     * over, so a lost timer task cannot hide behind a healthy-looking OPEN.
     */
    public CircuitState state() {
        return machine.state();
    }

    // ---------------------------------------------------------------- standalone use

    /**
     * Asks to run one call. On {@code true}, report exactly once with {@link #onSuccess},
     * {@link #onError}, {@link #onResult} or {@link #releasePermission}. On {@code false} the
     * rejection is already reported to metrics and listeners.
     *
     * <p>These standalone methods report against the breaker's state at the time of the report.
     * A call that outlives a state change (admitted while CLOSED, reported once HALF_OPEN) is
     * counted in the new state, and its release can free a probe slot, letting one more probe in
     * than {@code halfOpenProbes}. The {@link Policy} and lambda forms tie every call to the state
     * that admitted it and have no such gap; prefer them when calls can be long.
     */
    public boolean tryAcquirePermission() {
        if (machine.tryAcquire()) {
            return true;
        }
        reportRejection(machine.phase().state()); // no exception to build
        return false;
    }

    /**
     * Like {@link #tryAcquirePermission()} but throws the rejection.
     *
     * @throws CircuitBreakerOpenException when the call may not run
     */
    public void acquirePermission() {
        long now = ticker.read();
        if (machine.acquire(now) == null) {
            throw rejected(now);
        }
    }

    /** Reports that a permitted call succeeded after {@code durationNanos}. */
    public void onSuccess(long durationNanos) {
        machine.record(machine.phase(), FailureClassifier.SUCCESS, durationNanos, 0L, false);
        metrics.onOutcome(name, KIND, Outcome.SUCCESS, durationNanos);
    }

    /** Reports that a permitted call threw {@code failure} after {@code durationNanos}; it is classified. */
    public void onError(long durationNanos, Throwable failure) {
        Objects.requireNonNull(failure, "failure");
        settle(machine.phase(), failure, null, durationNanos, 0L, false);
    }

    /** Reports that a permitted call returned {@code result} after {@code durationNanos}; it is classified. */
    public void onResult(long durationNanos, Object result) {
        settle(machine.phase(), null, result, durationNanos, 0L, false);
    }

    /** Gives back a permission whose call never ran; it counts for nothing. */
    public void releasePermission() {
        machine.release(machine.phase());
    }

    // ---------------------------------------------------------------- manual control

    /** Holds the breaker open, rejecting every call, until {@link #reset()}. */
    public void forceOpen() {
        machine.forceOpen();
    }

    /** Lets every call through and records nothing, until {@link #reset()}. */
    public void disable() {
        machine.disable();
    }

    /** Returns to CLOSED with an empty window and the open duration back at its start. */
    public void reset() {
        machine.reset();
    }

    // ---------------------------------------------------------------- readings

    /** Share of failed calls in the CLOSED window, in [0, 1]; -1 when not CLOSED or below {@code minimumCalls}. */
    public float failureRate() {
        return machine.failureRate();
    }

    /** Share of slow calls in the CLOSED window, in [0, 1]; -1 when not CLOSED or below {@code minimumCalls}. */
    public float slowCallRate() {
        return machine.slowCallRate();
    }

    /** Calls in the CLOSED window; 0 in any other state. */
    public long bufferedCalls() {
        return machine.bufferedCalls();
    }

    // ---------------------------------------------------------------- Policy

    @Override
    public <T> T execute(CallContext context, Callable<T> call, Next next) throws Exception {
        long start = ticker.read();
        Phase admitted = machine.acquire(start);
        if (admitted == null) {
            throw rejected(start);
        }
        T result;
        try {
            result = next.call(context, call);
        } catch (Throwable t) {
            completeExceptionally(admitted, start, t);
            throw t;
        }
        completeWithResult(admitted, start, result);
        return result;
    }

    @Override
    public <T> CompletionStage<T> executeAsync(CallContext context, AsyncCall<T> call, Next next) {
        long start = ticker.read();
        Phase admitted = machine.acquire(start);
        if (admitted == null) {
            return CompletableFuture.failedFuture(rejected(start));
        }
        CompletionStage<T> stage;
        try {
            stage = next.callAsync(context, call);
        } catch (Throwable t) {
            completeExceptionally(admitted, start, t);
            return CompletableFuture.failedFuture(t);
        }
        return new AsyncOutcome<T>(this, admitted, start).watch(stage);
    }

    // ---------------------------------------------------------------- outcomes, metrics, listeners

    void completeWithResult(Phase admitted, long start, Object result) {
        long end = ticker.read();
        settle(admitted, null, result, end - start, end, true);
    }

    void completeExceptionally(Phase admitted, long start, Throwable failure) {
        long end = ticker.read();
        settle(admitted, failure, null, end - start, end, true);
    }

    /**
     * Classifies a call's {@code failure} (or, when it is {@code null}, its {@code result}) and
     * records it. The classifier only lets a {@link VirtualMachineError} out; the permit is settled
     * even then, as a failure, so a HALF_OPEN probe slot is never left taken. {@code now} is a
     * ticker reading if {@code timed}, else ignored (the clock is read where one is needed).
     */
    private void settle(Phase admitted, Throwable failure, Object result, long durationNanos, long now,
            boolean timed) {
        int kind = FailureClassifier.FAILURE;
        FailureClassifier c = classifier;
        try {
            kind = failure != null ? c.classify(failure) : c.classifyResult(result);
        } finally {
            machine.record(admitted, kind, durationNanos, now, timed);
            metrics.onOutcome(name, KIND, OUTCOMES[kind], durationNanos);
        }
    }

    /** The caller gave up on an async call: its permit goes back and its outcome will not count. */
    void abandon(Phase admitted, long start) {
        machine.release(admitted);
        metrics.onOutcome(name, KIND, Outcome.IGNORED, ticker.read() - start);
    }

    /** Called by the state machine for one transition at a time, in the order they happened. */
    private void deliver(CircuitState from, CircuitState to) {
        metrics.onTransition(name, KIND, from.name(), to.name());
        listeners.stateChanged(this, from, to);
    }

    private CircuitBreakerOpenException rejected(long now) {
        Phase p = machine.phase();
        CircuitState s = p.state();
        long retryAfter = -1;
        if (s == CircuitState.OPEN) {
            retryAfter = Math.max(0, p.openUntilNanos() - now);
        }
        reportRejection(s);
        return new CircuitBreakerOpenException(name, s, retryAfter);
    }

    private void reportRejection(CircuitState s) {
        metrics.onOutcome(name, KIND, Outcome.REJECTED, 0);
        listeners.rejected(this, s);
    }

    @Override
    public String toString() {
        return "CircuitBreaker[" + name + ", " + machine.phase().state() + "]";
    }
}
