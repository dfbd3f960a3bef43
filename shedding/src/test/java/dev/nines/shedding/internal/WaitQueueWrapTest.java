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
}
