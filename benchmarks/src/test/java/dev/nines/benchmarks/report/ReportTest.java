package dev.nines.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.benchmarks.report.Classifier.Role;
import dev.nines.benchmarks.report.Comparison.Group;
import dev.nines.benchmarks.report.Comparison.Row;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report step on a small hand-written JMH result file ({@code report/jmh-fixture.json}). */
class ReportTest {

    private static final double EPS = 1e-9;

    @TempDir
    Path out;

    private static Path fixture() throws URISyntaxException {
        return Path.of(Objects.requireNonNull(ReportTest.class.getResource("/report/jmh-fixture.json")).toURI());
    }

    private static List<Group> groups() throws Exception {
        return Comparison.compare(JmhResult.read(fixture()), Comparison.CHEAPEST_FLOOR);
    }

    private static Row row(List<Group> groups, String className, int threads, String label) {
        return groups.stream()
                .filter(g -> g.className().equals(className) && g.threads() == threads)
                .flatMap(g -> g.rows().stream())
                .filter(r -> r.result().label().equals(label))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no row " + className + " " + label + " @" + threads));
    }

    @Test
    void readsScoresErrorsAndBytesPerOpInBothKeySpellings() throws Exception {
        List<Group> groups = groups();
        JmhResult nines = row(groups, "LimiterBenchmark", 1, "ninesAcquire").result();
        assertEquals(10.0, nines.nsPerOp(), EPS);
        assertEquals(0.5, nines.errorNs(), EPS);
        assertEquals(0.0001, nines.bytesPerOp(), EPS);
        // "·gc.alloc.rate.norm", as JMH before 1.37 spelled it
        assertEquals(24.0, row(groups, "LimiterBenchmark", 1, "guavaAcquire").result().bytesPerOp(), EPS);
        assertEquals(16.0, row(groups, "LimiterBenchmark", 2, "bucket4jAcquire").result().bytesPerOp(), EPS);
        assertTrue(Double.isNaN(row(groups, "LimiterBenchmark", 1, "ninesReject").result().errorNs()));
    }

    @Test
    void normalisesThroughputAndMicrosecondsToNanosecondsPerOperation() throws Exception {
        List<Group> groups = groups();
        JmhResult guava = row(groups, "LimiterBenchmark", 1, "guavaAcquire").result();
        assertEquals(40.0, guava.nsPerOp(), EPS); // 0.025 ops/ns
        assertEquals(4.0, guava.errorNs(), EPS); // same 10% relative error
        assertEquals(60.0, row(groups, "LimiterBenchmark", 2, "bucket4jAcquire").result().nsPerOp(), EPS);
    }

    @Test
    void ratioToBestPeerComparesTheSameOperationElseTheWholeClass() throws Exception {
        List<Group> groups = groups();
        Row acquire = row(groups, "LimiterBenchmark", 1, "ninesAcquire");
        assertEquals(0.5, acquire.ratioToBestPeer(), EPS);
        assertEquals("bucket4jAcquire", acquire.bestPeer().orElseThrow().method());
        // no peer measures "Reject": the fastest peer of the class
        assertEquals(0.4, row(groups, "LimiterBenchmark", 1, "ninesReject").ratioToBestPeer(), EPS);
        assertEquals(0.5, row(groups, "LimiterBenchmark", 2, "ninesAcquire").ratioToBestPeer(), EPS);
        assertEquals(2.0, row(groups, "LimiterBenchmark", 1, "guavaAcquire").ratioToBestPeer(), EPS);
    }

    @Test
    void withoutTheSameOperationARelatedOneIsComparedAndTheExceptionTableRenames() {
        List<JmhResult> results = List.of(
                result("LoadShedderBenchmark", "ninesTokenFixed", 10),
                result("LoadShedderBenchmark", "ninesTokenAdaptive", 12),
                result("LoadShedderBenchmark", "netflixFixed", 20),
                result("LoadShedderBenchmark", "netflixGradient2", 30),
                result("CircuitBreakerBenchmark", "ninesRejectOpenThrowing", 9),
                result("CircuitBreakerBenchmark", "ninesRejectOpen", 2),
                result("CircuitBreakerBenchmark", "resilience4jRejectOpen", 3),
                result("CircuitBreakerBenchmark", "resilience4jAcquireSuccess", 1));
        List<Group> groups = Comparison.compare(results, Comparison.CHEAPEST_FLOOR);
        assertEquals("netflixFixed", row(groups, "LoadShedderBenchmark", 1, "ninesTokenFixed")
                .bestPeer().orElseThrow().method());
        assertEquals("netflixGradient2", row(groups, "LoadShedderBenchmark", 1, "ninesTokenAdaptive")
                .bestPeer().orElseThrow().method());
        Row throwing = row(groups, "CircuitBreakerBenchmark", 1, "ninesRejectOpenThrowing");
        assertEquals("resilience4jRejectOpen", throwing.bestPeer().orElseThrow().method());
        assertEquals(3.0, throwing.ratioToBestPeer(), EPS);
    }

