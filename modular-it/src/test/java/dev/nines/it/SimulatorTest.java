package dev.nines.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.Priority;
import dev.nines.simulator.Mode;
import dev.nines.simulator.OverloadSimulator;
import dev.nines.simulator.Scenario;
import dev.nines.simulator.SimulationConfig;
import dev.nines.simulator.SimulationResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The simulator works as its own module: it drives the shedding module's API, and validates its
 * configuration through core's {@code dev.nines.internal}, exported to it by name.
 */
class SimulatorTest {

    @Test
    void aShedderAtThreeTimesCapacityKeepsGoodputAndCriticalTraffic() {
        SimulationResult r = OverloadSimulator.run(SimulationConfig.builder().build(),
                Scenario.constant(3.0, Duration.ofSeconds(2), Duration.ofSeconds(2)), Mode.ADAPTIVE);
        String table = OverloadSimulator.table(List.of(r));
        assertTrue(r.goodputRatio() >= 0.9, table);
        assertTrue(r.of(Priority.P0).successRate() >= 0.99, table);
        assertTrue(r.of(Priority.P3).shed() > 0, "3x capacity shed nothing: " + table);
    }

    @Test
    void badConfigurationFailsThroughTheSharedValidation() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SimulationConfig.builder().workers(0).build());
        assertTrue(e.getMessage().startsWith("workers must be"), e.getMessage());
        assertEquals("dev.nines.simulator", SimulationConfig.class.getModule().getName());
    }
}
