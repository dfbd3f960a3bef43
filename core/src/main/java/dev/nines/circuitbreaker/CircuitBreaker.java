package dev.nines.circuitbreaker;

import dev.nines.CallContext;
import dev.nines.AsyncCall;
import dev.nines.Next;
import dev.nines.Policy;
import dev.nines.Scheduler;
import dev.nines.Ticker;
import dev.nines.circuitbreaker.internal.CountWindow;
import dev.nines.circuitbreaker.internal.FailureClassifier;
import dev.nines.circuitbreaker.internal.ListenerGuard;
import dev.nines.circuitbreaker.internal.Phase;
import dev.nines.circuitbreaker.internal.ProbeGate;
import dev.nines.circuitbreaker.internal.TimeWindow;
import dev.nines.circuitbreaker.internal.Window;
import dev.nines.circuitbreaker.internal.WindowCounts;
import dev.nines.internal.InOrder;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.Outcome;
import dev.nines.metrics.PolicyKinds;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A circuit breaker: stops calling a dependency that keeps failing or answering slowly, and
 * probes it before trusting it again.
 *
 * <pre>{@code
 * CircuitBreaker breaker = CircuitBreaker.builder("payments")
 *         .failureRateThreshold(50).minimumCalls(20).countWindow(100)
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
 * (the {@link CircuitState} ordinal), {@code failure_rate} and {@code slow_call_rate} (percent,
 * -1 when unknown) and {@code buffered_calls}. Transitions reach the sink and the listeners in
 * the order they happened (the order of the compare-and-set that made each one), however many
 * threads cause them, so the last one delivered is the current state once they settle; no thread
 * waits for another to deliver. Thread-safe.
 *
 * <p><b>Time.</b> Ticker readings are compared only as differences, so they may be negative and
 * may wrap past {@link Long#MAX_VALUE}; every reading, {@link Long#MIN_VALUE} included, is an
 * ordinary reading.
 */
public final class CircuitBreaker implements Policy {

    private static final VarHandle PHASE;

    static {
        try {
            PHASE = MethodHandles.lookup().findVarHandle(CircuitBreaker.class, "phase", Phase.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(CircuitBreaker.class);
    private static final String KIND = PolicyKinds.CIRCUIT_BREAKER;
    private static final Outcome[] OUTCOMES = {Outcome.SUCCESS, Outcome.FAILURE, Outcome.IGNORED};
    /** An OPEN stay this far past its end means the timer lost the task, not that it is busy. */
    private static final long LOST_TIMER_NANOS = 1_000_000_000L;

    private final CircuitBreakerConfig config;
    private final String name;
    private final Ticker ticker;
    private final Scheduler halfOpenTimer;
    /** Set when the timer refused a task: from then on OPEN checks the clock, as without a timer. */
    private volatile boolean timerFailed;
    private final MetricsSink metrics;
    private final FailureClassifier classifier;
    private final ListenerGuard listeners;
    /** Delivers each numbered transition to the sink and the listeners, in number order. */
    private final InOrder<Change> transitions = new InOrder<>(this::deliver);
    private final long slowCallNanos;
    private final long openNanos;
    private final long maxOpenNanos;
    private final long maxProbeNanos;
    private final double multiplier;
    private final double failureRateThreshold;
    private final double slowCallRateThreshold;
    private final int minimumCalls;

    private volatile Phase phase;

    CircuitBreaker(CircuitBreakerConfig c) {
        this.config = c;
        this.name = c.name;
        this.ticker = c.ticker;
        this.halfOpenTimer = c.halfOpenTimer().orElse(null);
        this.metrics = c.metrics;
        this.classifier = new FailureClassifier(matcher(c.recordExceptions, c.recordIf, true),
                matcher(c.ignoreExceptions, c.ignoreIf, false), c.failureResult,
                c.ignoreResult);
        this.listeners = new ListenerGuard(c.listeners);
        this.slowCallNanos = nanos(c.slowCallDurationThreshold);
        this.openNanos = nanos(c.openDuration);
        this.maxOpenNanos = nanos(c.maxOpenDuration);
        this.maxProbeNanos = nanos(c.maxProbeDuration);
        this.multiplier = c.openDurationMultiplier;
        this.failureRateThreshold = c.failureRateThreshold;
        this.slowCallRateThreshold = c.slowCallRateThreshold;
        this.minimumCalls = c.minimumCalls;
        this.phase = Phase.closed(newWindow(0L, false));
        metrics.registerGauge(name, KIND, "state", () -> state().ordinal());
        metrics.registerGauge(name, KIND, "failure_rate", () -> (long) failureRate());
        metrics.registerGauge(name, KIND, "slow_call_rate", () -> (long) slowCallRate());
        metrics.registerGauge(name, KIND, "buffered_calls", this::bufferedCalls);
    }

    /** Starts configuring a breaker named {@code name}. */
    public static CircuitBreakerBuilder builder(String name) {
        return new CircuitBreakerBuilder(name);
    }

    /** A builder holding this breaker's settings, to derive a new, independent breaker. */
    public CircuitBreakerBuilder toBuilder() {
        return new CircuitBreakerBuilder(config);
    }

    /** The settings this breaker was built with. */
    public CircuitBreakerConfig config() {
        return config;
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
        Phase p = phase;
        if (p.state() == CircuitState.OPEN && halfOpenTimer != null && !timerFailed) {
            long now = ticker.read();
            if (now - p.openUntilNanos() >= 0) {
                noteOverdue(p, now);
                transition(p, Phase.halfOpen(p.openings(), newGate(now)));
                return phase.state();
            }
        }
        return p.state();
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
        Phase p = phase;
        CircuitState s = p.state();
        if (s == CircuitState.CLOSED || s == CircuitState.DISABLED) {
            return true; // the hot path: no clock, no write
        }
        // OPEN on a working timer rejects without a clock: the timer ends the stay
        if (!(s == CircuitState.OPEN && timerEndsOpen()) && acquireSlow(p, ticker.read()) != null) {
            return true;
        }
        reportRejection(phase.state()); // no exception to build
        return false;
    }

    /**
     * Like {@link #tryAcquirePermission()} but throws the rejection.
     *
     * @throws CircuitBreakerOpenException when the call may not run
     */
    public void acquirePermission() {
        long now = ticker.read();
        if (acquire(now) == null) {
            throw rejected(now);
        }
    }

    /** Reports that a permitted call succeeded after {@code durationNanos}. */
    public void onSuccess(long durationNanos) {
        record(phase, FailureClassifier.SUCCESS, durationNanos, 0L, false);
        metrics.onOutcome(name, KIND, Outcome.SUCCESS, durationNanos);
    }

    /** Reports that a permitted call threw {@code failure} after {@code durationNanos}; it is classified. */
    public void onError(long durationNanos, Throwable failure) {
        Objects.requireNonNull(failure, "failure");
        settle(phase, failure, null, durationNanos, 0L, false);
    }

    /** Reports that a permitted call returned {@code result} after {@code durationNanos}; it is classified. */
    public void onResult(long durationNanos, Object result) {
        settle(phase, null, result, durationNanos, 0L, false);
    }

    /** Gives back a permission whose call never ran; it counts for nothing. */
    public void releasePermission() {
        release(phase);
    }

    // ---------------------------------------------------------------- manual control

    /** Holds the breaker open, rejecting every call, until {@link #reset()}. */
    public void forceOpen() {
        moveTo(Phase.forcedOpen());
    }

    /** Lets every call through and records nothing, until {@link #reset()}. */
    public void disable() {
        moveTo(Phase.disabled());
    }

    /** Returns to CLOSED with an empty window and the open duration back at its start. */
    public void reset() {
        moveTo(Phase.closed(newWindow(0L, false)));
    }

    // ---------------------------------------------------------------- readings

    /** Percent of failed calls in the CLOSED window; -1 when not CLOSED or below {@code minimumCalls}. */
    public float failureRate() {
        long agg = aggregate();
        long calls = WindowCounts.calls(agg);
        return calls < minimumCalls ? -1f : 100f * Math.max(0, WindowCounts.failures(agg)) / calls;
    }

    /** Percent of slow calls in the CLOSED window; -1 when not CLOSED or below {@code minimumCalls}. */
    public float slowCallRate() {
        long agg = aggregate();
        long calls = WindowCounts.calls(agg);
        return calls < minimumCalls ? -1f : 100f * Math.max(0, WindowCounts.slow(agg)) / calls;
    }

    /** Calls in the CLOSED window; 0 in any other state. */
    public long bufferedCalls() {
        return Math.max(0, WindowCounts.calls(aggregate()));
    }

    private long aggregate() {
        Window w = phase.window();
        if (w == null) {
            return 0;
        }
        return w.aggregate(w.needsTime() ? ticker.read() : 0L); // a count window ignores the reading
    }

    // ---------------------------------------------------------------- Policy

    @Override
    public <T> T execute(CallContext context, Callable<T> call, Next next) throws Exception {
        long start = ticker.read();
        Phase admitted = acquire(start);
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
        Phase admitted = acquire(start);
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
        try {
            kind = failure != null ? classifier.classify(failure) : classifier.classifyResult(result);
        } finally {
            record(admitted, kind, durationNanos, now, timed);
            metrics.onOutcome(name, KIND, OUTCOMES[kind], durationNanos);
        }
    }

    /** The caller gave up on an async call: its permit goes back and its outcome will not count. */
    void abandon(Phase admitted, long start) {
        release(admitted);
        metrics.onOutcome(name, KIND, Outcome.IGNORED, ticker.read() - start);
    }

    // ---------------------------------------------------------------- state machine

    /** The phase that admits a call, or {@code null} to reject it; {@code now} is the caller's reading. */
    private Phase acquire(long now) {
        Phase p = phase;
        CircuitState s = p.state();
        if (s == CircuitState.CLOSED || s == CircuitState.DISABLED) {
            return p; // the hot path: no write
        }
        if (s == CircuitState.OPEN && timerEndsOpen()) {
            if (now - p.openUntilNanos() < 0) {
                return null;
            }
            // the caller read the clock anyway (the lambda forms, acquirePermission): past the
            // end of the stay the timer is late or lost, so end it here as without a timer
            noteOverdue(p, now);
        }
        return acquireSlow(p, now);
    }

    /** Whether a timer, not a request, ends an OPEN stay. */
    private boolean timerEndsOpen() {
        return halfOpenTimer != null && !timerFailed;
    }

    /** An OPEN stay ran past its end with the timer on: if by far, stop trusting the timer. */
    private void noteOverdue(Phase open, long now) {
        if (now - open.openUntilNanos() >= LOST_TIMER_NANOS && !timerFailed) {
            timerFailed = true;
            LOG.warn("nines: circuit breaker '{}' stayed OPEN {} ms past its open duration: its half-open timer "
                    + "lost the task; it checks the clock instead from now on", name,
                    (now - open.openUntilNanos()) / 1_000_000);
        }
    }

    private Phase acquireSlow(Phase p, long now) {
        // Each pass either decides or attempts a transition and re-reads: it ends within a few passes.
        while (true) {
            switch (p.state()) {
                case CLOSED:
                case DISABLED:
                    return p;
                case OPEN:
                    if (now - p.openUntilNanos() < 0) {
                        return null;
                    }
                    transition(p, Phase.halfOpen(p.openings(), newGate(now)));
                    break;
                case HALF_OPEN:
                    if (p.gate().tryIssue(now)) {
                        return p;
                    }
                    if (!p.gate().isAbandoned(now, maxProbeNanos)) {
                        return null;
                    }
                    transition(p, openPhase(p.openings() + 1, now)); // a probe went silent: reopen, whatever arrived
                    break;
                default:
                    return null; // FORCED_OPEN
            }
            p = phase;
        }
    }

    /** Records an outcome in {@code p}; {@code now} is a ticker reading if {@code timed}, else ignored. */
    private void record(Phase p, int kind, long durationNanos, long now, boolean timed) {
        CircuitState s = p.state();
        if (s == CircuitState.CLOSED) {
            if (kind != FailureClassifier.IGNORED) {
                recordClosed(p, kind == FailureClassifier.FAILURE, durationNanos >= slowCallNanos, now, timed);
            }
        } else if (s == CircuitState.HALF_OPEN) {
            if (kind == FailureClassifier.IGNORED) {
                p.gate().release();
            } else {
                recordProbe(p, kind == FailureClassifier.FAILURE, durationNanos >= slowCallNanos, now, timed);
            }
        }
    }

    /**
     * Records into the CLOSED window and judges the counts the record left: every record that
     * changed the window is judged, so a success that brings the window to {@code minimumCalls}
     * opens it as a failure would. An unchanged window reads as {@code 0} calls and is not judged.
     */
    private void recordClosed(Phase p, boolean failed, boolean slow, long now, boolean timed) {
        Window w = p.window();
        if (!timed && w.needsTime()) {
            now = ticker.read();
            timed = true;
        }
        long agg = w.record(WindowCounts.of(failed, slow), now);
        if (overThreshold(agg)) {
            transition(p, openPhase(1, timed ? now : ticker.read()));
        }
    }

    /** Whether packed window counts hold {@code minimumCalls} calls with a rate at its threshold. */
    private boolean overThreshold(long agg) {
        long calls = WindowCounts.calls(agg);
        return calls >= minimumCalls
                && (WindowCounts.failures(agg) * 100.0 >= failureRateThreshold * calls
                        || WindowCounts.slow(agg) * 100.0 >= slowCallRateThreshold * calls);
    }

    private void recordProbe(Phase p, boolean failed, boolean slow, long now, boolean timed) {
        switch (p.gate().report(failed, slow)) {
            case REOPEN:
                transition(p, openPhase(p.openings() + 1, timed ? now : ticker.read()));
                break;
            case CLOSE:
                transition(p, Phase.closed(newWindow(now, timed)));
                break;
            default:
                break;
        }
    }

    private void release(Phase p) {
        if (p.state() == CircuitState.HALF_OPEN) {
            p.gate().release();
        }
    }

    /**
     * The {@code openings}-th consecutive OPEN stay, starting at reading {@code now}. Its end may
     * wrap past {@link Long#MAX_VALUE}: it is only ever compared as a difference.
     */
    private Phase openPhase(int openings, long now) {
        return Phase.open(openings, now + openNanosFor(openings));
    }

    /** The open duration of the {@code openings}-th consecutive opening: grown, then capped. */
    long openNanosFor(int openings) {
        if (multiplier == 1.0 || openings <= 1) {
            return openNanos;
        }
        double grown = openNanos * Math.pow(multiplier, openings - 1);
        return grown >= maxOpenNanos ? maxOpenNanos : (long) grown;
    }

    private boolean transition(Phase from, Phase to) {
        to.numberAfter(from);
        if (!PHASE.compareAndSet(this, from, to)) {
            return false; // another thread moved first; the caller re-reads
        }
        if (to.state() == CircuitState.OPEN && halfOpenTimer != null) {
            scheduleHalfOpen(to); // first: an Error a listener rethrows cannot leave the stay without its timer
        }
        announce(from, to);
        return true;
    }

    /** Asks the timer to end the OPEN stay {@code open} when its time is up, unless it ended already. */
    private void scheduleHalfOpen(Phase open) {
        try {
            halfOpenTimer.schedule(() -> {
                if (phase == open) {
                    transition(open, Phase.halfOpen(open.openings(), newGate(ticker.read())));
                }
            }, openNanosFor(open.openings()));
        } catch (RuntimeException refused) {
            timerFailed = true;
            LOG.warn("nines: circuit breaker '{}' could not schedule its half-open transition; "
                    + "it checks the clock instead from now on", name, refused);
        }
    }

    private void moveTo(Phase to) {
        Phase from;
        do {
            from = phase;
            to.numberAfter(from); // renumbered on each try: it follows whichever phase it replaces
        } while (!PHASE.compareAndSet(this, from, to));
        announce(from, to);
    }

    /**
     * Publishes the transition that just replaced {@code from} with {@code to}, under the number
     * its CAS gave it; a move that keeps the state (a reset while CLOSED) still uses its number,
     * announcing nothing. Delivery happens here or on whichever thread is delivering already.
     */
    private void announce(Phase from, Phase to) {
        CircuitState f = from.state();
        CircuitState t = to.state();
        transitions.publish(to.seq(), f == t ? InOrder.SKIP : new Change(f, t));
    }

    /** Called by {@link #transitions} for one transition at a time, in the order they happened. */
    private void deliver(Change c) {
        metrics.onTransition(name, KIND, c.from.name(), c.to.name());
        listeners.stateChanged(this, c.from, c.to);
    }

    /** One announced transition. */
    private record Change(CircuitState from, CircuitState to) {
    }

    private CircuitBreakerOpenException rejected(long now) {
        Phase p = phase;
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

    /** A fresh CLOSED window; a time window starts at {@code now} if {@code timed}, else at a new reading. */
    private Window newWindow(long now, boolean timed) {
        if (config.windowType == SlidingWindowType.COUNT) {
            return new CountWindow(config.windowSize);
        }
        int buckets = CircuitBreakerBuilder.timeBuckets(config.windowDuration);
        return new TimeWindow(buckets, config.windowDuration.toNanos() / buckets, timed ? now : ticker.read());
    }

    /** The probe gate of a HALF_OPEN stay beginning at {@code now}. */
    private ProbeGate newGate(long now) {
        return new ProbeGate(config.halfOpenProbes, failureRateThreshold, slowCallRateThreshold, now);
    }

    private static Predicate<Throwable> matcher(List<Class<? extends Throwable>> types, Predicate<Throwable> extra,
            boolean matchAllWhenEmpty) {
        if (types.isEmpty() && extra == null) {
            return matchAllWhenEmpty ? t -> true : t -> false;
        }
        Class<?>[] classes = types.toArray(new Class<?>[0]);
        return t -> {
            for (Class<?> c : classes) {
                if (c.isInstance(t)) {
                    return true;
                }
            }
            return extra != null && extra.test(t);
        };
    }

    private static long nanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }

    @Override
    public String toString() {
        return "CircuitBreaker[" + name + ", " + phase.state() + "]";
    }
}
