package dev.nines.benchmarks;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.io.OutputStream;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * CI smoke pass: runs every JMH benchmark on the classpath once, very briefly, in this JVM, at
 * the thread counts the suite is measured at, so a benchmark that throws, deadlocks in its setup
 * or was dropped from the generated benchmark list fails the build instead of rotting silently.
 *
 * <p>The benchmarks are discovered from {@code META-INF/BenchmarkList}, which the JMH annotation
 * processor writes into {@code target/classes}: a new benchmark class is covered without touching
 * this test. Nothing here says anything about speed: the test asserts only that each benchmark
 * (each {@code @Param} combination) ran and produced a finite score.
 *
 * <p>{@code -Dnines.smoke.include=REGEX} narrows the pass while working on one benchmark.
 */
class BenchmarkSmokeTest {

    @ParameterizedTest(name = "{0} thread(s)")
    @ValueSource(ints = {1, 2})
    void everyBenchmarkRunsOnceAndProducesAFiniteScore(int threads) throws Exception {
        String include = System.getProperty("nines.smoke.include", ".*");
        Set<String> expected = discovered(include);
        assertTrue(expected.contains(FloorBenchmark.class.getName() + ".cas"),
                "the generated benchmark list was not found on the test classpath: " + expected);

        // The smoke pass measures nothing, so it need not wait for a benchmark run that holds
        // JMH's machine-wide lock (another engineer's measurement, say).
        System.setProperty("jmh.ignoreLock", "true");
        Options options = new OptionsBuilder()
                .include(include)
                .forks(0)
                .threads(threads)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(50))
                // KeyedLimiterBenchmark: every distribution runs the same code on more keys, and
                // filling a million keys per contender took ~40 s here; KeyedLimiterBenchmarkTest
                // checks the draws of the others
                .param("distribution", "uniform1k")
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();
        Collection<RunResult> results = new Runner(options,
                OutputFormatFactory.createFormatInstance(silent(), VerboseMode.SILENT)).run();

        Set<String> ran = results.stream()
                .map(r -> r.getParams().getBenchmark())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(expected, ran, "benchmarks that did not run");
        assertFalse(results.isEmpty());
        assertAll(results.stream().map(r -> () -> {
            double score = r.getPrimaryResult().getScore();
            assertTrue(Double.isFinite(score), r.getParams().getBenchmark() + " "
                    + r.getParams().getParamsKeys().stream().map(r.getParams()::getParam).toList()
                    + " scored " + score);
        }));
    }

    /** Benchmark method names in the generated list that match {@code include}. */
    private static Set<String> discovered(String include) {
        Set<BenchmarkListEntry> entries = BenchmarkList.defaultList().find(
                OutputFormatFactory.createFormatInstance(silent(), VerboseMode.SILENT),
                List.of(include), List.of());
        return entries.stream()
                .map(BenchmarkListEntry::getUsername)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static PrintStream silent() {
        return new PrintStream(OutputStream.nullOutputStream());
    }
}
