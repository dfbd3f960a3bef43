package dev.nines.shedding;

import static dev.nines.Priority.P0;
import static dev.nines.Priority.P3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.Outcome;
import dev.nines.metrics.PolicyKinds;
import dev.nines.shedding.limit.ConcurrencyLimit;
import org.junit.jupiter.api.Test;

/** A shedder reports what it sheds with the priority it shed, since priority is the point of shedding. */
class ShedMetricsByPriorityTest {

    private final ManualTicker ticker = new ManualTicker();
    private final InMemoryMetrics metrics = new InMemoryMetrics(ticker, 10);

    @Test
    void shedRequestsAreCountedUnderTheirPriority() {
        LoadShedder shedder = LoadShedder.builder("api").limit(ConcurrencyLimit.fixed(2)).ticker(ticker).metrics(metrics).build();
        try (Permit held = shedder.tryAcquire(P3)) {
            assertTrue(held.isAdmitted());
            assertFalse(shedder.tryAcquire(P3).isAdmitted(), "P3 may use half of 2");
            assertEquals(LoadShedder.REJECTED, shedder.tryAdmit(P3), "the token API reports the same way");
            shedder.forceTier(Tier.CRITICAL_ONLY);
            assertFalse(shedder.tryAcquire(P3).isAdmitted());
        }

        assertEquals(3, metrics.count("api", PolicyKinds.LOAD_SHEDDER, P3, Outcome.SHED));
        assertEquals(0, metrics.count("api", PolicyKinds.LOAD_SHEDDER, P0, Outcome.SHED));
        assertEquals(3, metrics.count("api", PolicyKinds.LOAD_SHEDDER, Outcome.SHED));
    }

    @Test
    void admittedRequestsAreCountedUnderTheirPriorityThroughEveryReleasingForm() throws Exception {
        LoadShedder shedder = LoadShedder.builder("api").limit(ConcurrencyLimit.fixed(8)).ticker(ticker).metrics(metrics).build();
        try (Permit p = shedder.tryAcquire(P3)) {
            p.success();
        }
        shedder.call(dev.nines.CallContext.empty().withPriority(P0), ctx -> "ok");
        shedder.callAsync(dev.nines.CallContext.empty().withPriority(P0),
                ctx -> java.util.concurrent.CompletableFuture.completedFuture("ok")).toCompletableFuture().join();
        long token = shedder.tryAdmit(P3);
        shedder.release(token, P3, Outcome.FAILURE);
        shedder.release(shedder.tryAdmit(P3), Outcome.SUCCESS); // the priority-less form still counts the call

        assertEquals(1, metrics.count("api", PolicyKinds.LOAD_SHEDDER, P3, Outcome.SUCCESS));
        assertEquals(2, metrics.count("api", PolicyKinds.LOAD_SHEDDER, P0, Outcome.SUCCESS));
        assertEquals(1, metrics.count("api", PolicyKinds.LOAD_SHEDDER, P3, Outcome.FAILURE));
        assertEquals(4, metrics.count("api", PolicyKinds.LOAD_SHEDDER, Outcome.SUCCESS));
    }
}
