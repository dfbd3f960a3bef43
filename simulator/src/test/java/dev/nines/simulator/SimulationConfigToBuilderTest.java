package dev.nines.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nines.shedding.limit.GradientLimit;
import org.junit.jupiter.api.Test;

/** toBuilder() keeps unset what the user never set: limits that default from the workers follow new workers. */
class SimulationConfigToBuilderTest {

    @Test
    void limitsDefaultedFromTheWorkersFollowTheWorkersOfADerivedConfig() {
        SimulationConfig small = SimulationConfig.builder().workers(100).build();
        SimulationConfig big = small.toBuilder().workers(400).build();
        assertEquals(400, big.fixedLimit(), "the fixed limit was never set: it is the workers");
        assertEquals(SimulationConfig.defaultAdaptiveLimit(400).currentLimit(), big.newAdaptiveLimit().currentLimit());
        assertEquals(SimulationConfig.defaultAdaptiveLimit(400).toString(), big.newAdaptiveLimit().toString());
    }

    @Test
    void limitsTheUserSetAreKept() {
        GradientLimit prototype = GradientLimit.builder().initialLimit(33).maxLimit(500).build();
        SimulationConfig set = SimulationConfig.builder().workers(100).fixedLimit(70).adaptiveLimit(prototype).build();
        SimulationConfig derived = set.toBuilder().workers(400).build();
        assertEquals(70, derived.fixedLimit());
        assertEquals(33, derived.newAdaptiveLimit().currentLimit());
    }
}
