package dev.nines.shedding.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.Priority;
import dev.nines.Ticker;
import org.junit.jupiter.api.Test;

/** A waiter's wait is measured as a difference of readings, so the wrap past Long.MAX_VALUE cuts nothing short. */
class WaitQueueWrapTest {

    private static final long MAX_WAIT = 10_000; // ns
    private static final long STEP = 1_000; // ns per reading

    @Test
    void aWaiterWithoutADeadlineWaitsItsWholeMaxWaitAcrossTheWrap() {
        long start = Long.MAX_VALUE - 5 * STEP;
        long[] now = {start};
        Ticker stepping = () -> now[0] += STEP; // each reading a microsecond later, wrapping halfway through the wait
        WaitQueue queue = new WaitQueue(4, MAX_WAIT, MAX_WAIT, 100 * MAX_WAIT);
        WaitQueue.Waiter w = queue.enqueue(Priority.P1, start, Long.MAX_VALUE);
        int state = queue.await(w, stepping);
        assertEquals(WaitQueue.CANCELLED, state, "nobody granted it: its own wait ran out");
        long waited = now[0] - start;
        assertTrue(waited >= MAX_WAIT, "gave up after " + waited + " ns of a " + MAX_WAIT + " ns wait");
        assertEquals(0, queue.size());
    }

    @Test
    void theQueueStandsAfterAnIntervalOfSlowGrantsEvenWhenThatIntervalEndsAtLongMinValue() {
        long interval = 100;
        WaitQueue queue = new WaitQueue(4, 1_000, 5, interval);
        int[] free = {0};
        WaitQueue.Slots slots = new WaitQueue.Slots() {
            @Override
            public boolean tryTake(Priority priority) {
                return free[0] > 0 && free[0]-- > 0;
            }

            @Override
            public void giveBack() {
                free[0]++;
            }

            @Override
            public boolean mayTakeOver(Priority priority) {
                return false;
            }
        };
        long first = Long.MIN_VALUE - interval; // the interval that starts here ends at the reading Long.MIN_VALUE
        queue.enqueue(Priority.P1, first - 10, Long.MAX_VALUE);
        queue.enqueue(Priority.P1, first - 10, Long.MAX_VALUE);
        queue.enqueue(Priority.P1, first - 10, Long.MAX_VALUE);
        free[0] = 1;
        queue.drain(first, slots); // waited 10 ns, over the 5 ns target: the interval starts
        assertEquals(false, queue.isCuttingShort());
        free[0] = 1;
        queue.drain(Long.MIN_VALUE - 6, slots); // over the target, but within the interval
        assertEquals(false, queue.isCuttingShort());
        free[0] = 1;
        queue.enqueue(Priority.P1, Long.MIN_VALUE - 2, Long.MAX_VALUE); // within the target: not cut
        queue.drain(Long.MIN_VALUE, slots); // still over the target a whole interval later
        assertTrue(queue.isCuttingShort(), "a standing queue: waits are cut to the target");
        assertEquals(1, queue.size());
    }
}
