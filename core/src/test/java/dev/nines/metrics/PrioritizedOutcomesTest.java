package dev.nines.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nines.ManualTicker;
import dev.nines.Priority;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Outcomes reported with a priority: counted per priority, and never lost by sinks that ignore priorities. */
class PrioritizedOutcomesTest {

    private final InMemoryMetrics metrics = new InMemoryMetrics(new ManualTicker(), 10);

    @Test
    void aPrioritizedOutcomeIsCountedUnderItsPriorityAndInTheTotals() {
        metrics.onOutcome("api", PolicyKinds.LOAD_SHEDDER, Priority.P3, Outcome.SHED, 0);
        metrics.onOutcome("api", PolicyKinds.LOAD_SHEDDER, Priority.P3, Outcome.SHED, 0);
        metrics.onOutcome("api", PolicyKinds.LOAD_SHEDDER, Priority.P0, Outcome.SUCCESS, 5);
        metrics.onOutcome("api", PolicyKinds.LOAD_SHEDDER, Outcome.SUCCESS, 7);

        assertEquals(2, metrics.count("api", PolicyKinds.LOAD_SHEDDER, Priority.P3, Outcome.SHED));
        assertEquals(0, metrics.count("api", PolicyKinds.LOAD_SHEDDER, Priority.P2, Outcome.SHED));
        assertEquals(1, metrics.count("api", PolicyKinds.LOAD_SHEDDER, Priority.P0, Outcome.SUCCESS));
        assertEquals(2, metrics.count("api", PolicyKinds.LOAD_SHEDDER, Outcome.SUCCESS), "with a priority or without");
        assertEquals(2, metrics.count("api", Outcome.SHED));
        assertEquals(2, metrics.latency("api", PolicyKinds.LOAD_SHEDDER).count(), "calls that ran, either way");

        InMemoryMetrics.PolicySnapshot snap = metrics.snapshot().get(0);
        assertEquals(2L, snap.counts().get(Outcome.SHED));
        assertEquals(2L, snap.counts().get(Outcome.SUCCESS));
        assertEquals(2L, snap.countsByPriority().get(Priority.P3).get(Outcome.SHED));
        assertEquals(0L, snap.countsByPriority().get(Priority.P1).get(Outcome.SHED));

        metrics.reset();
        assertEquals(0, metrics.count("api", PolicyKinds.LOAD_SHEDDER, Priority.P3, Outcome.SHED));
    }

    @Test
    void aSinkThatKnowsNoPrioritiesStillCountsPrioritizedOutcomes() {
        List<String> seen = new ArrayList<>();
        MetricsSink plain = new MetricsSink() {
            @Override
            public void onOutcome(String policy, String kind, Outcome outcome, long durationNanos) {
                seen.add(policy + " " + outcome);
            }
        };

        plain.onOutcome("api", PolicyKinds.LOAD_SHEDDER, Priority.P1, Outcome.SHED, 0);

        assertEquals(List.of("api SHED"), seen);
    }

    @Test
    void guardedAndCompositeSinksPassThePriorityOn() {
        InMemoryMetrics other = new InMemoryMetrics(new ManualTicker(), 10);
        MetricsSink throwing = new MetricsSink() {
            @Override
            public void onOutcome(String policy, String kind, Priority priority, Outcome outcome, long durationNanos) {
                throw new IllegalStateException("a broken sink");
            }
        };
        MetricsSink both = MetricsSink.composite(throwing, metrics, other);

        both.onOutcome("api", PolicyKinds.LOAD_SHEDDER, Priority.P2, Outcome.SHED, 0);
        Metrics.guard(metrics).onOutcome("api", PolicyKinds.LOAD_SHEDDER, Priority.P2, Outcome.SHED, 0);

        assertEquals(2, metrics.count("api", PolicyKinds.LOAD_SHEDDER, Priority.P2, Outcome.SHED));
        assertEquals(1, other.count("api", PolicyKinds.LOAD_SHEDDER, Priority.P2, Outcome.SHED));
    }
}
