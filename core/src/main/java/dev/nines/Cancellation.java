package dev.nines;

/**
 * A cooperative cancellation flag shared by a call and everything it starts.
 *
 * <p>A timeout that gives up on a call sets the flag; long-running user code can poll
 * {@link CallContext#isCancelled()} and stop early, which matters for work that ignores
 * interruption.
 *
 * <p>Thread-safe: the flag is volatile, so a cancel on one thread (a timer, a caller giving up) is
 * seen by the work on any other at its next check. It only ever goes from active to cancelled.
 */
public final class Cancellation {

    private volatile boolean cancelled;

    /** A flag not yet raised. */
    public Cancellation() {
    }

    /** Marks the call as cancelled. Idempotent. */
    public void cancel() {
        cancelled = true;
    }

    /** Whether {@link #cancel()} was called. */
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public String toString() {
        return cancelled ? "Cancellation[cancelled]" : "Cancellation[active]";
    }
}
