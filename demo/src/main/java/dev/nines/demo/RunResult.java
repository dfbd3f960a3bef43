package dev.nines.demo;

import java.util.List;
import java.util.Map;

/**
 * The raw record of one run, from which {@link RunReport} computes everything the report shows.
 *
 * @param label        "nines" or "none"
 * @param protectedRun whether nines protected the shop
 * @param script       the script played
 * @param samples      every request
 * @param ticks        the shop's state at the end of each second
 * @param changes      breaker and tier changes, in order (empty without nines)
 * @param catalogCalls calls that reached the catalog dependency (retries included)
 * @param counters     nines counters worth reporting (fallbacks, retries, refused retries ...)
 * @param health       the {@code /health} JSON at the end of the run, or "" without nines
 */
record RunResult(String label, boolean protectedRun, Script script, List<Sample> samples, List<Tick> ticks,
        List<StateChange> changes, long catalogCalls, Map<String, Long> counters, String health) {

    /**
     * A state change of a breaker or of the shedder's tier.
     *
     * @param atNanos when, from the start of the run
     * @param what    the breaker's dependency name, or "tier"
     * @param from    the state left
     * @param to      the state entered
     */
    record StateChange(long atNanos, String what, String from, String to) {
    }
}
