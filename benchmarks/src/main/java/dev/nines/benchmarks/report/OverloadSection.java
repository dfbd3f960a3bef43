package dev.nines.benchmarks.report;

import dev.nines.benchmarks.report.OverloadSimulator.Point;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes the overload part of the report: per scenario its settings, a goodput chart (all
 * strategies) and, per strategy, a chart and a table of the success rate per priority against
 * offered load; first a table comparing the scenarios at 1× and 2× capacity and at the highest
 * offered load. Stateless and thread-safe.
 */
public final class OverloadSection {

    /**
     * One simulated scenario.
     *
     * @param scenario what was simulated
     * @param points the simulator's output
     */
    public record Run(OverloadScenario scenario, List<Point> points) {
    }

    private static final String[] PRIORITIES = {"P0", "P1", "P2", "P3"};

    private OverloadSection() {
    }

    /** Appends the overload section for {@code runs} to {@code doc}. */
    public static void write(Doc doc, List<Run> runs) {
        doc.heading(2, "Overload");
        doc.text("The overload simulator offers load from below to far above capacity in virtual "
                + "time (deterministic: same settings, same result) and counts, for each admission "
                + "strategy, the goodput (requests completed within their deadline, as a multiple of "
                + "capacity) and the share of each priority's requests that succeeded. Change a "
                + "threshold in the overload properties file and rerun to see what it does.");
        comparison(doc, runs);
        for (Run run : runs) {
            scenario(doc, run);
        }
    }

    /** Appends a note that no simulator was available, naming what is missing. */
    public static void unavailable(Doc doc, String why) {
        doc.heading(2, "Overload");
        doc.text("Not simulated: " + why);
    }

    private static void comparison(Doc doc, List<Run> runs) {
        List<List<String>> rows = new ArrayList<>();
        for (Run run : runs) {
            for (double load : comparedLoads(run.points())) {
                for (Point p : run.points()) {
                    if (p.offeredLoad() == load) {
                        List<String> row = new ArrayList<>(List.of(run.scenario().name(), p.strategy(),
                                load(load), fmt(p.goodput())));
                        p.successByPriority().forEach(s -> row.add(percent(s)));
                        rows.add(row);
                    }
                }
            }
        }
        doc.heading(3, "Scenarios compared");
        doc.text("Each scenario at its capacity and at twice its capacity (when simulated), and at the "
                + "highest offered load.");
        doc.table(new Doc.Table(
                List.of("Scenario", "Strategy", "Offered load", "Goodput", "P0 ok", "P1 ok", "P2 ok", "P3 ok"),
                List.of(false, false, true, true, true, true, true, true), rows));
    }

    /** 1× and 2× capacity when simulated, and the highest load. */
    private static Set<Double> comparedLoads(List<Point> points) {
        Set<Double> loads = new TreeSet<>();
        points.stream().mapToDouble(Point::offeredLoad).filter(l -> l == 1.0 || l == 2.0).forEach(loads::add);
        points.stream().mapToDouble(Point::offeredLoad).max().ifPresent(loads::add);
        return loads;
    }

    private static void scenario(Doc doc, Run run) {
        OverloadScenario scenario = run.scenario();
        doc.heading(3, "Scenario " + scenario.name());
        if (!scenario.description().isEmpty()) {
            doc.text(scenario.description());
        }
        List<String> settings = new ArrayList<>();
        scenario.settings().forEach((k, v) -> settings.add("`" + k + " = " + v + "`"));
        doc.bullets(settings);

        Map<String, List<Point>> byStrategy = new LinkedHashMap<>();
        run.points().forEach(p -> byStrategy.computeIfAbsent(p.strategy(), s -> new ArrayList<>()).add(p));
        byStrategy.values().forEach(points -> points.sort((a, b) -> Double.compare(a.offeredLoad(), b.offeredLoad())));

        List<SvgChart.Series> goodput = new ArrayList<>();
        double maxLoad = 1;
        for (Map.Entry<String, List<Point>> e : byStrategy.entrySet()) {
            double[] x = e.getValue().stream().mapToDouble(Point::offeredLoad).toArray();
            double[] y = e.getValue().stream().mapToDouble(Point::goodput).toArray();
            goodput.add(new SvgChart.Series(e.getKey(), false, x, y));
            for (double v : y) {
                maxLoad = Math.max(maxLoad, Double.isFinite(v) ? v : 0);
            }
        }
        goodput.add(ideal(byStrategy));
        String slug = Doc.anchor(scenario.name());
        doc.chart("overload-" + slug + "-goodput.svg", scenario.name() + ": goodput vs offered load",
                SvgChart.lines(scenario.name() + ": goodput vs offered load", "offered load (× capacity)",
                        "×", true, "goodput (× capacity)", Math.max(1.1, maxLoad * 1.05), goodput));

        for (Map.Entry<String, List<Point>> e : byStrategy.entrySet()) {
            String strategy = e.getKey();
            List<Point> points = e.getValue();
            double[] x = points.stream().mapToDouble(Point::offeredLoad).toArray();
            List<SvgChart.Series> success = new ArrayList<>();
            for (int p = 0; p < PRIORITIES.length; p++) {
                int priority = p;
                double[] y = points.stream().mapToDouble(pt -> 100 * pt.successByPriority().get(priority)).toArray();
                success.add(new SvgChart.Series(PRIORITIES[p], false, x, y));
            }
            String title = scenario.name() + ", " + strategy + ": success rate per priority";
            doc.chart("overload-" + slug + "-" + Doc.anchor(strategy) + ".svg", title,
                    SvgChart.lines(title, "offered load (× capacity)", "×", true, "requests succeeded (%)", 100,
                            success));
            List<List<String>> rows = new ArrayList<>();
            for (Point pt : points) {
                List<String> row = new ArrayList<>(List.of(load(pt.offeredLoad()), fmt(pt.goodput())));
                pt.successByPriority().forEach(s -> row.add(percent(s)));
                rows.add(row);
            }
            doc.text("**" + strategy + "**");
            doc.table(new Doc.Table(List.of("Offered load", "Goodput", "P0 ok", "P1 ok", "P2 ok", "P3 ok"),
                    List.of(true, true, true, true, true, true), rows));
        }
    }

    /** The best any strategy could do: goodput equal to offered load up to capacity. */
    private static SvgChart.Series ideal(Map<String, List<Point>> byStrategy) {
        Set<Double> loads = new TreeSet<>();
        byStrategy.values().forEach(ps -> ps.forEach(p -> loads.add(p.offeredLoad())));
        double[] x = loads.stream().mapToDouble(Double::doubleValue).toArray();
        double[] y = loads.stream().mapToDouble(l -> Math.min(l, 1.0)).toArray();
        return new SvgChart.Series("ideal (min(load, 1))", true, x, y);
    }

    private static String load(double load) {
        return SvgChart.fmt(load) + "×";
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String percent(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f%%", 100 * v) : "n/a";
    }
}
