package dev.nines.benchmarks.report;

import java.util.List;
import java.util.Map;

/**
 * What the report needs from an overload simulator: given one scenario's settings, the goodput
 * and the success rate per priority at each offered load, for each admission strategy (for
 * example the adaptive limit, a fixed limit and no shedding).
 *
 * <p>The settings are the scenario's resolved entries from the overload properties file (see
 * {@link OverloadScenario}); an implementation reads the keys it knows and must fail with an
 * {@link IllegalArgumentException} naming key and value for a bad one. Runs must be
 * deterministic: same settings, same result.
 */
@FunctionalInterface
public interface OverloadSimulator {

    /**
     * Simulates one scenario.
     *
     * @param settings the scenario's settings; always holds {@code loads}
     * @return one point per strategy and offered load
     */
    List<Point> run(Map<String, String> settings);

    /**
     * The outcome of one strategy at one offered load.
     *
     * @param strategy the admission strategy, for example {@code adaptive limit}
     * @param offeredLoad offered load as a multiple of capacity (1.0 = exactly capacity)
     * @param goodput requests completed successfully (within their deadline) per unit of time, as
     *     a multiple of capacity
     * @param successByPriority per priority P0..P3, the fraction (0..1) of that priority's offered
     *     requests that succeeded
     */
    record Point(String strategy, double offeredLoad, double goodput, List<Double> successByPriority) {

        /** Copies the list and checks there is one rate per priority. */
        public Point {
            successByPriority = List.copyOf(successByPriority);
            if (successByPriority.size() != 4) {
                throw new IllegalArgumentException(
                        "successByPriority must hold 4 rates (P0..P3) but held " + successByPriority.size());
            }
        }
    }
}
