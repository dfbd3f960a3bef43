package dev.nines.benchmarks.report;

import dev.nines.Priority;
import dev.nines.shedding.limit.GradientLimit;
import dev.nines.simulator.Mode;
import dev.nines.simulator.SimulationConfig;
import dev.nines.simulator.SimulationResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The report's {@link OverloadSimulator} backed by the deterministic simulator of {@code nines-simulator}
 * ({@link dev.nines.simulator.OverloadSimulator}): for each offered load and strategy,
 * one constant-load run, a warm-up then a measured phase, in virtual time.
 *
 * <p>Settings it reads (all optional except {@code loads}; defaults are the simulator's):
 * <table>
 *   <caption>overload settings</caption>
 *   <tr><th>key</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code loads}</td><td>offered loads, × capacity</td><td>required</td></tr>
 *   <tr><td>{@code strategies}</td><td>any of {@code adaptive, fixed, none}</td><td>all three</td></tr>
 *   <tr><td>{@code warmup}, {@code measured}</td><td>simulated time per load</td><td>2s, 5s</td></tr>
 *   <tr><td>{@code workers}</td><td>service workers (capacity = workers / serviceTime)</td><td>200</td></tr>
 *   <tr><td>{@code serviceTime}, {@code serviceJitter}</td><td>time per request, ± fraction</td>
 *       <td>20ms, 0.1</td></tr>
 *   <tr><td>{@code deadline}</td><td>a request succeeds only if done within it</td><td>100ms</td></tr>
 *   <tr><td>{@code mix}</td><td>share of traffic P0..P3</td><td>0.1, 0.2, 0.3, 0.4</td></tr>
 *   <tr><td>{@code shares}</td><td>share of the limit P1, P2, P3 may use (P0: all)</td><td>0.9, 0.7, 0.5</td></tr>
 *   <tr><td>{@code seed}</td><td>random seed</td><td>42</td></tr>
 *   <tr><td>{@code fixedLimit}</td><td>limit of the fixed strategy</td><td>workers</td></tr>
 *   <tr><td>{@code adaptive.initialLimit}, {@code .minLimit}, {@code .maxLimit}, {@code .tolerance},
 *       {@code .smoothing}, {@code .window}, {@code .backoffRatio}</td>
 *       <td>the adaptive {@link GradientLimit}</td><td>{@link SimulationConfig#defaultAdaptiveLimit}</td></tr>
 * </table>
 * Durations are written {@code 500ms}, {@code 2s} or ISO-8601 ({@code PT2S}). An unknown key or a
 * bad value fails with an {@link IllegalArgumentException} naming it.
 *
 * <p>Stateless and thread-safe.
 */
public final class SheddingSimulation implements OverloadSimulator {

    private static final Set<String> KEYS = Set.of("loads", "strategies", "warmup", "measured", "workers",
            "serviceTime", "serviceJitter", "deadline", "mix", "shares", "seed", "fixedLimit", "adaptive.initialLimit",
            "adaptive.minLimit", "adaptive.maxLimit", "adaptive.tolerance", "adaptive.smoothing", "adaptive.window",
            "adaptive.backoffRatio");
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ns|us|ms|s|m)");

    @Override
    public List<Point> run(Map<String, String> settings) {
        checkKeys(settings);
        Settings s = new Settings(settings);
        SimulationConfig config = config(s);
        List<Double> loads = s.doubles("loads");
        Duration warmup = s.duration("warmup", Duration.ofSeconds(2));
        Duration measured = s.duration("measured", Duration.ofSeconds(5));
        List<Point> points = new ArrayList<>();
        for (Mode mode : modes(settings.getOrDefault("strategies", "adaptive, fixed, none"))) {
            for (SimulationResult r : dev.nines.simulator.OverloadSimulator.sweep(
                    config, loads, warmup, measured, mode)) {
                List<Double> success = new ArrayList<>();
                for (Priority p : Priority.values()) {
                    success.add(r.of(p).successRate());
                }
                points.add(new Point(strategy(mode), r.load(), r.goodputRatio(), success));
            }
        }
        return points;
    }

    /**
     * Fails naming every key the simulator does not know, before anything runs.
     *
     * @throws IllegalArgumentException listing the unknown keys and the known ones
     */
    static void checkKeys(Map<String, String> settings) {
        Set<String> unknown = new TreeSet<>(settings.keySet());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(
                    "unknown overload settings " + unknown + "; known: " + new TreeSet<>(KEYS));
        }
    }

    private static SimulationConfig config(Settings s) {
        SimulationConfig.Builder b = SimulationConfig.builder();
        s.ifSet("workers", v -> b.workers(s.integer("workers")));
        s.ifSet("serviceTime", v -> b.serviceTime(s.duration("serviceTime", null)));
        s.ifSet("serviceJitter", v -> b.serviceJitter(s.number("serviceJitter")));
        s.ifSet("deadline", v -> b.deadline(s.duration("deadline", null)));
        s.ifSet("seed", v -> b.seed(s.integer("seed")));
        s.ifSet("fixedLimit", v -> b.fixedLimit(s.integer("fixedLimit")));
        s.ifSet("mix", v -> {
            List<Double> mix = s.doubles("mix");
            if (mix.size() != 4) {
                throw new IllegalArgumentException("mix must hold 4 shares (P0..P3) but was " + v);
            }
            b.mix(mix.get(0), mix.get(1), mix.get(2), mix.get(3));
        });
        s.ifSet("shares", v -> {
            List<Double> shares = s.doubles("shares");
            if (shares.size() != 3) {
                throw new IllegalArgumentException("shares must hold 3 shares (P1, P2, P3) but was " + v);
            }
            b.shares(shares.get(0), shares.get(1), shares.get(2));
        });
        int workers = b.build().workers();
        GradientLimit.Builder limit = SimulationConfig.defaultAdaptiveLimit(workers).toBuilder();
        s.ifSet("adaptive.initialLimit", v -> limit.initialLimit(s.integer("adaptive.initialLimit")));
        s.ifSet("adaptive.minLimit", v -> limit.minLimit(s.integer("adaptive.minLimit")));
        s.ifSet("adaptive.maxLimit", v -> limit.maxLimit(s.integer("adaptive.maxLimit")));
        s.ifSet("adaptive.tolerance", v -> limit.tolerance(s.number("adaptive.tolerance")));
        s.ifSet("adaptive.smoothing", v -> limit.smoothing(s.number("adaptive.smoothing")));
        s.ifSet("adaptive.window", v -> limit.window(s.duration("adaptive.window", null)));
        s.ifSet("adaptive.backoffRatio", v -> limit.backoffRatio(s.number("adaptive.backoffRatio")));
        return b.adaptiveLimit(limit.build()).build();
    }

    private static List<Mode> modes(String value) {
        List<Mode> modes = new ArrayList<>();
        for (String name : value.split(",")) {
            switch (name.trim().toLowerCase(Locale.ROOT)) {
                case "adaptive" -> modes.add(Mode.ADAPTIVE);
                case "fixed" -> modes.add(Mode.FIXED);
                case "none" -> modes.add(Mode.NONE);
                default -> throw new IllegalArgumentException(
                        "strategies must list adaptive, fixed or none but was " + value);
            }
        }
        return modes;
    }

    /** The strategy's name in the report. */
    static String strategy(Mode mode) {
        return switch (mode) {
            case ADAPTIVE -> "adaptive limit";
            case FIXED -> "fixed limit";
            case NONE -> "no shedding";
        };
    }

    /** Typed access to the settings, failing with the key and value. */
    private record Settings(Map<String, String> map) {

        void ifSet(String key, java.util.function.Consumer<String> action) {
            String v = map.get(key);
            if (v != null && !v.isBlank()) {
                action.accept(v.trim());
            }
        }

        double number(String key) {
            try {
                return Double.parseDouble(map.get(key).trim());
            } catch (NumberFormatException e) {
                throw bad(key, "a number");
            }
        }

        int integer(String key) {
            try {
                return Integer.parseInt(map.get(key).trim());
            } catch (NumberFormatException e) {
                throw bad(key, "an integer");
            }
        }

        List<Double> doubles(String key) {
            try {
                return Arrays.stream(map.get(key).split(",")).map(String::trim).map(Double::valueOf).toList();
            } catch (NumberFormatException | NullPointerException e) {
                throw bad(key, "numbers separated by commas");
            }
        }

        Duration duration(String key, Duration fallback) {
            String v = map.get(key);
            if (v == null || v.isBlank()) {
                return fallback;
            }
            v = v.trim();
            if (v.startsWith("P") || v.startsWith("p")) {
                try {
                    return Duration.parse(v);
                } catch (RuntimeException e) {
                    throw bad(key, "a duration such as 500ms, 2s or PT2S");
                }
            }
            Matcher m = DURATION.matcher(v);
            if (!m.matches()) {
                throw bad(key, "a duration such as 500ms, 2s or PT2S");
            }
            double amount = Double.parseDouble(m.group(1));
            double nanos = switch (m.group(2)) {
                case "ns" -> 1;
                case "us" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                default -> 60e9;
            };
            return Duration.ofNanos(Math.round(amount * nanos));
        }

        private IllegalArgumentException bad(String key, String what) {
            return new IllegalArgumentException(key + " must be " + what + " but was " + map.get(key));
        }
    }
}
