package dev.nines.benchmarks.report;

import dev.nines.benchmarks.report.Classifier.Kind;
import dev.nines.benchmarks.report.Classifier.Role;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Groups JMH results per primitive (benchmark class) and thread count and computes each result's
 * ratio to the best peer and to the floor.
 *
 * <ul>
 *   <li><b>Best peer</b>: the fastest peer result in the same class, thread count and
 *       {@code @Param} values that measures the same operation (same name after the prefix, see
 *       {@link Classifier}); when none does, the fastest peer whose operation our operation starts
 *       or ends with (the longest such: {@code ninesTokenFixed} is compared with
 *       {@code netflixFixed}, {@code ninesRejectOpenThrowing} with {@code …RejectOpen}); failing
 *       that, the fastest peer of the class. The report names the peer it compared with. A ratio
 *       below 1 means faster than every peer.</li>
 *   <li><b>Floor</b>: the {@code floor…} method of the same class, thread count and parameters
 *       that measures the same operation, or failing that the one whose operation ours starts or
 *       ends with (as for peers), or failing that the cheapest floor of the class; when the class
 *       has none, the cheapest {@code FloorBenchmark} method at the same thread count (or the one
 *       {@code Classifier.CLASS_FLOORS} names for the class), or the one named as the default
 *       floor. Among candidates the cheapest is used, so a ratio never flatters.</li>
 * </ul>
 * A ratio is NaN when there is nothing to compare with.
 *
 * <p>Immutable and thread-safe once built.
 */
public final class Comparison {

    /**
     * Stands for "the cheapest {@code FloorBenchmark} method" as the floor of classes that have no
     * {@code floor…} method of their own.
     */
    public static final String CHEAPEST_FLOOR = "cheapest";

    /**
     * One result with its comparisons.
     *
     * @param result the JMH result
     * @param kind nines, peer or floor, and the operation
     * @param bestPeer the best peer's result, if any
     * @param floor the reference floor's result, if any
     */
    public record Row(JmhResult result, Kind kind, Optional<JmhResult> bestPeer, Optional<JmhResult> floor) {

        /** Score divided by the best peer's score; NaN when there is no peer. */
        public double ratioToBestPeer() {
            return bestPeer.map(p -> result.nsPerOp() / p.nsPerOp()).orElse(Double.NaN);
        }

        /** Score divided by the floor's score; NaN when there is no floor. */
        public double ratioToFloor() {
            return floor.map(f -> result.nsPerOp() / f.nsPerOp()).orElse(Double.NaN);
        }
    }

    /**
     * The results of one primitive at one thread count.
     *
     * @param className benchmark class
     * @param threads thread count
     * @param rows floors last; otherwise by parameters, then each nines result followed by the
     *     peers it is compared with, fastest first
     */
    public record Group(String className, int threads, List<Row> rows) {
    }

    private Comparison() {
    }

    /**
     * Compares {@code results}; a later duplicate (same class, method, parameters and threads)
     * replaces an earlier one.
     *
     * @param defaultFloor {@code Class.method} of the floor for classes without their own, or
     *     {@link #CHEAPEST_FLOOR}
     */
    public static List<Group> compare(List<JmhResult> results, String defaultFloor) {
        Map<String, JmhResult> unique = new LinkedHashMap<>();
        for (JmhResult r : results) {
            unique.put(r.className() + "." + r.label() + "@" + r.threads(), r);
        }
        Map<String, Map<Integer, List<JmhResult>>> byClass = new TreeMap<>(
                Comparator.comparing((String c) -> c.equals(Classifier.FLOOR_CLASS))
                        .thenComparing(Comparator.naturalOrder()));
        for (JmhResult r : unique.values()) {
            byClass.computeIfAbsent(r.className(), c -> new TreeMap<>())
                    .computeIfAbsent(r.threads(), t -> new ArrayList<>())
                    .add(r);
        }
        List<Group> groups = new ArrayList<>();
        byClass.forEach((className, byThreads) -> byThreads.forEach((threads, members) -> {
            String classFloor = Classifier.CLASS_FLOORS.get(className);
            Optional<JmhResult> fallbackFloor = fastest(unique.values().stream()
                    .filter(r -> r.threads() == threads && r.className().equals(Classifier.FLOOR_CLASS))
                    .filter(r -> classFloor != null ? r.method().equals(classFloor)
                            : defaultFloor.equals(CHEAPEST_FLOOR)
                                    || (r.className() + "." + r.method()).equals(defaultFloor))
                    .toList());
            List<Row> rows = new ArrayList<>();
            for (JmhResult r : members) {
                Kind kind = kind(r);
                rows.add(new Row(r, kind, bestPeer(r, kind, members), floor(r, members, fallbackFloor)));
            }
            rows.sort(ROW_ORDER);
            groups.add(new Group(className, threads, List.copyOf(rows)));
        }));
        return groups;
    }

