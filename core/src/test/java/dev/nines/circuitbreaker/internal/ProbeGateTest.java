package dev.nines.circuitbreaker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProbeGateTest {

    /** A System.nanoTime-like reading, far from 0. */
    private static final long START = 1L << 60;
    private static final long MAX_PROBE = 30_000_000_000L;

    @Test
    void theIssueStampStartsAtTheBeginningOfHalfOpen() {
        ProbeGate gate = new ProbeGate(2, 50, 100, START);
        assertEquals(START, gate.lastIssuedNanos(), "not 0: a racing reader must never see a stamp before HALF_OPEN");
        assertTrue(gate.tryIssue(START + 5));
        assertEquals(START + 5, gate.lastIssuedNanos());
    }

    @Test
    void theIssueStampNeverMovesBack() {
        ProbeGate gate = new ProbeGate(3, 50, 100, START);
        assertTrue(gate.tryIssue(START + 10));
        assertTrue(gate.tryIssue(START + 4)); // a thread that read the clock earlier wins its CAS later
        assertEquals(START + 10, gate.lastIssuedNanos());
        assertTrue(gate.tryIssue(START + 12));
        assertFalse(gate.isAbandoned(START + 12 + MAX_PROBE - 1, MAX_PROBE));
        assertTrue(gate.isAbandoned(START + 12 + MAX_PROBE, MAX_PROBE));
    }

    @Test
    void probesAreAbandonedOnlyWhenAllAreOutAndTheLastIsOld() {
        ProbeGate gate = new ProbeGate(2, 50, 100, START);
        assertTrue(gate.tryIssue(START));
        assertFalse(gate.isAbandoned(START + 2 * MAX_PROBE, MAX_PROBE), "a slot is still free");
        assertTrue(gate.tryIssue(START + MAX_PROBE));
        assertFalse(gate.isAbandoned(START + 2 * MAX_PROBE - 1, MAX_PROBE));
        assertTrue(gate.isAbandoned(START + 2 * MAX_PROBE, MAX_PROBE));
        assertEquals(ProbeGate.Verdict.PENDING, gate.report(false, false));
        assertEquals(ProbeGate.Verdict.CLOSE, gate.report(false, false));
        assertFalse(gate.isAbandoned(START + 3 * MAX_PROBE, MAX_PROBE), "every outcome arrived");
    }

    @Test
    void racingIssuersOnAFrozenClockNeverSeeTheProbesAbandoned() throws Exception {
        int threads = 4;
        int limit = 3;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 500; round++) {
                long now = START + round * 7L;
                ProbeGate gate = new ProbeGate(limit, 50, 100, now);
                AtomicInteger issued = new AtomicInteger();
                AtomicInteger judgedAbandoned = new AtomicInteger();
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    done.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < limit; i++) {
                            if (gate.tryIssue(now)) {
                                issued.incrementAndGet();
                            } else if (gate.isAbandoned(now, MAX_PROBE)) {
                                judgedAbandoned.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
                assertEquals(limit, issued.get(), "round " + round + ": exactly the limit is admitted");
                assertEquals(0, judgedAbandoned.get(), "round " + round + ": no time passed, nothing is abandoned");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void rejectsALimitOutOfRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ProbeGate(0, 50, 100, START));
        assertEquals("limit must be in [1, 1000] but was 0", e.getMessage());
    }
}
