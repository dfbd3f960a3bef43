package dev.nines.circuitbreaker.internal;

import dev.nines.circuitbreaker.CircuitState;

/**
 * One stay of a breaker in one state, with what that stay needs: the window of a CLOSED stay,
 * the end of an OPEN stay, the probes of a HALF_OPEN stay.
 *
 * <p>A breaker holds its current phase in one volatile field and moves with one CAS from one
 * phase object to a new one, so a transition happens exactly once however many threads see the
 * reason for it. A call remembers the phase that admitted it and reports to that phase: a late
 * report from an earlier stay lands in that stay's window or gate and cannot disturb the current
 * one.
 *
 * <p>Each phase carries the number of the transition that published it ({@link #seq()}): one more
 * than the phase it replaced, set by the breaker just before the CAS that publishes it (and set
 * again before each retry of that CAS), so the numbers follow the CAS order and listeners can be
 * told of transitions in that order. Immutable once published, apart from the window and gate,
 * which are thread-safe.
 */
public final class Phase {

    private final CircuitState state;
    private final int openings;
    private final long openUntilNanos;
    private final Window window;
    private final ProbeGate gate;
    /** Written only before the CAS that publishes this phase; that volatile write publishes it too. */
    private long seq;

    private Phase(CircuitState state, int openings, long openUntilNanos, Window window, ProbeGate gate) {
        this.state = state;
        this.openings = openings;
        this.openUntilNanos = openUntilNanos;
        this.window = window;
        this.gate = gate;
    }

    /** A CLOSED stay recording into {@code window}. */
    public static Phase closed(Window window) {
        return new Phase(CircuitState.CLOSED, 0, 0, window, null);
    }

    /** The {@code openings}-th consecutive OPEN stay, lasting until {@code openUntilNanos}. */
    public static Phase open(int openings, long openUntilNanos) {
        return new Phase(CircuitState.OPEN, openings, openUntilNanos, null, null);
    }

    /** A HALF_OPEN stay after the {@code openings}-th consecutive opening. */
    public static Phase halfOpen(int openings, ProbeGate gate) {
        return new Phase(CircuitState.HALF_OPEN, openings, 0, null, gate);
    }

    /** Held open by hand until reset. */
    public static Phase forcedOpen() {
        return new Phase(CircuitState.FORCED_OPEN, 0, 0, null, null);
    }

    /** Switched off by hand until reset: every call passes, nothing is recorded. */
    public static Phase disabled() {
        return new Phase(CircuitState.DISABLED, 0, 0, null, null);
    }

    /**
     * Numbers this phase as the transition after {@code previous}, the phase its CAS expects to
     * replace. Call before each attempt of that CAS, never after it succeeded.
     */
    public void numberAfter(Phase previous) {
        this.seq = previous.seq + 1;
    }

    /** The number of the transition that published this phase; 0 for a breaker's first phase. */
    public long seq() {
        return seq;
    }

    public CircuitState state() {
        return state;
    }

    /** Consecutive openings without a successful close; 0 when CLOSED. */
    public int openings() {
        return openings;
    }

    /** When an OPEN stay ends, as a ticker reading. */
    public long openUntilNanos() {
        return openUntilNanos;
    }

    /** The window of a CLOSED stay, else {@code null}. */
    public Window window() {
        return window;
    }

    /** The probes of a HALF_OPEN stay, else {@code null}. */
    public ProbeGate gate() {
        return gate;
    }

    @Override
    public String toString() {
        return "Phase[" + state + ", openings=" + openings + "]";
    }
}
