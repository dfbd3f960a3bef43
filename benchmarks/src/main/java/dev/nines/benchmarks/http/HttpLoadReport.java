package dev.nines.benchmarks.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The report of {@code benchmarks/run http}: reads the wrk outputs it wrote
 * ({@code wrk-SERVER-CONFIG-ROUND.txt}, CONFIG one of {@code plain}, {@code guarded},
 * {@code refused}) and the run's description ({@code run.properties}, shown as is), and writes a
 * markdown table per server: the median over rounds of requests/s, p50, p99 and the server's CPU
 * per request, then the ratios (the median of each round's ratio, the configurations of a round
 * having run back to back) against the targets: guarded ÷ plain throughput at least 0.95 and p99
 * at most 1.05 (the filter costs at most 5% when nothing is refused), and the 429 path's
 * throughput above the admitted path's (a refusal costs less than an admitted request).
 */
public final class HttpLoadReport {

    private static final Pattern FILE = Pattern.compile("wrk-([a-z0-9]+)-(plain|guarded|refused)-(\\d+)\\.txt");
    private static final List<String> CONFIGS = List.of("plain", "guarded", "refused");

    /** The throughput the guarded path must keep, as a share of the plain one. */
    static final double MIN_THROUGHPUT_RATIO = 0.95;
    /** The most the guarded path's p99 may be, as a multiple of the plain one. */
    static final double MAX_P99_RATIO = 1.05;

    private HttpLoadReport() {
    }

