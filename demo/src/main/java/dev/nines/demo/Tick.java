package dev.nines.demo;

import java.util.Map;

/**
 * What the shop looked like at the end of one second of a run: the saturation signals and the
 * nines state (breakers, tier, shedder limit). Unprotected runs have no breakers and tier "-".
 *
 * @param second   the second that just ended (0 is the first)
 * @param phase    the script phase at that moment
 * @param busy     workers busy
 * @param queued   requests waiting for a thread (dispatcher and worker queues)
 * @param inFlight requests holding a shedder permit (-1 without nines)
 * @param limit    the shedder's limit (-1 without nines)
 * @param tier     the degradation tier, or "-"
 * @param breakers each dependency's breaker state
 */
record Tick(int second, String phase, int busy, int queued, int inFlight, int limit, String tier,
        Map<String, String> breakers) {
}
