package dev.nines.benchmarks.report;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Tells, from a benchmark's class and method name, whether it measures nines, a peer library or
 * a floor, and which operation it measures.
 *
 * <p>The convention, in every benchmark class:
 * <ul>
 *   <li>methods whose names start with {@code nines} measure nines;</li>
 *   <li>methods whose names start with {@code floor} are floors: the least work the primitive
 *       could possibly do (a clock read, a CAS), measured in the same run;</li>
 *   <li>every other method measures a peer and starts with the peer's name in lower case
 *       ({@code resilience4j…}, {@code failsafe…}, {@code bucket4j…}, {@code guava…},
 *       {@code netflix…});</li>
 *   <li>every method of {@code FloorBenchmark} is a floor, whatever its name.</li>
 * </ul>
 * The prefix ends at the first upper-case letter; what follows is the <em>operation</em>
 * ({@code ninesTryAcquire} and {@code bucket4jTryAcquire} both measure {@code TryAcquire}), which
 * lets the report compare nines with the peers doing the same operation. A method that cannot
 * follow the convention gets an entry in {@link #EXCEPTIONS}.
 *
 * <p>Stateless and thread-safe.
 */
public final class Classifier {

    /** Who a benchmark measures. */
    public enum Role {
        /** nines itself. */
        NINES,
        /** A peer library. */
        PEER,
        /** The least work possible, a reference point. */
        FLOOR
    }

    /**
     * What one benchmark method measures.
     *
     * @param role nines, peer or floor
     * @param library display name of the library, for example {@code Resilience4j}
     * @param operation what is measured, shared by nines and its peers doing the same thing;
     *     empty when the method name is only the prefix
     */
    public record Kind(Role role, String library, String operation) {
    }

    /** The class that holds floors for every primitive. */
    public static final String FLOOR_CLASS = "FloorBenchmark";

    /**
     * Methods whose names the convention reads wrongly, by {@code Class.method}; add an entry
     * rather than mislabel a result.
     */
    static final Map<String, Kind> EXCEPTIONS = Map.of(
            // Netflix's gradient limit is the peer of our adaptive limit (ninesTokenAdaptive,
            // ninesPermitAdaptive), though the method is named after Netflix's class
            "LoadShedderBenchmark.netflixGradient2",
            new Kind(Role.PEER, "Netflix concurrency-limits", "Adaptive"),
            // our adaptive limit timing every call, as Gradient2 does: its like-for-like peer
            "LoadShedderBenchmark.ninesTokenAdaptiveEveryCall",
            new Kind(Role.NINES, "nines", "AdaptiveEveryCall"));

    /**
     * The {@code FloorBenchmark} method that is the floor of a primitive whose least possible work
     * is more than the cheapest floor: a token bucket must read the clock and CAS, so its floor is
     * {@code nanoTimeAndCas}, not a bare CAS. Classes not listed use the cheapest floor.
     */
    static final Map<String, String> CLASS_FLOORS = Map.of(
            "RateLimiterBenchmark", "nanoTimeAndCas");

    private static final Map<String, String> KNOWN_PEERS = Map.of(
            "resilience4j", "Resilience4j",
            "failsafe", "Failsafe",
            "bucket4j", "Bucket4j",
            "guava", "Guava",
            "netflix", "Netflix concurrency-limits");

    private Classifier() {
    }

    /** Classifies {@code className.method}. */
    public static Kind classify(String className, String method) {
        Kind exception = EXCEPTIONS.get(className + "." + method);
        if (exception != null) {
            return exception;
        }
        if (className.equals(FLOOR_CLASS)) {
            return new Kind(Role.FLOOR, "floor", method);
        }
        int split = 0;
        while (split < method.length() && !Character.isUpperCase(method.charAt(split))) {
            split++;
        }
        String prefix = method.substring(0, split);
        String operation = method.substring(split);
        switch (prefix) {
            case "nines":
                return new Kind(Role.NINES, "nines", operation);
            case "floor":
                return new Kind(Role.FLOOR, "floor", operation);
            default:
                return new Kind(Role.PEER, KNOWN_PEERS.getOrDefault(prefix, prefix), operation);
        }
    }

    /** Whether {@code library} is one of the peers the convention names. */
    public static boolean isKnownPeer(String library) {
        return Set.copyOf(KNOWN_PEERS.values()).contains(library);
    }

    /** The role in lower case, for tables and CSS classes. */
    public static String label(Role role) {
        return role.name().toLowerCase(Locale.ROOT);
    }
}