    /** Floors last; otherwise each nines result beside the peers it is compared with. */
    private static final Comparator<Row> ROW_ORDER = Comparator
            .comparing((Row row) -> row.kind().role() == Role.FLOOR)
            .thenComparing(row -> row.result().paramsText())
            .thenComparing(Comparison::comparedOperation)
            .thenComparing(row -> row.kind().role())
            .thenComparing(row -> row.kind().operation())
            .thenComparingDouble(row -> row.result().nsPerOp());

    /** The operation a row is compared on: its best peer's for nines, its own otherwise. */
    private static String comparedOperation(Row row) {
        if (row.kind().role() == Role.NINES && row.bestPeer().isPresent()) {
            return kind(row.bestPeer().get()).operation();
        }
        return row.kind().operation();
    }

    private static Kind kind(JmhResult r) {
        return Classifier.classify(r.className(), r.method());
    }

    private static Optional<JmhResult> bestPeer(JmhResult r, Kind kind, List<JmhResult> members) {
        List<JmhResult> peers = members.stream()
                .filter(m -> kind(m).role() == Role.PEER && m.params().equals(r.params()))
                .toList();
        return fastest(matching(kind.operation(), peers));
    }

    private static Optional<JmhResult> floor(JmhResult r, List<JmhResult> members, Optional<JmhResult> fallback) {
        List<JmhResult> floors = members.stream()
                .filter(m -> kind(m).role() == Role.FLOOR)
                .toList();
        List<JmhResult> sameParams = floors.stream().filter(m -> m.params().equals(r.params())).toList();
        List<JmhResult> candidates = sameParams.isEmpty() ? floors : sameParams;
        if (kind(r).role() != Role.FLOOR) {
            candidates = matching(kind(r).operation(), candidates);
        }
        Optional<JmhResult> own = fastest(candidates);
        return own.isPresent() ? own : fallback;
    }

    /**
     * The candidates measuring {@code operation}; failing that, those whose operation ours starts or
     * ends with (the longest such); failing that, all of them.
     */
    private static List<JmhResult> matching(String operation, List<JmhResult> candidates) {
        List<JmhResult> same = candidates.stream().filter(m -> kind(m).operation().equals(operation)).toList();
        if (!same.isEmpty()) {
            return same;
        }
        int longest = candidates.stream()
                .map(m -> kind(m).operation())
                .filter(op -> related(operation, op))
                .mapToInt(String::length).max().orElse(0);
        List<JmhResult> related = candidates.stream()
                .filter(m -> kind(m).operation().length() == longest && related(operation, kind(m).operation()))
                .toList();
        return related.isEmpty() ? candidates : related;
    }

    private static boolean related(String operation, String other) {
        return !other.isEmpty() && (operation.startsWith(other) || operation.endsWith(other));
    }

    private static Optional<JmhResult> fastest(List<JmhResult> candidates) {
        return candidates.stream()
                .filter(c -> Double.isFinite(c.nsPerOp()) && c.nsPerOp() > 0)
                .min(Comparator.comparingDouble(JmhResult::nsPerOp));
    }
}