    private static JmhResult result(String className, String method, double ns) {
        return new JmhResult(className, method, java.util.Map.of(), 1, ns, Double.NaN, 0, "17", "quick");
    }

    @Test
    void aTokenBucketIsMeasuredAgainstAClockReadPlusACasNotABareCas() {
        List<Group> groups = Comparison.compare(List.of(
                result("RateLimiterBenchmark", "nines", 30),
                result("FloorBenchmark", "cas", 5),
                result("FloorBenchmark", "nanoTimeAndCas", 28)), Comparison.CHEAPEST_FLOOR);
        Row bucket = row(groups, "RateLimiterBenchmark", 1, "nines");
        assertEquals("nanoTimeAndCas", bucket.floor().orElseThrow().method());
        assertEquals(30.0 / 28, bucket.ratioToFloor(), EPS);
    }

    @Test
    void eachResultIsDividedByTheFloorOfItsOwnOperation() {
        List<Group> groups = Comparison.compare(List.of(
                result("BreakerBenchmark", "ninesAcquireSuccess", 6),
                result("BreakerBenchmark", "ninesRejectOpen", 2),
                result("BreakerBenchmark", "ninesRejectOpenOnRequest", 25),
                result("BreakerBenchmark", "ninesOther", 40),
                result("BreakerBenchmark", "floorAcquireSuccess", 4),
                result("BreakerBenchmark", "floorRejectOpen", 1),
                result("FloorBenchmark", "cas", 0.5)), Comparison.CHEAPEST_FLOOR);
        assertEquals("floorAcquireSuccess", row(groups, "BreakerBenchmark", 1, "ninesAcquireSuccess").floor()
                .orElseThrow().method(), "same operation, although another floor is cheaper");
        assertEquals(1.5, row(groups, "BreakerBenchmark", 1, "ninesAcquireSuccess").ratioToFloor(), EPS);
        assertEquals("floorRejectOpen", row(groups, "BreakerBenchmark", 1, "ninesRejectOpenOnRequest").floor()
                .orElseThrow().method(), "the floor whose operation ours starts with");
        assertEquals("floorRejectOpen", row(groups, "BreakerBenchmark", 1, "ninesOther").floor()
                .orElseThrow().method(), "no related floor: the cheapest of the class, not FloorBenchmark");
    }

    @Test
    void peersAreComparedOnlyAtTheSameParameters() throws Exception {
        List<Group> groups = groups();
        assertEquals(0.5, row(groups, "BreakerBenchmark", 1, "ninesClosed [window=100]").ratioToBestPeer(), EPS);
        assertEquals(1.0 / 3, row(groups, "BreakerBenchmark", 1, "ninesClosed [window=1000]").ratioToBestPeer(), EPS);
    }

    @Test
    void ratioToFloorUsesTheCheapestOwnFloorElseTheCheapestFloorBenchmarkAtTheSameThreads() throws Exception {
        List<Group> groups = groups();
        Row acquire = row(groups, "LimiterBenchmark", 1, "ninesAcquire");
        assertEquals("floorCas", acquire.floor().orElseThrow().method());
        assertEquals(2.5, acquire.ratioToFloor(), EPS);
        // no floor of its own: the cheapest FloorBenchmark method, unless one is named
        Row closed = row(groups, "BreakerBenchmark", 1, "ninesClosed [window=100]");
        assertEquals("FloorBenchmark.nanoTime", closed.floor().map(f -> f.className() + "." + f.method()).orElseThrow());
        assertEquals(3.0, closed.ratioToFloor(), EPS);
        List<Group> named = Comparison.compare(JmhResult.read(fixture()), "FloorBenchmark.nanoTimeAndCas");
        assertEquals(2.0, row(named, "BreakerBenchmark", 1, "ninesClosed [window=100]").ratioToFloor(), EPS);
        // no floor was measured at 2 threads
        assertTrue(Double.isNaN(row(groups, "LimiterBenchmark", 2, "ninesAcquire").ratioToFloor()));
    }

