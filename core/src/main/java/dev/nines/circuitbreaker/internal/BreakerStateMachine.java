package dev.nines.circuitbreaker.internal;

import dev.nines.Scheduler;
import dev.nines.Ticker;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.circuitbreaker.CircuitBreakerConfig;
import dev.nines.circuitbreaker.CircuitState;
import dev.nines.circuitbreaker.SlidingWindowType;
import dev.nines.internal.InOrder;
import dev.nines.internal.QuiescentInvariants;
import dev.nines.internal.Validation;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state machine of a circuit breaker: its phases, the transitions between them, admission,
 * the recording of outcomes and probes, and the half-open timer. The public
 * {@link CircuitBreaker} is a façade over it that classifies outcomes and
 * reports them to metrics and listeners.
 *
 * <p>The current {@link Phase} lives in one volatile field and moves with one compare-and-set, so
 * each transition happens exactly once however many threads see its reason; every transition is
 * numbered at its CAS and handed, in that order, to the {@code onTransition} callback given at
 * construction (on whichever thread is delivering, never two at once). Admission in CLOSED is one
 * volatile read; nothing is allocated outside transitions. Ticker readings are compared only as
 * differences. Thread-safe, lock-free. Not part of the public API.
 */
public final class BreakerStateMachine implements QuiescentInvariants {

    private static final VarHandle PHASE;

