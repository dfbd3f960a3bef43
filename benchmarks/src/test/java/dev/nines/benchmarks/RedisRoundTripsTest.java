package dev.nines.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.benchmarks.RedisRoundTrips.Result;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The round-trip claims, counted on a real redis-server (one this test starts): nines' Redis
 * limiter makes exactly one round trip ({@code EVALSHA}) per decision on many keys and on a hot key
 * with several threads, leasing makes at least ten times fewer on a hot key, and the floor and
 * Bucket4j count as their protocols say (one {@code PING}; a {@code GET} and an {@code EVAL} at
 * least), so the counter is known to count.
 */
class RedisRoundTripsTest {

    @Test
    void ninesDecidesInOneRoundTripAndLeasingCutsAHotKeysRoundTripsTenfold() throws Exception {
        List<Result> results = RedisRoundTrips.measure(300, List.of(1, 4));
        Map<String, Result> at4 = results.stream().filter(r -> r.threads() == 4)
                .collect(Collectors.toMap(Result::contender, r -> r));
        results.forEach(r -> assertEquals(r.decisions(), r.granted(), r.contender() + " at " + r.threads()
                + " thread(s): every decision granted by Redis (no timeout, no fallback)"));

        for (Result r : results) {
            switch (r.contender()) {
                case "floorPing" -> assertEquals(Map.of("PING", r.decisions()), r.byCommand(), r.toString());
                case "ninesTryAcquire", "ninesHotTryAcquire" ->
                        assertEquals(Map.of("EVALSHA", r.decisions()), r.byCommand(), r.toString());
                case "ninesLeasedHotTryAcquire" ->
                        assertTrue(r.perDecision() <= 0.1, "leasing: " + r.perDecision() + " round trips per decision");
                case "bucket4jTryAcquire", "bucket4jHotTryAcquire" ->
                        assertTrue(r.perDecision() >= 2, r.toString());
                default -> throw new AssertionError("a contender this test does not know: " + r.contender());
            }
        }
        assertEquals(6, at4.size(), at4.keySet().toString());
    }
}