    @Test
    void classifiesByPrefixAndEveryFloorBenchmarkMethodAsFloor() {
        assertEquals(new Classifier.Kind(Role.NINES, "nines", "TryAcquire"),
                Classifier.classify("RateLimiterBenchmark", "ninesTryAcquire"));
        assertEquals(new Classifier.Kind(Role.PEER, "Resilience4j", "TryAcquire"),
                Classifier.classify("RateLimiterBenchmark", "resilience4jTryAcquire"));
        assertEquals(new Classifier.Kind(Role.FLOOR, "floor", "Cas"),
                Classifier.classify("RateLimiterBenchmark", "floorCas"));
        assertEquals(Role.FLOOR, Classifier.classify("FloorBenchmark", "nanoTime").role());
        assertEquals(new Classifier.Kind(Role.PEER, "Netflix concurrency-limits", ""),
                Classifier.classify("LoadShedderBenchmark", "netflix"));
    }

    @Test
    void groupsAreOrderedByClassFloorBenchmarkLastRowsBesideTheirPeersFloorsLast() throws Exception {
        List<Group> groups = groups();
        assertEquals(List.of("BreakerBenchmark@1", "LimiterBenchmark@1", "LimiterBenchmark@2", "FloorBenchmark@1"),
                groups.stream().map(g -> g.className() + "@" + g.threads()).toList());
        List<String> limiter = groups.get(1).rows().stream().map(r -> r.result().method()).toList();
        // ninesReject has no Reject peer: it is compared with bucket4jAcquire, so it sits with it
        assertEquals(List.of("ninesAcquire", "ninesReject", "bucket4jAcquire", "guavaAcquire", "floorCas",
                "floorNanoTimeAndCas"), limiter);
    }

    @Test
    void writesMarkdownHtmlAndChartsWithoutExternalResources() throws Exception {
        Path machine = out.resolve("machine.properties");
        Files.writeString(machine, "cpu=Test CPU 9000\ncores=2\nos=Linux\ndate=2025-01-01, quick mode\n");
        Path index = Report.write(Report.Options.parse(new String[] {
            fixture().toString(), "--out", out.resolve("report").toString(), "--machine", machine.toString()}));

        String md = read(out.resolve("report/report.md"));
        assertTrue(md.contains("CPU: Test CPU 9000, 2 cores"), md);
        assertTrue(md.contains("JDK: 17.0.15 (OpenJDK 64-Bit Server VM 17.0.15+6)"), md);
        assertTrue(md.contains("| `ninesAcquire` | nines | 10.0 | 0.50 | ≈ 0 | 0.50× (bucket4jAcquire) | 2.50× |"), md);
        assertTrue(md.contains("| `guavaAcquire` | peer (Guava) | 40.0 | 4.00 | 24 | 2.00× (bucket4jAcquire) | 10.00× |"), md);
        assertTrue(md.contains("![LimiterBenchmark, 2 threads: ns/op (lower is better)](charts/LimiterBenchmark-t2.svg)"), md);
        assertTrue(md.contains("`BreakerBenchmark.oddlyNamed` counted as a peer named `oddly`"), md);

        String svg = read(out.resolve("report/charts/LimiterBenchmark-t1.svg"));
        assertTrue(svg.startsWith("<?xml") && svg.contains("<svg") && svg.trim().endsWith("</svg>"));
        String html = read(index);
        assertTrue(html.contains("<svg"), "charts are inlined");
        assertFalse(html.contains("<?xml"), "no XML declaration inside HTML");
        assertFalse(html.matches("(?s).*(src=|href=|@import|url\\().*"), "no external resources");
    }

    @Test
    void showsTextOutputOfOtherMeasurementsAsItIs() throws Exception {
        Path in = Files.createDirectories(out.resolve("jmh"));
        Files.copy(fixture(), in.resolve("jmh-t1.json"));
        Files.writeString(in.resolve("KeyedLimiterMemory.txt"), "per key beyond the key:  <64.0> bytes\n");
        Path index = Report.write(Report.Options.parse(new String[] {in.toString(), "--out", out.resolve("r").toString()}));
        assertTrue(read(out.resolve("r/report.md")).contains(
                "### KeyedLimiterMemory\n\n```text\nper key beyond the key:  <64.0> bytes\n```"));
        assertTrue(read(index).contains("<pre>per key beyond the key:  &lt;64.0&gt; bytes</pre>"));
    }

    @Test
    void rejectsMissingOutputAndUnknownOptions() {
        IllegalArgumentException noOut = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> Report.Options.parse(new String[] {fixture().toString()}));
        assertEquals("--out is required", noOut.getMessage());
        IllegalArgumentException unknown = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> Report.Options.parse(new String[] {"--bogus"}));
        assertEquals("unknown option --bogus", unknown.getMessage());
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
