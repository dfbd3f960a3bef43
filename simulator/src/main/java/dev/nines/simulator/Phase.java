package dev.nines.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * One stretch of constant offered load in a {@link Scenario}.
 *
 * @param name     for tables and charts
 * @param load     offered load as a multiple of the service's capacity (0.5 is half of it)
 * @param duration how long the phase lasts in simulated time
 * @param measured whether requests arriving in this phase count in the result's statistics
 *                 (warm-up phases do not)
 * Immutable and thread-safe.
 */
public record Phase(String name, double load, Duration duration, boolean measured) {

    /**
     * Validates the phase.
     *
     * @throws IllegalArgumentException if {@code load} is not positive or {@code duration} is not
     *                                  positive
     */
    public Phase {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(duration, "duration");
        if (!(load > 0)) {
            throw new IllegalArgumentException("load must be > 0 but was " + load);
        }
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("duration must be > 0 but was " + duration);
        }
    }
}
