package dev.nines.benchmarks.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** wrk's output is parsed with its units, and the report's ratios and verdicts follow from the runs. */
class HttpLoadReportTest {

    static String wrk(double rps, String p50, String p99, long requests, long non2xx) {
        return "Running 5s test @ http://127.0.0.1:1/plain\n"
                + "  2 threads and 16 connections\n"
                + "  Thread Stats   Avg      Stdev     Max   +/- Stdev\n"
                + "    Latency   900.00us    1.00ms  30.00ms   95.00%\n"
                + "  Latency Distribution\n"
                + "     50%  " + p50 + "\n"
                + "     75%  1.00ms\n"
                + "     90%  2.00ms\n"
                + "     99%  " + p99 + "\n"
                + "  " + requests + " requests in 5.00s, 10.00MB read\n"
                + (non2xx > 0 ? "  Non-2xx or 3xx responses: " + non2xx + "\n" : "")
                + "Requests/sec:  " + rps + "\n"
                + "Transfer/sec:      2.00MB\n"
                + "server-cpu-seconds: 2.500\n";
    }

    @Test
    void parsesEveryUnitAndTheServersCpu() {
        WrkRun run = WrkRun.parse(wrk(20000.5, "650.00us", "1.20s", 100000, 7));
        assertEquals(20000.5, run.requestsPerSecond());
        assertEquals(650.0, run.p50Micros(), 1e-9);
        assertEquals(1.2e6, run.p99Micros(), 1e-6);
        assertEquals(100000, run.requests());
        assertEquals(7, run.non2xx());
        assertEquals(25.0, run.serverCpuMicrosPerRequest(), 1e-9);
        assertEquals(2500.0, WrkRun.parse(wrk(1, "2.50ms", "3ms", 1, 0)).p50Micros(), 1e-9);
    }

    @Test
    void outputWithoutLatencyDistributionFailsNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WrkRun.parse("  10 requests in 1.00s\nRequests/sec: 10.0\n"));
        assertTrue(e.getMessage().contains("--latency"), e.getMessage());
    }

    @Test
    void ratiosAreTheMedianOfEachRoundsAndTheVerdictsFollow(@TempDir Path dir) throws Exception {
        // round r: plain 1000r/s, guarded 990 (0.99), refused 1500: the targets hold on "jdk"
        for (int r = 1; r <= 3; r++) {
            Files.writeString(dir.resolve("wrk-jdk-plain-" + r + ".txt"), wrk(1000.0 * r, "1ms", "10ms", 5000, 0));
            Files.writeString(dir.resolve("wrk-jdk-guarded-" + r + ".txt"), wrk(990.0 * r, "1ms", "10.2ms", 5000, 0));
            Files.writeString(dir.resolve("wrk-jdk-refused-" + r + ".txt"), wrk(1500.0 * r, "1ms", "5ms", 7500, 7499));
            // "jetty": the guarded path is 20% slower and refuses requests
            Files.writeString(dir.resolve("wrk-jetty-plain-" + r + ".txt"), wrk(1000, "1ms", "10ms", 5000, 0));
            Files.writeString(dir.resolve("wrk-jetty-guarded-" + r + ".txt"), wrk(800, "1ms", "20ms", 4000, 3));
        }
        String report = HttpLoadReport.write(dir);
        assertTrue(report.contains("| jdk | 0.990 (0.99–0.99) | 1.020 (1.02–1.02) |"), report);
        assertTrue(report.contains("| 1.515 (1.52–1.52) |"), report);
        assertTrue(report.contains("- jetty: throughput guarded ÷ plain below 0.95"), report);
        assertTrue(report.contains("- jetty: p99 guarded ÷ plain above 1.05"), report);
        assertTrue(report.contains("- jetty: 3 guarded requests refused in round 1"), report);
        assertTrue(!report.contains("- jdk:"), report);
    }
}
