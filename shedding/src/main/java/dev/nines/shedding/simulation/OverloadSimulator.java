package dev.nines.shedding.simulation;

import dev.nines.Priority;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A deterministic overload simulator: drives a {@link dev.nines.shedding.LoadShedder} in virtual
 * time (a manual ticker, a seeded random source, discrete events) in front of a service of fixed
 * capacity (see {@link SimulationConfig}), and returns the outcome as data. Same configuration and
 * seed, same numbers, on any machine; a run of ten simulated seconds at 10× capacity takes well
 * under a second.
 *
 * <p>{@link #LOADS} are the standard offered loads; {@link #sweep} runs them all for one mode and
 * {@link #table} renders results as Markdown. Thread-safe: each run is self-contained.
 */
public final class OverloadSimulator {

    /** The standard offered loads, as multiples of capacity. */
    public static final List<Double> LOADS = List.of(0.5, 1.0, 2.0, 3.0, 5.0, 10.0);

    private OverloadSimulator() {
    }

    /** Runs {@code scenario} once with {@code mode} in front of the service. */
    public static SimulationResult run(SimulationConfig config, Scenario scenario, Mode mode) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(mode, "mode");
        return new Engine(config, scenario, mode).run();
    }

    /** Runs a {@link Scenario#constant constant-load} scenario at each of {@code loads}. */
    public static List<SimulationResult> sweep(SimulationConfig config, List<Double> loads, Duration warmup,
            Duration measured, Mode mode) {
        List<SimulationResult> results = new ArrayList<>();
        for (double load : loads) {
            results.add(run(config, Scenario.constant(load, warmup, measured), mode));
        }
        return results;
    }

    /**
     * A Markdown table, one row per result: mode, load, goodput as a share of capacity, success and
     * shed rate per priority, admitted latency p50/p99 in milliseconds, and the mean limit over
     * the measured phase.
     */
    public static String table(List<SimulationResult> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("| mode | load | goodput | P0 ok | P1 ok | P2 ok | P3 ok | P0 shed | P1 shed | P2 shed | P3 shed"
                + " | p50 ms | p99 ms | limit |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (SimulationResult r : results) {
            sb.append("| ").append(r.mode()).append(" | ").append(fmt("%.1fx", r.load()))
                    .append(" | ").append(pct(r.goodputRatio()));
            for (Priority p : Priority.values()) {
                sb.append(" | ").append(pct(r.of(p).successRate()));
            }
            for (Priority p : Priority.values()) {
                sb.append(" | ").append(pct(r.of(p).shedRate()));
            }
            sb.append(" | ").append(fmt("%.1f", r.latency().p50() / 1e6))
                    .append(" | ").append(fmt("%.1f", r.latency().p99() / 1e6))
                    .append(" | ").append(fmt("%.0f", meanLimit(r))).append(" |\n");
        }
        return sb.toString();
    }

    /**
     * The mean limit over the last {@code measuredSeconds} of the timeline (the measured phase of a
     * {@link Scenario#constant} run); -1 without a shedder.
     */
    public static double meanLimit(SimulationResult r) {
        List<SimulationResult.Sample> t = measuredTail(r);
        return t.stream().mapToInt(SimulationResult.Sample::limit).average().orElse(-1);
    }

    /** The limit's coefficient of variation (stddev / mean) over the same tail as {@link #meanLimit}. */
    public static double limitVariation(SimulationResult r) {
        List<SimulationResult.Sample> t = measuredTail(r);
        double mean = t.stream().mapToInt(SimulationResult.Sample::limit).average().orElse(0);
        double var = t.stream().mapToDouble(s -> (s.limit() - mean) * (s.limit() - mean)).average().orElse(0);
        return mean == 0 ? 0 : Math.sqrt(var) / mean;
    }

    private static List<SimulationResult.Sample> measuredTail(SimulationResult r) {
        List<SimulationResult.Sample> t = r.timeline();
        long end = t.isEmpty() ? 0 : t.get(t.size() - 1).atNanos();
        long from = end - (long) (r.measuredSeconds() * 1e9);
        List<SimulationResult.Sample> tail = new ArrayList<>();
        for (SimulationResult.Sample s : t) {
            if (s.atNanos() > from) {
                tail.add(s);
            }
        }
        return tail;
    }

    private static String pct(double v) {
        return fmt("%.2f%%", 100 * v);
    }

    private static String fmt(String format, double v) {
        return String.format(Locale.ROOT, format, v);
    }
}
