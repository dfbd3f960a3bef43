package dev.nines.slo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The health detail of SLOs: the figures of one evaluation, and degraded only when asked for and burning fast. */
class SloHealthTest {

    private final ManualTicker ticker = new ManualTicker();
    private final SloRegistry registry = new SloRegistry();
    private final Slo slo = registry.add(Slo.availability("checkout").objective(0.99).ticker(ticker).build());

    @Test
    void theDetailShowsEachSlosBudgetStateAndBurnRates() {
        for (int i = 0; i < 98; i++) {
            slo.record(true);
        }
        slo.record(false);
        slo.record(false);
        SloHealth health = SloHealth.of(registry, true);
        assertFalse(health.degraded(), "nothing evaluated yet");
        @SuppressWarnings("unchecked")
        Map<String, Object> detail = (Map<String, Object>) health.detail().get("checkout");
        assertEquals("99%", detail.get("objective"));
        assertEquals("30d", detail.get("window"));
        assertEquals(98L, detail.get("good"));
        assertEquals(100L, detail.get("total"));
        assertEquals(0.98, detail.get("attainment"));
        assertEquals(-1.0, detail.get("budgetRemaining")); // 2 failures of 1 allowed: overspent by one budget
        assertEquals(-1.0, detail.get("budgetRemainingEvents"));
        assertEquals("ticket", detail.get("state")); // burning at 2x: only the ticket fires
        @SuppressWarnings("unchecked")
        Map<String, Object> fast = (Map<String, Object>) ((Map<String, Object>) detail.get("alerts")).get("page-fast");
        assertEquals(Map.of("severity", "page", "threshold", 14.4, "longBurnRate", 2.0, "shortBurnRate", 2.0,
                "firing", false), fast);
        @SuppressWarnings("unchecked")
        Map<String, Object> ticket = (Map<String, Object>) ((Map<String, Object>) detail.get("alerts")).get("ticket");
        assertEquals(true, ticket.get("firing"));
        assertEquals(List.of("checkout"), List.copyOf(health.detail().keySet()));
    }

    @Test
    void degradedOnlyWhenBuiltToAndAPageAlertFires() {
        for (int i = 0; i < 10; i++) {
            slo.record(false); // 100% failures: 100x the budget's rate in every window
        }
        SloHealth informs = SloHealth.of(registry, false);
        SloHealth degrades = SloHealth.of(registry, true);
        informs.detail();
        degrades.detail();
        assertFalse(informs.degraded());
        assertTrue(degrades.degraded());
        ticker.advance(Duration.ofHours(7)); // every page alert's windows have moved past the failures
        degrades.detail();
        assertFalse(degrades.degraded());
    }

}
