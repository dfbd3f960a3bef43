package dev.nines.shedding;

import dev.nines.Priority;
import dev.nines.metrics.Outcome;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The right to run one admitted request, from {@link LoadShedder#tryAcquire(Priority)} or
 * {@link LoadShedder#acquire(Priority)}; released exactly once, by the first of {@link #success()},
 * {@link #failure()}, {@link #dropped()}, {@link #ignore()} or {@link #close()}. Later calls do
 * nothing and return {@code false}, so it is safe in try-with-resources:
 *
 * <pre>{@code
 * try (Permit permit = shedder.tryAcquire(P1)) {
 *     if (!permit.isAdmitted()) {
 *         return unavailable();
 *     }
 *     Response r = handle(request);
 *     permit.success();   // the latency sample teaches an adaptive limit
 *     return r;
 * }                       // an exception releases it as ignored
 * }</pre>
 *
 * A rejected result is a shared constant whose completion methods do nothing. Thread-safe: a
 * permit may be released from another thread than the one that acquired it.
 *
 * <p><b>Allocation.</b> An admitted permit is one small object (32 bytes with compressed
 * references). It is not optimised away even when it never leaves the caller's method: its
 * exactly-once guarantee is a compare-and-set on its own field, and HotSpot's escape analysis does
 * not scalar-replace an object that is the target of an atomic update. Dropping the atomic update
 * would break release from another thread, so the permit keeps it. Where those bytes matter, use
 * the allocation-free token form, {@link LoadShedder#tryAdmit(Priority)} and
 * {@link LoadShedder#release(long, Outcome)}, or the shedder as a pipeline policy; both allocate
 * nothing on admission.
 */
public final class Permit implements AutoCloseable {

    private static final VarHandle DONE;
    private static final Permit[] REJECTED = new Permit[Priority.values().length];

    static {
        try {
            DONE = MethodHandles.lookup().findVarHandle(Permit.class, "done", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        for (Priority p : Priority.values()) {
            REJECTED[p.ordinal()] = new Permit(null, p, LoadShedder.REJECTED);
        }
    }

    private final LoadShedder shedder;
    private final Priority priority;
    private final long token;
    private volatile int done;

    Permit(LoadShedder shedder, Priority priority, long token) {
        this.shedder = shedder;
        this.priority = priority;
        this.token = token;
        this.done = shedder == null ? 1 : 0;
    }

    static Permit rejected(Priority priority) {
        return REJECTED[priority.ordinal()];
    }

    /** Whether the request was admitted; {@code false} for a shed request. */
    public boolean isAdmitted() {
        return shedder != null;
    }

    /** The request's priority. */
    public Priority priority() {
        return priority;
    }

    /** Whether this permit has been released (always true for a rejected one). */
    public boolean isReleased() {
        return done != 0;
    }

    /** Releases the permit: the request succeeded; its latency is a sample for the limit. */
    public boolean success() {
        return complete(Outcome.SUCCESS);
    }

    /** Releases the permit: the request failed; its latency is still a sample for the limit. */
    public boolean failure() {
        return complete(Outcome.FAILURE);
    }

    /** Releases the permit: the request was dropped or timed out, an overload signal for the limit. */
    public boolean dropped() {
        return complete(Outcome.TIMED_OUT);
    }

    /** Releases the permit without teaching the limit anything. */
    public boolean ignore() {
        return complete(Outcome.IGNORED);
    }

    /**
     * Releases the permit with the given outcome (see {@link LoadShedder#release(long, Outcome)}).
     *
     * @return whether this call released it; {@code false} if it was already released or rejected
     */
    public boolean complete(Outcome outcome) {
        if (shedder == null || !DONE.compareAndSet(this, 0, 1)) {
            return false;
        }
        shedder.release(token, priority, outcome);
        return true;
    }

    /** Releases the permit as {@link #ignore() ignored} unless it was released already. */
    @Override
    public void close() {
        complete(Outcome.IGNORED);
    }

    @Override
    public String toString() {
        return "Permit[" + priority + (isAdmitted() ? (isReleased() ? ", released]" : ", held]") : ", rejected]");
    }
}