    /** {@code HttpLoadReport DIR}: writes {@code DIR/report.md} and prints it. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: HttpLoadReport DIR (the directory of benchmarks/run http's wrk outputs)");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        String report = write(dir);
        Files.writeString(dir.resolve("report.md"), report, StandardCharsets.UTF_8);
        System.out.print(report);
    }

    /** The report of the runs in {@code dir}. */
    static String write(Path dir) throws IOException {
        // server -> config -> round -> run
        Map<String, Map<String, Map<Integer, WrkRun>>> runs = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                Matcher m = FILE.matcher(f.getFileName().toString());
                if (m.matches()) {
                    WrkRun run;
                    try {
                        run = WrkRun.parse(Files.readString(f, StandardCharsets.UTF_8));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(f + ": " + e.getMessage(), e);
                    }
                    runs.computeIfAbsent(m.group(1), s -> new TreeMap<>())
                            .computeIfAbsent(m.group(2), c -> new TreeMap<>())
                            .put(Integer.parseInt(m.group(3)), run);
                }
            }
        }
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no wrk-SERVER-CONFIG-ROUND.txt files in " + dir);
        }
        StringBuilder out = new StringBuilder("# HTTP path: the nines filter under wrk\n\n");
        Path props = dir.resolve("run.properties");
        if (Files.exists(props)) {
            for (String line : Files.readAllLines(props, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    out.append("- ").append(line.replaceFirst("=", ": ")).append('\n');
                }
            }
            out.append('\n');
        }
        out.append("Medians over rounds. `plain`: no filter; `guarded`: per-client rate limit that admits"
                + " everything + priority shedding that sheds nothing; `refused`: a rate limit that refuses every"
                + " request (429). Server CPU: the server JVM's user + system time per request served.\n\n");
        out.append("| server | config | rounds | requests/s | p50 | p99 | server CPU/request | non-2xx | socket errors |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        runs.forEach((server, configs) -> {
            for (String config : CONFIGS) {
                Map<Integer, WrkRun> rounds = configs.get(config);
                if (rounds == null) {
                    continue;
                }
                List<WrkRun> list = new ArrayList<>(rounds.values());
                out.append(String.format(Locale.ROOT, "| %s | %s | %d | %,.0f | %s | %s | %s | %d | %d |%n", server,
                        config, list.size(), median(list, WrkRun::requestsPerSecond),
                        latency(median(list, WrkRun::p50Micros)), latency(median(list, WrkRun::p99Micros)),
                        cpu(median(list, WrkRun::serverCpuMicrosPerRequest)),
                        list.stream().mapToLong(WrkRun::non2xx).sum(),
                        list.stream().mapToLong(WrkRun::socketErrors).sum()));
            }
        });
        out.append("\nRatios: the median of the rounds' ratios (min–max), each round's configurations run back to back."
                + " Targets: guarded ÷ plain throughput ≥ ").append(MIN_THROUGHPUT_RATIO)
                .append(", p99 ≤ ").append(MAX_P99_RATIO)
                .append("; refused ÷ guarded throughput > 1 (a 429 costs less than an admitted request).\n\n");
        out.append("| server | throughput guarded ÷ plain | p99 guarded ÷ plain | CPU/request guarded ÷ plain"
                + " | throughput refused ÷ guarded | CPU/request refused ÷ guarded |\n");
        out.append("|---|---:|---:|---:|---:|---:|\n");
        List<String> missed = new ArrayList<>();
        runs.forEach((server, configs) -> {
            Map<Integer, WrkRun> plain = configs.getOrDefault("plain", Map.of());
            Map<Integer, WrkRun> guarded = configs.getOrDefault("guarded", Map.of());
            Map<Integer, WrkRun> refused = configs.getOrDefault("refused", Map.of());
            double[] rps = ratios(guarded, plain, WrkRun::requestsPerSecond);
            double[] p99 = ratios(guarded, plain, WrkRun::p99Micros);
            double[] refusal = ratios(refused, guarded, WrkRun::requestsPerSecond);
            out.append("| ").append(server)
                    .append(" | ").append(ratio(rps))
                    .append(" | ").append(ratio(p99))
                    .append(" | ").append(ratio(ratios(guarded, plain, WrkRun::serverCpuMicrosPerRequest)))
                    .append(" | ").append(ratio(refusal))
                    .append(" | ").append(ratio(ratios(refused, guarded, WrkRun::serverCpuMicrosPerRequest)))
                    .append(" |\n");
            if (rps.length > 0 && median(rps) < MIN_THROUGHPUT_RATIO) {
                missed.add(server + ": throughput guarded ÷ plain below " + MIN_THROUGHPUT_RATIO);
            }
            if (p99.length > 0 && median(p99) > MAX_P99_RATIO) {
                missed.add(server + ": p99 guarded ÷ plain above " + MAX_P99_RATIO);
            }
            if (refusal.length > 0 && median(refusal) <= 1) {
                missed.add(server + ": the 429 path is not faster than the admitted path");
            }
            guarded.forEach((round, run) -> {
                if (run.non2xx() > 0) {
                    missed.add(server + ": " + run.non2xx() + " guarded requests refused in round " + round
                            + " (the guarded configuration must refuse nothing)");
                }
            });
            refused.forEach((round, run) -> {
                if (run.requests() - run.non2xx() > 1) { // the one-a-day limit admits a single request
                    missed.add(server + ": " + (run.requests() - run.non2xx()) + " refused-path requests admitted"
                            + " in round " + round);
                }
            });
        });
        out.append('\n');
        if (missed.isEmpty()) {
            out.append("Targets met.\n");
        } else {
            out.append("Targets missed or runs invalid:\n\n");
            missed.forEach(m -> out.append("- ").append(m).append('\n'));
        }
        return out.toString();
    }

    /** The ratio {@code a ÷ b} of each round both ran, in round order. */
    static double[] ratios(Map<Integer, WrkRun> a, Map<Integer, WrkRun> b, ToDoubleFunction<WrkRun> value) {
        return a.keySet().stream().filter(b::containsKey).sorted()
                .mapToDouble(r -> value.applyAsDouble(a.get(r)) / value.applyAsDouble(b.get(r)))
                .filter(x -> !Double.isNaN(x)).toArray();
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double median(List<WrkRun> runs, ToDoubleFunction<WrkRun> value) {
        return median(runs.stream().mapToDouble(value).filter(x -> !Double.isNaN(x)).toArray());
    }

    private static String ratio(double[] values) {
        if (values.length == 0) {
            return "–";
        }
        double min = Arrays.stream(values).min().orElseThrow();
        double max = Arrays.stream(values).max().orElseThrow();
        return String.format(Locale.ROOT, "%.3f (%.2f–%.2f)", median(values), min, max);
    }

    private static String latency(double micros) {
        return micros >= 1000 ? String.format(Locale.ROOT, "%.2f ms", micros / 1000)
                : String.format(Locale.ROOT, "%.0f µs", micros);
    }

    private static String cpu(double micros) {
        return Double.isNaN(micros) ? "–" : String.format(Locale.ROOT, "%.1f µs", micros);
    }
}
