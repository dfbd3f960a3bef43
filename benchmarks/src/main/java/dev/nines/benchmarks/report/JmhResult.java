package dev.nines.benchmarks.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * One JMH result (one benchmark method, one parameter combination, one thread count) reduced to
 * what the report shows. Scores are normalised to nanoseconds per operation whatever the mode
 * (average time, sample, single shot, or throughput, which is inverted).
 *
 * <p>JMH's JSON fields read: {@code benchmark}, {@code params}, {@code threads}, {@code mode},
 * {@code jdkVersion}, {@code vmName}, {@code vmVersion}, {@code primaryMetric.score},
 * {@code primaryMetric.scoreError}, {@code primaryMetric.scoreUnit} and the secondary metric
 * {@code gc.alloc.rate.norm} (B/op, present with {@code -prof gc}; JMH before 1.37 spelled it
 * {@code ·gc.alloc.rate.norm} with a leading middle dot, and both spellings are accepted).
 *
 * @param className simple name of the benchmark class, for example {@code FloorBenchmark}
 * @param method benchmark method name
 * @param params JMH {@code @Param} values, in declaration order; empty when none
 * @param threads number of benchmark threads
 * @param nsPerOp score in ns/op
 * @param errorNs half-width of JMH's 99.9% confidence interval in ns/op; NaN when JMH had too few
 *     iterations to compute one
 * @param bytesPerOp allocated bytes per operation; NaN when the run had no {@code -prof gc}
 * @param jdk JDK and VM the benchmark ran on, for example {@code 17.0.15 (OpenJDK 64-Bit Server VM
 *     17.0.15+6)}
 * @param settings how JMH measured, for example {@code 1 fork, warmup 2 × 500 ms, measurement 3 ×
 *     500 ms}
 */
public record JmhResult(
        String className,
        String method,
        Map<String, String> params,
        int threads,
        double nsPerOp,
        double errorNs,
        double bytesPerOp,
        String jdk,
        String settings) {

    /** Name of the secondary metric JMH's GC profiler reports allocated bytes per operation in. */
    public static final String ALLOC_NORM = "gc.alloc.rate.norm";

    /** Copies {@code params} so the record stays immutable. */
    public JmhResult {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** Reads every result in one JMH JSON file ({@code -rf json}). */
    public static List<JmhResult> read(Path file) throws IOException {
        Object root = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
        List<JmhResult> results = new ArrayList<>();
        for (Object entry : Json.array(root)) {
            results.add(of(Json.object(entry)));
        }
        return results;
    }

    /** Converts one element of JMH's JSON array. */
    static JmhResult of(Map<String, Object> json) {
        String benchmark = String.valueOf(json.get("benchmark"));
        int lastDot = benchmark.lastIndexOf('.');
        String fqClass = lastDot < 0 ? "" : benchmark.substring(0, lastDot);
        String method = benchmark.substring(lastDot + 1);
        String className = fqClass.substring(fqClass.lastIndexOf('.') + 1);

        Map<String, String> params = new LinkedHashMap<>();
        Json.object(json.get("params")).forEach((k, v) -> params.put(k, String.valueOf(v)));

        Map<String, Object> primary = Json.object(json.get("primaryMetric"));
        double score = Json.number(primary.get("score"));
        double error = Json.number(primary.get("scoreError"));
        double factor = nanosFactor(String.valueOf(primary.get("scoreUnit")));
        double ns;
        double errNs;
        if (factor > 0) { // time per operation
            ns = score * factor;
            errNs = error * factor;
        } else { // operations per time unit: invert, keep the relative error
            ns = -factor / score;
            errNs = ns * error / score;
        }

        double bytes = Double.NaN;
        for (Map.Entry<String, Object> metric : Json.object(json.get("secondaryMetrics")).entrySet()) {
            if (stripMiddleDot(metric.getKey()).equals(ALLOC_NORM)) {
                bytes = Json.number(Json.object(metric.getValue()).get("score"));
            }
        }

        String jdk = String.format(Locale.ROOT, "%s (%s %s)",
                json.get("jdkVersion"), json.get("vmName"), json.get("vmVersion"));
        int threads = (int) Json.number(json.get("threads"));
        String settings = String.format(Locale.ROOT, "%d fork(s), warmup %d × %s, measurement %d × %s",
                (int) Json.number(json.get("forks")),
                (int) Json.number(json.get("warmupIterations")), json.get("warmupTime"),
                (int) Json.number(json.get("measurementIterations")), json.get("measurementTime"));
        return new JmhResult(className, method, params, threads, ns, errNs, bytes, jdk, settings);
    }

    /** The method name followed by its parameters, for example {@code ninesAcquire [keys=1000]}. */
    public String label() {
        return params.isEmpty() ? method : method + " [" + paramsText() + "]";
    }

    /** Parameters as {@code a=1, b=2}, or the empty string. */
    public String paramsText() {
        StringJoiner joiner = new StringJoiner(", ");
        params.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> joiner.add(e.getKey() + "=" + e.getValue()));
        return joiner.toString();
    }

    private static String stripMiddleDot(String key) {
        return key.startsWith("\u00b7") ? key.substring(1) : key;
    }

    /**
     * For a time-per-operation unit ({@code us/op}), the positive factor to nanoseconds; for a
     * throughput unit ({@code ops/us}), minus the nanoseconds in its time unit.
     */
    static double nanosFactor(String unit) {
        String[] parts = unit.split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("unsupported JMH score unit: " + unit);
        }
        boolean perOp = parts[1].equals("op");
        double nanos = nanosIn(perOp ? parts[0] : parts[1], unit);
        return perOp ? nanos : -nanos;
    }

    private static double nanosIn(String timeUnit, String unit) {
        switch (timeUnit) {
            case "ns":
                return 1;
            case "us":
            case "\u00b5s":
                return 1e3;
            case "ms":
                return 1e6;
            case "s":
                return 1e9;
            case "min":
                return 60e9;
            default:
                throw new IllegalArgumentException("unsupported JMH score unit: " + unit);
        }
    }
}
