package dev.nines.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The key draws of {@link KeyedLimiterBenchmark}: drawn from the keys, with the shape their name claims. */
class KeyedLimiterBenchmarkTest {

    private static String[] keys(int n) {
        String[] keys = new String[n];
        for (int i = 0; i < n; i++) {
            keys[i] = "client-" + i;
        }
        return keys;
    }

    private static Map<String, Integer> counts(String[] draws) {
        Map<String, Integer> counts = new HashMap<>();
        for (String d : draws) {
            counts.merge(d, 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void uniformDrawsCoverEveryKeyAboutEqually() {
        String[] keys = keys(1_000);
        String[] draws = KeyedLimiterBenchmark.uniformDraws(keys);
        assertEquals(KeyedLimiterBenchmark.DRAWS, draws.length);
        Map<String, Integer> counts = counts(draws);
        assertEquals(Set.of(keys), counts.keySet(), "every key drawn, nothing else");
        double mean = (double) draws.length / keys.length; // 1048.6; a binomial sd of about 32
        counts.forEach((k, c) -> assertTrue(Math.abs(c - mean) < 10 * Math.sqrt(mean), k + " drawn " + c));
    }

    @Test
    void zipfDrawsFollowTheirWeights() {
        int n = 1_000;
        double s = 0.99;
        String[] draws = KeyedLimiterBenchmark.zipfDraws(keys(n), s);
        assertEquals(KeyedLimiterBenchmark.DRAWS, draws.length);
        double h = 0;
        for (int r = 1; r <= n; r++) {
            h += 1 / Math.pow(r, s);
        }
        int[] byCount = counts(draws).values().stream().sorted((a, b) -> b - a).mapToInt(Integer::intValue).toArray();
        for (int rank = 1; rank <= 3; rank++) { // the three most drawn keys carry the first ranks' weights
            double expected = draws.length / Math.pow(rank, s) / h;
            double share = byCount[rank - 1];
            assertTrue(Math.abs(share - expected) < 0.05 * expected, "rank " + rank + ": " + share + " vs " + expected);
        }
        assertTrue(byCount.length > n / 2, "the tail is drawn too: " + byCount.length + " keys");
    }
}
