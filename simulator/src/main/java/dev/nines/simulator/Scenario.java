package dev.nines.simulator;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A sequence of load {@link Phase}s the simulator plays in order.
 *
 * @param name   for tables and charts
 * @param phases in order; at least one
 * Immutable (its phases are copied into an unmodifiable list) and thread-safe.
 */
public record Scenario(String name, List<Phase> phases) {

    /**
     * Validates the scenario and copies its phases.
     *
     * @throws IllegalArgumentException if {@code phases} is empty
     */
    public Scenario {
        Objects.requireNonNull(name, "name");
        phases = List.copyOf(phases);
        if (phases.isEmpty()) {
            throw new IllegalArgumentException("phases must not be empty");
        }
    }

    /** A warm-up at {@code load}, then a measured phase at the same load. */
    public static Scenario constant(double load, Duration warmup, Duration measured) {
        return new Scenario(load + "x", List.of(new Phase("warmup", load, warmup, false),
                new Phase("steady", load, measured, true)));
    }

    /**
     * A step overload: {@code base} load, then {@code peak} load, then {@code base} again (the
     * recovery). Only the overload phase is measured; the timeline covers all three.
     */
    public static Scenario step(double base, double peak, Duration before, Duration during, Duration after) {
        return new Scenario("step " + base + "x -> " + peak + "x -> " + base + "x",
                List.of(new Phase("before", base, before, false), new Phase("overload", peak, during, true),
                        new Phase("recovery", base, after, false)));
    }

    /** Total simulated time in nanoseconds. */
    public long totalNanos() {
        long total = 0;
        for (Phase p : phases) {
            total += p.duration().toNanos();
        }
        return total;
    }
}
