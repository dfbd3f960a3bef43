package dev.nines.benchmarks.report;

import dev.nines.benchmarks.report.Classifier.Role;
import dev.nines.benchmarks.report.Comparison.Group;
import dev.nines.benchmarks.report.Comparison.Row;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes the JMH part of the report: a summary of nines against its best peer, then per
 * primitive and thread count a table (ns/op, error, B/op, ratios) and a bar chart. Stateless and
 * thread-safe.
 */
public final class BenchmarkSection {

    private static final List<String> COLUMNS =
            List.of("Benchmark", "Role", "ns/op", "± error", "B/op", "vs best peer", "vs floor");
    private static final List<Boolean> NUMERIC = List.of(false, false, true, true, true, true, true);

    private BenchmarkSection() {
    }

    /** Appends the summary and the per-primitive sections for {@code groups} to {@code doc}. */
    public static void write(Doc doc, List<Group> groups) {
        summary(doc, groups);
        String current = null;
        for (Group group : groups) {
            if (!group.className().equals(current)) {
                current = group.className();
                doc.heading(2, current);
            }
            primitive(doc, group);
        }
        conventionNotes(doc, groups);
    }

    private static void summary(Doc doc, List<Group> groups) {
        doc.heading(2, "Summary");
        doc.text("Each nines benchmark against the fastest peer measuring the same operation "
                + "(ratio below 1: nines is faster) and against the floor (how far above the least "
                + "possible work it is).");
        List<List<String>> rows = new ArrayList<>();
        for (Group group : groups) {
            for (Row row : group.rows()) {
                if (row.kind().role() != Role.NINES) {
                    continue;
                }
                rows.add(List.of(group.className(), "`" + row.result().label() + "`",
                        String.valueOf(group.threads()), ns(row.result().nsPerOp()),
                        bytes(row.result().bytesPerOp()), peerRatio(row), floorRatio(row)));
            }
        }
        if (rows.isEmpty()) {
            doc.text("No `nines…` benchmark in these results.");
            return;
        }
        doc.table(new Doc.Table(
                List.of("Primitive", "Benchmark", "Threads", "ns/op", "B/op", "vs best peer", "vs floor"),
                List.of(false, false, true, true, true, true, true), rows));
    }

    private static void primitive(Doc doc, Group group) {
        String threads = group.threads() == 1 ? "1 thread" : group.threads() + " threads";
        doc.heading(3, group.className() + ", " + threads);
        Set<String> floors = new LinkedHashSet<>();
        group.rows().forEach(r -> r.floor().ifPresent(f -> floors.add(
                "`" + f.className() + "." + f.label() + "` (" + ns(f.nsPerOp()) + " ns/op)")));
        if (!floors.isEmpty()) {
            doc.text("Floor: " + String.join(", ", floors) + ".");
        }
        List<List<String>> rows = new ArrayList<>();
        List<SvgChart.Bar> bars = new ArrayList<>();
        for (Row row : group.rows()) {
            JmhResult r = row.result();
            String role = Classifier.label(row.kind().role());
            if (row.kind().role() == Role.PEER) {
                role += " (" + row.kind().library() + ")";
            }
            rows.add(List.of("`" + r.label() + "`", role, ns(r.nsPerOp()), error(r.errorNs()),
                    bytes(r.bytesPerOp()), peerRatio(row), floorRatio(row)));
            bars.add(new SvgChart.Bar(r.label(), r.nsPerOp(), r.errorNs(), color(row.kind().role()),
                    "ns, " + bytes(r.bytesPerOp()) + " B/op"));
        }
        // a floor borrowed from FloorBenchmark is drawn too, as the reference it is
        group.rows().stream()
                .flatMap(r -> r.floor().stream())
                .distinct()
                .filter(f -> !f.className().equals(group.className()))
                .forEach(f -> bars.add(new SvgChart.Bar(f.className() + "." + f.label(), f.nsPerOp(),
                        f.errorNs(), SvgChart.FLOOR_COLOR, "ns, " + bytes(f.bytesPerOp()) + " B/op")));
        doc.table(new Doc.Table(COLUMNS, NUMERIC, rows));
        String file = group.className() + "-t" + group.threads() + ".svg";
        doc.chart(file, group.className() + ", " + threads + ": ns/op (lower is better)",
                SvgChart.bars(group.className() + ", " + threads + ": ns/op, lower is better",
                        "ns/op (whiskers: JMH 99.9% confidence interval)", bars));
    }

    private static void conventionNotes(Doc doc, List<Group> groups) {
        Map<String, String> notes = new LinkedHashMap<>();
        for (Group group : groups) {
            boolean anyNines = group.rows().stream().anyMatch(r -> r.kind().role() == Role.NINES);
            if (!anyNines && !group.className().equals(Classifier.FLOOR_CLASS)) {
                notes.put(group.className(), "`" + group.className()
                        + "` has no `nines…` method: nothing of ours is compared in it.");
            }
            for (Row row : group.rows()) {
                if (row.kind().role() == Role.PEER && !Classifier.isKnownPeer(row.kind().library())) {
                    String name = group.className() + "." + row.result().method();
                    notes.put(name, "`" + name + "` counted as a peer named `" + row.kind().library()
                            + "`: its prefix is not one of the known peers.");
                }
            }
        }
        if (!notes.isEmpty()) {
            doc.heading(2, "Naming notes");
            doc.text("Results the naming convention could not place with certainty:");
            doc.bullets(List.copyOf(notes.values()));
        }
    }

    private static String peerRatio(Row row) {
        Optional<JmhResult> peer = row.bestPeer();
        if (peer.isEmpty() || peer.get() == row.result()) {
            return peer.isEmpty() ? "" : "1.00 (best)";
        }
        return ratio(row.ratioToBestPeer()) + " (" + peer.get().method() + ")";
    }

    private static String floorRatio(Row row) {
        return row.floor().isEmpty() ? "" : ratio(row.ratioToFloor());
    }

    private static String color(Role role) {
        return switch (role) {
            case NINES -> SvgChart.NINES_COLOR;
            case PEER -> SvgChart.PEER_COLOR;
            case FLOOR -> SvgChart.FLOOR_COLOR;
        };
    }

    /** A ratio with two decimals and a multiplication sign, or empty when undefined. */
    static String ratio(double r) {
        return Double.isFinite(r) ? String.format(Locale.ROOT, "%.2f×", r) : "";
    }

    /** ns/op with two decimals below 10 ns, one decimal below 1000 ns, none above. */
    static String ns(double v) {
        if (!Double.isFinite(v)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, v < 10 ? "%.2f" : v < 1000 ? "%.1f" : "%.0f", v);
    }

    /** The error, or {@code n/a} when JMH had too few iterations to compute one. */
    static String error(double v) {
        return Double.isFinite(v) ? ns(v) : "n/a";
    }

    /**
     * Bytes per operation; below 0.01 shown as {@code ≈ 0} (the GC profiler's own bookkeeping),
     * {@code n/a} when the run had no {@code -prof gc}.
     */
    static String bytes(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return v < 0.01 ? "≈ 0" : SvgChart.fmt(v);
    }
}