    static {
        try {
            PHASE = MethodHandles.lookup().findVarHandle(BreakerStateMachine.class, "phase", Phase.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The façade's logger, so the timer warnings keep the category users configure. */
    private static final Logger LOG = LoggerFactory.getLogger(CircuitBreaker.class);
    /** An OPEN stay this far past its end means the timer lost the task, not that it is busy. */
    private static final long LOST_TIMER_NANOS = 1_000_000_000L;

    private final String name;
    private final Ticker ticker;
    private final Scheduler halfOpenTimer;
    /** Set when the timer refused a task: from then on OPEN checks the clock, as without a timer. */
    private volatile boolean timerFailed;
    /** Delivers each numbered transition to the callback, in number order. */
    private final InOrder<Change> transitions;
    /** The settings in force: one volatile read, swapped whole by {@link #reconfigure}. */
    private volatile Settings settings;

    private volatile Phase phase;

    /** The values one configuration gives the machine, derived once. Immutable. */
    private static final class Settings {
        final boolean countWindow;
        final int windowSize;
        final int timeBuckets;
        final long bucketNanos;
        final int halfOpenProbes;
        final long slowCallNanos;
        final long openNanos;
        final long maxOpenNanos;
        final long maxProbeNanos;
        final double multiplier;
        final double failureRateThreshold;
        final double slowCallRateThreshold;
        final int minimumCalls;

        Settings(CircuitBreakerConfig c, int timeBuckets) {
            this.countWindow = c.windowType() == SlidingWindowType.COUNT;
            this.windowSize = c.windowSize();
            this.timeBuckets = timeBuckets;
            this.bucketNanos = countWindow ? 0L : c.windowDuration().toNanos() / timeBuckets;
            this.halfOpenProbes = c.halfOpenProbes();
            // durations saturate at Long.MAX_VALUE (build() made them all positive)
            this.slowCallNanos = Validation.nanos(c.slowCallDurationThreshold());
            this.openNanos = Validation.nanos(c.openDuration());
            this.maxOpenNanos = Validation.nanos(c.maxOpenDuration());
            this.maxProbeNanos = Validation.nanos(c.maxProbeDuration());
            this.multiplier = c.openDurationMultiplier();
            this.failureRateThreshold = c.failureRateThreshold();
            this.slowCallRateThreshold = c.slowCallRateThreshold();
            this.minimumCalls = c.minimumCalls();
        }

        /** Whether a window made under {@code other} has the shape this one would make. */
        boolean sameWindow(Settings other) {
            return countWindow == other.countWindow && (countWindow ? windowSize == other.windowSize
                    : timeBuckets == other.timeBuckets && bucketNanos == other.bucketNanos);
        }
    }

    /**
     * A machine in CLOSED with an empty window.
     *
     * @param c the breaker's settings
     * @param timeBuckets the buckets of a time window (ignored for a count window)
     * @param onTransition told of each state change {@code (from, to)}, one at a time, in the order
     *     the changes happened; it must not throw
     */
    public BreakerStateMachine(CircuitBreakerConfig c, int timeBuckets,
            BiConsumer<CircuitState, CircuitState> onTransition) {
        this.name = c.name();
        this.ticker = c.ticker();
        this.halfOpenTimer = c.halfOpenTimer().orElse(null);
        this.transitions = new InOrder<>(change -> onTransition.accept(change.from, change.to));
        this.settings = new Settings(c, timeBuckets);
        this.phase = Phase.closed(newWindow(0L, false));
    }

    /**
     * Takes {@code c}'s thresholds, window, probe count and open durations. The state is kept: an
     * OPEN stay ends when it was due to (the new open duration applies from the next opening, the
     * count of consecutive openings kept), and a HALF_OPEN stay is judged by the probe count and
     * thresholds it began with. Thresholds, the slow-call duration and {@code minimumCalls} apply to
     * the next outcome recorded. A window of another type, size or duration replaces a CLOSED
     * breaker's window with an empty one (its outcomes are dropped: they do not map onto the new
     * shape); otherwise the window and its outcomes are kept. Callers serialize reconfigurations;
     * the name, ticker and timer cannot change (the caller has checked).
     *
     * @param c the new settings, validated by their builder
     * @param timeBuckets the buckets of a time window (ignored for a count window)
     */
    public void reconfigure(CircuitBreakerConfig c, int timeBuckets) {
        Settings old = settings;
        Settings next = new Settings(c, timeBuckets);
        settings = next;
        if (next.sameWindow(old)) {
            return;
        }
        for (;;) { // a racing transition may leave CLOSED first: its next CLOSED gets the new shape anyway
            Phase p = phase;
            if (p.state() != CircuitState.CLOSED || transition(p, Phase.closed(newWindow(0L, false)))) {
                return;
            }
        }
    }

    /** The current phase, as last published; no clock is read. */
    public Phase phase() {
        return phase;
    }

    /**
     * The current state. With a timer, checks the clock while OPEN and ends a stay the timer let
     * run over, so a lost timer task cannot hide behind a healthy-looking OPEN.
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

    /**
     * Whether a call may run now, for the standalone form; reads the clock only outside CLOSED and
     * DISABLED, and not at all while OPEN on a working timer.
     */
    public boolean tryAcquire() {
        Phase p = phase;
        CircuitState s = p.state();
        if (s == CircuitState.CLOSED || s == CircuitState.DISABLED) {
            return true; // the hot path: no clock, no write
        }
        // OPEN on a working timer rejects without a clock: the timer ends the stay
        return !(s == CircuitState.OPEN && timerEndsOpen()) && acquireSlow(p, ticker.read()) != null;
    }

    /** The phase that admits a call, or {@code null} to reject it; {@code now} is the caller's reading. */
    public Phase acquire(long now) {
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
                    if (!p.gate().isAbandoned(now, settings.maxProbeNanos)) {
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

    /**
     * Records an outcome of {@link FailureClassifier} {@code kind} in {@code p}; {@code now} is a
     * ticker reading if {@code timed}, else ignored (the clock is read where one is needed).
     */
    public void record(Phase p, int kind, long durationNanos, long now, boolean timed) {
        CircuitState s = p.state();
        if (s == CircuitState.CLOSED) {
            if (kind != FailureClassifier.IGNORED) {
                Settings set = settings;
                recordClosed(set, p, kind == FailureClassifier.FAILURE, durationNanos >= set.slowCallNanos, now, timed);
            }
        } else if (s == CircuitState.HALF_OPEN) {
            if (kind == FailureClassifier.IGNORED) {
                p.gate().release();
            } else {
                recordProbe(p, kind == FailureClassifier.FAILURE, durationNanos >= settings.slowCallNanos, now, timed);
            }
        }
    }

    /**
     * Records into the CLOSED window and judges the counts the record left: every record that
     * changed the window is judged, so a success that brings the window to {@code minimumCalls}
     * opens it as a failure would. An unchanged window reads as {@code 0} calls and is not judged.
     */
    private void recordClosed(Settings set, Phase p, boolean failed, boolean slow, long now, boolean timed) {
        Window w = p.window();
        if (!timed && w.needsTime()) {
            now = ticker.read();
            timed = true;
        }
        long agg = w.record(WindowCounts.of(failed, slow), now);
        if (overThreshold(set, agg)) {
            transition(p, openPhase(1, timed ? now : ticker.read()));
        }
    }

    /** Whether packed window counts hold {@code minimumCalls} calls with a rate at its threshold. */
    private static boolean overThreshold(Settings set, long agg) {
        long calls = WindowCounts.calls(agg);
        return calls >= set.minimumCalls
                && (atThreshold(WindowCounts.failures(agg), calls, set.failureRateThreshold)
                        || atThreshold(WindowCounts.slow(agg), calls, set.slowCallRateThreshold));
    }

    /**
     * Whether {@code count} out of {@code total} (> 0) reaches the fraction {@code threshold}. Divides
     * rather than multiplies: {@code 7 / 25.0} rounds to the same double as the literal {@code 0.28},
     * where {@code 0.28 * 25} rounds above 7 and would miss a rate exactly at its threshold.
     */
    static boolean atThreshold(long count, long total, double threshold) {
        return (double) count / total >= threshold;
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

    /** Gives back a permission of {@code p} whose call never ran or will not count. */
    public void release(Phase p) {
        if (p.state() == CircuitState.HALF_OPEN) {
            p.gate().release();
        }
    }

    /**
     * The breaker at rest: in HALF_OPEN every probe slot is back (each issued probe reported or
     * released), and in CLOSED the window's aggregate equals the sum of what it holds. Reads only.
     */
    @Override
    public void check(Consumer<String> violations) {
        Phase p = phase;
        if (p.state() == CircuitState.HALF_OPEN && p.gate().outstanding() != 0) {
            violations.accept("every half-open probe slot must be back at rest but " + p.gate().outstanding()
                    + " probe(s) were admitted and neither reported nor released (" + p.gate() + ")");
        }
        if (p.window() != null) {
            p.window().checkConsistent(violations);
        }
    }

    // ---------------------------------------------------------------- manual control

    /** Moves to FORCED_OPEN, from whatever state. */
    public void forceOpen() {
        moveTo(Phase.forcedOpen());
    }

    /** Moves to DISABLED, from whatever state. */
    public void disable() {
        moveTo(Phase.disabled());
    }

    /** Moves to CLOSED with an empty window and the open duration back at its start. */
    public void reset() {
        moveTo(Phase.closed(newWindow(0L, false)));
    }

    // ---------------------------------------------------------------- readings

    /** Share of failed calls in the CLOSED window, in [0, 1]; -1 when not CLOSED or below {@code minimumCalls}. */
    public float failureRate() {
        long agg = aggregate();
        long calls = WindowCounts.calls(agg);
        return calls < settings.minimumCalls ? -1f : (float) Math.max(0, WindowCounts.failures(agg)) / calls;
    }

    /** Share of slow calls in the CLOSED window, in [0, 1]; -1 when not CLOSED or below {@code minimumCalls}. */
    public float slowCallRate() {
        long agg = aggregate();
        long calls = WindowCounts.calls(agg);
        return calls < settings.minimumCalls ? -1f : (float) Math.max(0, WindowCounts.slow(agg)) / calls;
    }

    /**
     * Whole percent (truncated) of failed calls in the CLOSED window, for the long-valued gauge; -1
     * when not CLOSED or below {@code minimumCalls}.
     */
    public long failurePercent() {
        long agg = aggregate();
        long calls = WindowCounts.calls(agg);
        return calls < settings.minimumCalls ? -1 : 100 * Math.max(0, WindowCounts.failures(agg)) / calls;
    }

    /** Whole percent (truncated) of slow calls in the CLOSED window, as {@link #failurePercent()}. */
    public long slowCallPercent() {
        long agg = aggregate();
        long calls = WindowCounts.calls(agg);
        return calls < settings.minimumCalls ? -1 : 100 * Math.max(0, WindowCounts.slow(agg)) / calls;
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

    // ---------------------------------------------------------------- transitions

    /**
     * The {@code openings}-th consecutive OPEN stay, starting at reading {@code now}. Its end may
     * wrap past {@link Long#MAX_VALUE}: it is only ever compared as a difference.
     */
    private Phase openPhase(int openings, long now) {
        return Phase.open(openings, now + openNanosFor(openings));
    }

    /** The open duration in nanoseconds of the {@code openings}-th consecutive opening: grown, then capped. */
    private long openNanosFor(int openings) {
        Settings set = settings;
        if (set.multiplier == 1.0 || openings <= 1) {
            return set.openNanos;
        }
        double grown = set.openNanos * Math.pow(set.multiplier, openings - 1);
        return grown >= set.maxOpenNanos ? set.maxOpenNanos : (long) grown;
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

    /** One announced transition. */
    private record Change(CircuitState from, CircuitState to) {
    }

    /** A fresh CLOSED window; a time window starts at {@code now} if {@code timed}, else at a new reading. */
    private Window newWindow(long now, boolean timed) {
        Settings set = settings;
        if (set.countWindow) {
            return new CountWindow(set.windowSize);
        }
        return new TimeWindow(set.timeBuckets, set.bucketNanos, timed ? now : ticker.read());
    }

    /** The probe gate of a HALF_OPEN stay beginning at {@code now}. */
    private ProbeGate newGate(long now) {
        Settings set = settings;
        return new ProbeGate(set.halfOpenProbes, set.failureRateThreshold, set.slowCallRateThreshold, now);
    }

    @Override
    public String toString() {
        return "BreakerStateMachine[" + name + ", " + phase + "]";
    }
}
