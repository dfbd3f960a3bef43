package dev.nines.benchmarks.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The report step: turns JMH JSON result files into {@code report.md}, {@code index.html} (one
 * self-contained page, charts inlined) and {@code charts/*.svg} under an output directory.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.nines.benchmarks.report.Report \
 *     benchmarks/target/jmh/*.json --out benchmarks/target/report \
 *     [--machine benchmarks/target/jmh/machine.properties] [--floor FloorBenchmark.nanoTimeAndCas] \
 *     [--overload benchmarks/overload.properties]
 * </pre>
 *
 * <p>A directory argument stands for every {@code *.json} and {@code *.txt} in it. A {@code .txt}
 * file is the output of a measurement that is not JMH (such as {@code KeyedLimiterMemory}) and is
 * shown as it is under "Other measurements", titled by its file name. For each primitive (benchmark
 * class) and thread count the report shows ns/op with JMH's error, B/op ({@code -prof gc}'s
 * {@code gc.alloc.rate.norm}) and the ratio to the best peer and to the floor, with the JDK, CPU
 * model and core count. With {@code --overload}, the overload simulator runs every scenario of
 * that properties file (see {@link OverloadScenario}) and the report adds goodput and success per
 * priority against offered load.
 *
 * <p>Which results are nines, peers and floors follows a naming convention: methods starting with
 * {@code nines} are ours, with {@code floor} floors, any other method is a peer whose name starts
 * with the peer ({@code resilience4j…}, {@code failsafe…}, {@code bucket4j…}, {@code guava…},
 * {@code netflix…}); every method of {@code FloorBenchmark} is a floor. See {@link Classifier}
 * for the details and {@link Comparison} for how ratios are taken.
 */
public final class Report {

    private Report() {
    }

    /** Runs the report step; exits with status 2 and a message on bad arguments or settings. */
    public static void main(String[] args) throws IOException {
        try {
            Path written = write(Options.parse(args));
            System.out.println("report: " + written.toAbsolutePath());
        } catch (IllegalArgumentException e) {
            System.err.println("report: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
        }
    }

    /** Writes the report for {@code options}; returns the path of {@code index.html}. */
    public static Path write(Options options) throws IOException {
        return write(options, defaultSimulator());
    }

    /** The overload simulator of the shedding module. */
    static Optional<OverloadSimulator> defaultSimulator() {
        return Optional.of(new SheddingSimulation());
    }

    /** Writes the report, simulating overload with {@code simulator} when one is given. */
    public static Path write(Options options, Optional<OverloadSimulator> simulator) throws IOException {
        List<JmhResult> results = new ArrayList<>();
        List<Path> notes = new ArrayList<>();
        for (Path file : options.inputs()) {
            if (file.getFileName().toString().endsWith(".txt")) {
                notes.add(file);
            } else {
                results.addAll(JmhResult.read(file));
            }
        }
        Machine machine = options.machine() != null ? Machine.load(options.machine()) : Machine.detect();
        Doc doc = build(results, machine, options.floor());
        if (!notes.isEmpty()) {
            doc.heading(2, "Other measurements");
            for (Path note : notes) {
                doc.heading(3, note.getFileName().toString().replaceFirst("\\.txt$", ""));
                doc.preformatted(Files.readString(note, StandardCharsets.UTF_8));
            }
        }
        if (options.overload() != null) {
            List<OverloadScenario> scenarios = OverloadScenario.load(options.overload());
            if (simulator.isEmpty()) {
                OverloadSection.unavailable(doc, "no overload simulator is on the classpath.");
            } else {
                List<OverloadSection.Run> runs = new ArrayList<>();
                for (OverloadScenario scenario : scenarios) {
                    try {
                        runs.add(new OverloadSection.Run(scenario, simulator.get().run(scenario.settings())));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("overload scenario " + scenario.name() + ": "
                                + e.getMessage(), e);
                    }
                }
                OverloadSection.write(doc, runs);
            }
        }

        Path out = options.out();
        Path charts = out.resolve("charts");
        Files.createDirectories(charts);
        for (Doc.Block block : doc.blocks()) {
            if (block instanceof Doc.Chart chart) {
                Files.writeString(charts.resolve(chart.file()), chart.svg(), StandardCharsets.UTF_8);
            }
        }
        Files.writeString(out.resolve("report.md"), MarkdownWriter.render(doc), StandardCharsets.UTF_8);
        Path index = out.resolve("index.html");
        Files.writeString(index, HtmlWriter.render(doc, "nines benchmark report"), StandardCharsets.UTF_8);
        return index;
    }

    /** Builds the whole report document. */
    static Doc build(List<JmhResult> results, Machine machine, String floor) {
        if (results.isEmpty()) {
            return new Doc().heading(1, "nines benchmark report")
                    .text("No JMH results were given; only the overload simulation follows.");
        }
        Doc doc = new Doc().heading(1, "nines benchmark report");
        Set<String> jdks = new LinkedHashSet<>();
        Set<String> settings = new LinkedHashSet<>();
        results.forEach(r -> {
            jdks.add(r.jdk());
            settings.add(r.settings());
        });
        List<String> facts = new ArrayList<>();
        facts.add("JDK: " + (jdks.isEmpty() ? "no results" : String.join("; ", jdks)));
        facts.add("CPU: " + machine.cpu() + ", " + machine.cores() + " cores available to the JVM");
        facts.add("OS: " + machine.os() + (machine.date().isEmpty() ? "" : ", measured " + machine.date()));
        facts.add("JMH: " + (settings.isEmpty() ? "no results" : String.join("; ", settings)));
        doc.bullets(facts);
        doc.text("**Read with care.** JMH numbers from a shared machine or a machine with few cores "
                + "are noisy: other processes steal cycles, and at 2 threads on 2 cores the benchmark "
                + "leaves no core for the OS and the JIT, so 2-thread results there measure "
                + "contention plus scheduling. The error column is the half-width of JMH's 99.9% "
                + "confidence interval over the measurement iterations; `n/a` means too few iterations "
                + "to compute one. B/op comes from `-prof gc` and is reliable even in quick mode; "
                + "`≈ 0` means no allocation on the measured path.");
        doc.text("Columns: **ns/op** average time per operation (lower is better); **vs best peer** "
                + "this result divided by the fastest peer measuring the same operation (below 1: "
                + "faster than every peer); **vs floor** this result divided by the floor, the least "
                + "work the primitive could do (a clock read, a CAS), measured in the same run.");
        BenchmarkSection.write(doc, Comparison.compare(results, floor));
        return doc;
    }

    /**
     * Parsed command line.
     *
     * @param inputs JMH JSON files
     * @param out output directory
     * @param machine {@code machine.properties} written by the run script, or null to detect
     * @param floor floor of classes without their own, {@code FloorBenchmark.method} or
     *     {@code cheapest} (the default)
     * @param overload overload scenarios properties file, or null for no overload section
     */
    public record Options(List<Path> inputs, Path out, Path machine, String floor, Path overload) {

        static final String USAGE = "usage: Report <jmh-result.json | output.txt | dir>... --out <dir>"
                + " [--machine <machine.properties>] [--floor <Class.method>] [--overload <scenarios.properties>]";

        /** Parses {@code args}; throws {@link IllegalArgumentException} naming what is wrong. */
        public static Options parse(String[] args) throws IOException {
            List<Path> inputs = new ArrayList<>();
            Path out = null;
            Path machine = null;
            String floor = Comparison.CHEAPEST_FLOOR;
            Path overload = null;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--out" -> out = Path.of(value(args, ++i, arg));
                    case "--machine" -> machine = Path.of(value(args, ++i, arg));
                    case "--floor" -> floor = value(args, ++i, arg);
                    case "--overload" -> overload = Path.of(value(args, ++i, arg));
                    default -> {
                        if (arg.startsWith("--")) {
                            throw new IllegalArgumentException("unknown option " + arg);
                        }
                        inputs.addAll(expand(Path.of(arg)));
                    }
                }
            }
            if (out == null) {
                throw new IllegalArgumentException("--out is required");
            }
            if (inputs.isEmpty() && overload == null) {
                throw new IllegalArgumentException("no JMH result files given");
            }
            if (overload != null && !Files.isRegularFile(overload)) {
                throw new IllegalArgumentException("no such file: " + overload);
            }
            return new Options(List.copyOf(inputs), out, machine, floor, overload);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static List<Path> expand(Path path) throws IOException {
            if (!Files.exists(path)) {
                throw new IllegalArgumentException("no such file: " + path);
            }
            if (!Files.isDirectory(path)) {
                return List.of(path);
            }
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(path, "*.{json,txt}")) {
                dir.forEach(files::add);
            }
            files.sort(null);
            return files;
        }
    }
}
