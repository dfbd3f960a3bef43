package dev.nines.jcstress;

import dev.nines.circuitbreaker.internal.CountWindow;
import dev.nines.circuitbreaker.internal.WindowCounts;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.JJJ_Result;

/**
 * The circuit breaker's count window: its aggregate always equals the sum of its slots, also when
 * two calls land on the same slot (the ring wrapped between one call's cursor step and its swap).
 */
public final class CountWindowStress {

    private CountWindowStress() {
    }

    /**
     * A window of one call, a failure and a success recorded at once: both land on the one slot,
     * and the aggregate is exactly the outcome left in it, one call, failed or not.
     */
    @JCStressTest
    @Outcome(id = {"1, 1", "1, 0"}, expect = Expect.ACCEPTABLE, desc = "one call, the slot's outcome")
    @Outcome(expect = Expect.FORBIDDEN, desc = "the aggregate drifted from the slot")
    @State
    public static class SameSlot {
        private final CountWindow window = new CountWindow(1);

        @Actor
        public void failure() {
            window.record(WindowCounts.of(true, false), 0);
        }

        @Actor
        public void success() {
            window.record(WindowCounts.of(false, false), 0);
        }

        @Arbiter
        public void aggregate(II_Result r) {
            long total = window.aggregate(0);
            r.r1 = (int) WindowCounts.calls(total);
            r.r2 = (int) WindowCounts.failures(total);
        }
    }

    /**
     * A window of two calls, each recording a failure: the aggregate holds both, and the value each
     * record returns (what it judges the window by) is one or two failures, the second never before
     * the first.
     */
    @JCStressTest
    @Outcome(id = {"1, 2, 2", "2, 1, 2"}, expect = Expect.ACCEPTABLE, desc = "each saw its own addition; both counted")
    @Outcome(expect = Expect.FORBIDDEN, desc = "a failure lost or counted twice")
    @State
    public static class TwoSlots {
        private final CountWindow window = new CountWindow(2);

        @Actor
        public void first(JJJ_Result r) {
            r.r1 = WindowCounts.failures(window.record(WindowCounts.of(true, false), 0));
        }

        @Actor
        public void second(JJJ_Result r) {
            r.r2 = WindowCounts.failures(window.record(WindowCounts.of(true, false), 0));
        }

        @Arbiter
        public void aggregate(JJJ_Result r) {
            r.r3 = WindowCounts.failures(window.aggregate(0));
        }
    }
}
