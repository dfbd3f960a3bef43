package dev.nines.simulator;

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
 * <p>{@link #LOADS} are the standard offered loads; {@link #sweep} runs them all for one mode,
 * {@link #table} renders results as Markdown (goodput, success and shed rate per priority, p50 and
 * p99, p99 against the unloaded p99, the mean limit and its coefficient of variation) and
 * {@link #recovery} measures how a {@link Scenario#step step} scenario recovers. {@link #main}
 * prints all of it for the default configuration. Thread-safe: each run is self-contained.
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
     * shed rate per priority, admitted latency p50/p99 in milliseconds, p99 as a multiple of the
     * unloaded p99 (the p99 of the same mode's lowest load in {@code results}), and the mean limit
     * over the measured phase with its coefficient of variation ({@link #limitVariation}).
     */
    public static String table(List<SimulationResult> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("| mode | load | goodput | P0 ok | P1 ok | P2 ok | P3 ok | P0 shed | P1 shed | P2 shed | P3 shed"
                + " | p50 ms | p99 ms | p99 / unloaded | limit | limit CV |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (SimulationResult r : results) {
            long unloaded = unloadedP99(results, r.mode());
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
                    .append(" | ").append(unloaded == 0 ? "-" : fmt("%.2f", (double) r.latency().p99() / unloaded))
                    .append(" | ").append(fmt("%.0f", meanLimit(r)))
                    .append(" | ").append(r.mode() == Mode.NONE ? "-" : fmt("%.4f", limitVariation(r))).append(" |\n");
        }
        return sb.toString();
    }

    /** The p99 of {@code mode}'s result at the lowest load in {@code results}; 0 if none. */
    private static long unloadedP99(List<SimulationResult> results, Mode mode) {
        SimulationResult lowest = null;
        for (SimulationResult r : results) {
            if (r.mode() == mode && (lowest == null || r.load() < lowest.load())) {
                lowest = r;
            }
        }
        return lowest == null ? 0 : lowest.latency().p99();
    }

    /**
     * How the run of a {@link Scenario#step step} scenario recovered once its overload phase (the
     * measured one) ended.
     *
     * @param limitBefore        the mean limit over the last 2 s before the overload began
     * @param limitDuring        the mean limit over the overload
     * @param shedStopsAfter     from the end of the overload to the end of the last timeline interval
     *                           that shed anything; zero if shedding stopped with the overload
     * @param limitRecoveredAfter from the end of the overload to the first interval from which the
     *                           limit stays at or above 90% of {@code limitBefore} until the run ends
     *                           (the run's remaining time if it never does)
     */
    public record Recovery(double limitBefore, double limitDuring, Duration shedStopsAfter,
            Duration limitRecoveredAfter) {

        /** The larger of the two recovery times: when the service was back to normal. */
        public Duration recoveredAfter() {
            return shedStopsAfter.compareTo(limitRecoveredAfter) >= 0 ? shedStopsAfter : limitRecoveredAfter;
        }
    }

    /**
     * Measures recovery in {@code result}, a run of {@code scenario}: its overload is the first
     * measured phase, which must be followed by another phase.
     *
     * @throws IllegalArgumentException if the scenario has no measured phase followed by another
     */
    public static Recovery recovery(SimulationResult result, Scenario scenario) {
        long start = 0;
        long end = -1;
        List<Phase> phases = scenario.phases();
        for (int i = 0; i < phases.size() - 1 && end < 0; i++) {
            long phaseEnd = start + phases.get(i).duration().toNanos();
            if (phases.get(i).measured()) {
                end = phaseEnd;
            } else {
                start = phaseEnd;
            }
        }
        if (end < 0) {
            throw new IllegalArgumentException("scenario must have a measured phase followed by another but was "
                    + scenario.name());
        }
        long overloadStart = start;
        long overloadEnd = end;
        double before = result.timeline().stream()
                .filter(x -> x.atNanos() > overloadStart - 2_000_000_000L && x.atNanos() <= overloadStart)
                .mapToInt(SimulationResult.Sample::limit).average().orElse(-1);
        double during = result.timeline().stream()
                .filter(x -> x.atNanos() > overloadStart && x.atNanos() <= overloadEnd)
                .mapToInt(SimulationResult.Sample::limit).average().orElse(-1);
        long lastShed = overloadEnd;
        long recovered = -1;
        long runEnd = overloadEnd;
        for (SimulationResult.Sample x : result.timeline()) {
            if (x.atNanos() <= overloadEnd) {
                continue;
            }
            runEnd = x.atNanos();
            if (x.shed() > 0) {
                lastShed = x.atNanos();
            }
            if (x.limit() >= 0.9 * before) {
                if (recovered < 0) {
                    recovered = x.atNanos() - overloadEnd;
                }
            } else {
                recovered = -1;
            }
        }
        return new Recovery(before, during, Duration.ofNanos(lastShed - overloadEnd),
                Duration.ofNanos(recovered < 0 ? runEnd - overloadEnd : recovered));
    }

    /** The step scenario the tests and {@link #main} measure recovery on: 0.5x for 15 s, 3x for 20 s, 0.5x for 15 s. */
    public static Scenario standardStep() {
        return Scenario.step(0.5, 3.0, Duration.ofSeconds(15), Duration.ofSeconds(20), Duration.ofSeconds(15));
    }

    /**
     * Prints, for the default {@link SimulationConfig}, the table of every mode at 0.5x, 0.8x, 0.9x
     * and each of {@link #LOADS} (5 s warm-up, 10 s measured each), then the adaptive limit's
     * recovery from {@link #standardStep()}. Arguments: none. Takes a few seconds.
     */
    public static void main(String[] args) {
        SimulationConfig config = SimulationConfig.builder().build();
        List<Double> loads = new ArrayList<>(List.of(0.5, 0.8, 0.9));
        for (double load : LOADS) {
            if (!loads.contains(load)) {
                loads.add(load);
            }
        }
        List<SimulationResult> results = new ArrayList<>();
        for (Mode mode : Mode.values()) {
            results.addAll(sweep(config, loads, Duration.ofSeconds(5), Duration.ofSeconds(10), mode));
        }
        System.out.print(table(results));
        Scenario step = standardStep();
        Recovery r = recovery(run(config, step, Mode.ADAPTIVE), step);
        System.out.println();
        System.out.println("ADAPTIVE, " + step.name() + ": limit before " + fmt("%.0f", r.limitBefore())
                + ", during " + fmt("%.0f", r.limitDuring()) + "; after the overload, shedding stopped within "
                + r.shedStopsAfter().toMillis() + " ms and the limit was back at >= 90% within "
                + r.limitRecoveredAfter().toMillis() + " ms");
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
