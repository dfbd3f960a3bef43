package dev.nines.circuitbreaker.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The probe accounting of one HALF_OPEN period: admits exactly {@code limit} probes and decides
 * from their outcomes.
 *
 * <p>One {@code long} holds four unsigned 16-bit fields: probes issued, probes reported, failed
 * probes and slow probes. Admission is one CAS that raises "issued" only while it is below the
 * limit, so however many threads race, exactly {@code limit} win. A report raises "reported" (and
 * the failure and slow fields) only while reported &lt; issued, so a stray report cannot count
 * twice; {@link #release()} gives an issued, unreported slot back.
 *
 * <p>A probe that never reports (a thrown {@code Error} is reported; an abandoned permit is not)
 * would hold its slot forever. {@link #isAbandoned} tells the breaker when all slots are out and
 * the last one was issued more than the allowed probe duration ago. The issue stamp starts at the
 * time the gate was created (the start of HALF_OPEN), only moves forward, and is advanced before
 * the CAS that takes a slot: a thread that sees every slot taken also sees a stamp at least as
 * late as the last admission, never a stale or zero one.
 *
 * <p>Thread-safe, lock-free.
 */
public final class ProbeGate {

    /** The largest probe limit the fields can hold. */
    public static final int MAX_PROBES = 1000;

    /** What a report means for the breaker. */
    public enum Verdict {
        /** More outcomes are needed. */
        PENDING,
        /** Enough probes succeeded: close. */
        CLOSE,
        /** Too many probes failed or were slow: open again. */
        REOPEN,
        /** The report did not match an outstanding probe and was not counted. */
        STALE
    }

    private static final long ISSUED = 1L;
    private static final long REPORTED = 1L << 16;
    private static final long FAILED = 1L << 32;
    private static final long SLOW = 1L << 48;
    private static final long MASK = 0xFFFFL;

    private final int limit;
    private final double failureRateThreshold;
    private final double slowCallRateThreshold;
    private final AtomicLong state = new AtomicLong();
    private final AtomicLong lastIssuedNanos;

    /**
     * @param limit                 how many probes to admit, 1 to {@link #MAX_PROBES}
     * @param failureRateThreshold  fraction of failed probes, out of {@code limit}, that reopens
     * @param slowCallRateThreshold fraction of slow probes, out of {@code limit}, that reopens
     * @param startNanos            the ticker reading when HALF_OPEN began: the first issue stamp
     */
    public ProbeGate(int limit, double failureRateThreshold, double slowCallRateThreshold, long startNanos) {
        if (limit < 1 || limit > MAX_PROBES) {
            throw new IllegalArgumentException("limit must be in [1, " + MAX_PROBES + "] but was " + limit);
        }
        this.limit = limit;
        this.failureRateThreshold = failureRateThreshold;
        this.slowCallRateThreshold = slowCallRateThreshold;
        this.lastIssuedNanos = new AtomicLong(startNanos);
    }

    /** Admits one probe if fewer than the limit are out; {@code nowNanos} stamps it. */
    public boolean tryIssue(long nowNanos) {
        long v = state.get();
        while (issued(v) < limit) {
            advanceStamp(nowNanos); // before the CAS, so whoever sees the slot taken sees the stamp
            if (state.compareAndSet(v, v + ISSUED)) {
                return true;
            }
            v = state.get(); // retry on fresh state
        }
        return false;
    }

    /** Gives back an issued probe whose call never ran or whose outcome is ignored. */
    public void release() {
        long v = state.get();
        while (issued(v) > reported(v)) {
            if (state.compareAndSet(v, v - ISSUED)) {
                return;
            }
            v = state.get();
        }
    }

    /** Counts one probe outcome and says what it means. */
    public Verdict report(boolean failed, boolean slow) {
        long v = state.get();
        long next;
        while (true) {
            if (reported(v) >= issued(v)) {
                return Verdict.STALE;
            }
            next = v + REPORTED + (failed ? FAILED : 0) + (slow ? SLOW : 0);
            if (state.compareAndSet(v, next)) {
                break;
            }
            v = state.get();
        }
        // Rates are out of the full limit, so a verdict to reopen can come before every probe reports.
        if (BreakerStateMachine.atThreshold(field(next, 32), limit, failureRateThreshold)
                || BreakerStateMachine.atThreshold(field(next, 48), limit, slowCallRateThreshold)) {
            return Verdict.REOPEN;
        }
        return reported(next) >= limit ? Verdict.CLOSE : Verdict.PENDING;
    }

    /**
     * Whether every probe slot is out, some outcome is missing, and the last probe was admitted
     * at least {@code maxProbeNanos} before {@code nowNanos}.
     */
    public boolean isAbandoned(long nowNanos, long maxProbeNanos) {
        long v = state.get();
        return issued(v) >= limit && reported(v) < issued(v) && nowNanos - lastIssuedNanos.get() >= maxProbeNanos;
    }

    /** The issue stamp: when HALF_OPEN began or the latest admission attempt, whichever is later. */
    long lastIssuedNanos() {
        return lastIssuedNanos.get();
    }

    /** Moves the stamp forward to {@code nowNanos}; never back (racing threads read the clock out of order). */
    private void advanceStamp(long nowNanos) {
        long stamp = lastIssuedNanos.get();
        while (nowNanos - stamp > 0 && !lastIssuedNanos.compareAndSet(stamp, nowNanos)) {
            stamp = lastIssuedNanos.get();
        }
    }

    /** Probes currently admitted and not yet reported. */
    public int outstanding() {
        long v = state.get();
        return (int) (issued(v) - reported(v));
    }

    private static long issued(long v) {
        return v & MASK;
    }

    private static long reported(long v) {
        return field(v, 16);
    }

    private static long field(long v, int shift) {
        return (v >>> shift) & MASK;
    }

    @Override
    public String toString() {
        long v = state.get();
        return "ProbeGate[limit=" + limit + ", issued=" + issued(v) + ", reported=" + reported(v) + "]";
    }
}
