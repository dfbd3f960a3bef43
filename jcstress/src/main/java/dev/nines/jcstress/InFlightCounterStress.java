package dev.nines.jcstress;

import dev.nines.shedding.internal.InFlightCounter;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The load shedder's packed in-flight word: in flight never passes the threshold, every admission
 * gets its own sequence number, and a release racing an admission neither creates nor loses a slot.
 */
public final class InFlightCounterStress {

    private InFlightCounterStress() {
    }

    /** Two admissions race for the last slot under the limit: exactly one gets it. */
    @JCStressTest
    @Outcome(id = {"0, -1, 1", "-1, 0, 1"}, expect = Expect.ACCEPTABLE, desc = "one admitted, sequence 0")
    @Outcome(expect = Expect.FORBIDDEN, desc = "both or neither admitted, or a wrong count")
    @State
    public static class LastSlot {
        private final InFlightCounter counter = new InFlightCounter();

        @Actor
        public void first(III_Result r) {
            r.r1 = counter.tryAdmit(1);
        }

        @Actor
        public void second(III_Result r) {
            r.r2 = counter.tryAdmit(1);
        }

        @Arbiter
        public void inFlight(III_Result r) {
            r.r3 = counter.get();
        }
    }

    /** Two admissions with room for both: both in, numbered 0 and 1 in some order, never the same. */
    @JCStressTest
    @Outcome(id = {"0, 1, 2", "1, 0, 2"}, expect = Expect.ACCEPTABLE, desc = "distinct sequence numbers")
    @Outcome(expect = Expect.FORBIDDEN, desc = "a sequence number given twice, or a wrong count")
    @State
    public static class Numbering {
        private final InFlightCounter counter = new InFlightCounter();

        @Actor
        public void first(III_Result r) {
            r.r1 = counter.tryAdmit(2);
        }

        @Actor
        public void second(III_Result r) {
            r.r2 = counter.tryAdmit(2);
        }

        @Arbiter
        public void inFlight(III_Result r) {
            r.r3 = counter.get();
        }
    }

    /**
     * A call at the limit ends while another asks in: the newcomer gets the freed slot or is
     * refused, and the count afterwards says exactly which.
     */
    @JCStressTest
    @Outcome(id = {"1, 1", "0, 0"}, expect = Expect.ACCEPTABLE, desc = "admitted iff the slot was freed; count agrees")
    @Outcome(expect = Expect.FORBIDDEN, desc = "a slot created or lost")
    @State
    public static class ReleaseRacesAdmission {
        private final InFlightCounter counter = new InFlightCounter();

        public ReleaseRacesAdmission() {
            counter.tryAdmit(1);
        }

        @Actor
        public void release() {
            counter.decrement();
        }

        @Actor
        public void admit(II_Result r) {
            r.r1 = counter.tryAdmit(1) == InFlightCounter.NO_SLOT ? 0 : 1;
        }

        @Arbiter
        public void inFlight(II_Result r) {
            r.r2 = counter.get();
        }
    }
}
