package dev.nines.jcstress;

import dev.nines.circuitbreaker.internal.ProbeGate;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.LI_Result;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * The circuit breaker's half-open probe gate admits exactly its limit of probes, and a report and a
 * release of one probe never both take its slot, however the threads interleave.
 */
public final class ProbeGateStress {

    private ProbeGateStress() {
    }

    /** Two callers race for the one probe slot of a half-open breaker: exactly one gets it. */
    @JCStressTest
    @Outcome(id = {"true, false", "false, true"}, expect = Expect.ACCEPTABLE, desc = "exactly one probe admitted")
    @Outcome(id = "true, true", expect = Expect.FORBIDDEN, desc = "two probes through a gate of one")
    @Outcome(id = "false, false", expect = Expect.FORBIDDEN, desc = "the free slot was lost")
    @State
    public static class OneSlotTwoCallers {
        private final ProbeGate gate = new ProbeGate(1, 0.5, 1.0, 0);

        @Actor
        public void first(ZZ_Result r) {
            r.r1 = gate.tryIssue(1);
        }

        @Actor
        public void second(ZZ_Result r) {
            r.r2 = gate.tryIssue(2);
        }
    }

    /**
     * A probe slot given back races a new caller: the caller gets the slot or finds it taken, and
     * afterwards exactly as many probes are out as were admitted.
     */
    @JCStressTest
    @Outcome(id = {"1, 1", "0, 0"}, expect = Expect.ACCEPTABLE, desc = "admitted iff the slot was back; counts agree")
    @Outcome(expect = Expect.FORBIDDEN, desc = "a slot created or lost")
    @State
    public static class ReleaseRacesIssue {
        private final ProbeGate gate = new ProbeGate(1, 0.5, 1.0, 0);

        public ReleaseRacesIssue() {
            gate.tryIssue(0);
        }

        @Actor
        public void giveBack() {
            gate.release();
        }

        @Actor
        public void caller(II_Result r) {
            r.r1 = gate.tryIssue(1) ? 1 : 0;
        }

        @Arbiter
        public void outstanding(II_Result r) {
            r.r2 = gate.outstanding();
        }
    }

    /**
     * The outcome of the one probe and a release of the same probe race (a late outcome of a call
     * that was given up on): one of them settles the slot, never both, so nothing is left out and
     * nothing is counted below zero. The report's verdict says which: CLOSE when it counted (the one
     * probe of the gate succeeded), STALE when the release had given the slot back first.
     */
    @JCStressTest
    @Outcome(id = {"CLOSE, 0", "STALE, 0"}, expect = Expect.ACCEPTABLE, desc = "the slot settled once, by the report or the release")
    @Outcome(id = "CLOSE, -1", expect = Expect.FORBIDDEN, desc = "the slot settled twice")
    @Outcome(expect = Expect.FORBIDDEN, desc = "the slot settled never, or the verdict disagrees with the count")
    @State
    public static class ReportRacesRelease {
        private final ProbeGate gate = new ProbeGate(1, 0.5, 1.0, 0);

        public ReportRacesRelease() {
            gate.tryIssue(0);
        }

        @Actor
        public void report(LI_Result r) {
            r.r1 = gate.report(false, false);
        }

        @Actor
        public void giveBack() {
            gate.release();
        }

        @Arbiter
        public void outstanding(LI_Result r) {
            r.r2 = gate.outstanding();
        }
    }
}
