package dev.nines.redis.proofs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.redis.testing.RedisServerProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The fleet-wide claim, proven with a real fleet: {@value #WORKERS} separate JVMs (each a
 * {@link SharedLimitWorker}, started with this test's class path) share one limit on one real
 * redis-server and, all together, grant no more than {@code burst + rate × elapsed}, where elapsed
 * is measured by Redis's own clock ({@code TIME}, the clock the limiter decides on) from the first
 * worker's start to the last worker's end. Each worker makes far more decisions than the limit can
 * grant, so the limit binds; that it is the limit and not slowness that refuses is checked too:
 * while all workers were deciding (the overlap of their windows) the fleet must have been granted
 * at least half of what the rate allows in that time (half: a loaded CI machine may stall the
 * workers for longer than the burst can make up).
 *
 * <p>Leasing takes its permits from Redis before serving them, so the same upper bound holds with
 * it on (the limiter's documented lease bound is an under-admission: per key and instance up to
 * {@code leasePermits - 1} permits sit unused while another instance is refused); the lower bound
 * is lowered by what the workers' leases can hold.
 */
@Tag("multi-process")
class MultiProcessSharedLimitTest {

    static final int WORKERS = 3;
    static final long PER_SECOND = 200;
    static final long BURST = 50;
    static final int DECISIONS_PER_WORKER = 1500;
    static final long LEASE_PERMITS = 5;
    static final long LEASE_MILLIS = 100;

    private static RedisServerProcess redis;
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> connection;
    private final List<Process> workers = new ArrayList<>();

    @BeforeAll
    static void startRedis() {
        redis = RedisServerProcess.start();
        client = RedisClient.create(redis.uri());
        connection = client.connect();
    }

    @AfterAll
    static void stopRedis() {
        try {
            if (connection != null) {
                connection.close();
            }
            if (client != null) {
                client.shutdown(0, 2, TimeUnit.SECONDS);
            }
        } finally {
            if (redis != null) {
                redis.close();
            }
        }
    }

    @AfterEach
    void killWorkersLeftRunning() {
        workers.forEach(Process::destroyForcibly);
    }

    @Test
    void threeJvmsTogetherGrantNoMoreThanBurstPlusRateTimesRedisElapsedTime() throws Exception {
        Fleet fleet = runFleet("fleet-plain", List.of());

        assertTrue(fleet.granted() <= fleet.bound(), fleet.toString());
        assertTrue(fleet.refused() > 0, fleet.toString());
        assertTrue(fleet.granted() >= fleet.overlapAllowance() / 2, fleet.toString());
    }

    @Test
    void withLeasingTheSameBoundHoldsAndUnusedLeasesCostAtMostOneLeasePerWorker() throws Exception {
        Fleet fleet = runFleet("fleet-leased", List.of(Long.toString(LEASE_PERMITS), Long.toString(LEASE_MILLIS)));

        assertTrue(fleet.granted() <= fleet.bound(), fleet.toString());
        assertTrue(fleet.refused() > 0, fleet.toString());
        assertTrue(fleet.granted() >= fleet.overlapAllowance() / 2 - WORKERS * (LEASE_PERMITS - 1), fleet.toString());
    }

    /** Starts the workers, lets them go together, and collects what each granted. */
    private Fleet runFleet(String name, List<String> leaseArgs) throws Exception {
        Path logs = Files.createDirectories(Path.of("target", "multi-process", name));
        List<BufferedReader> outputs = new ArrayList<>();
        for (int i = 0; i < WORKERS; i++) {
            List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx128m", "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("java.class.path"), SharedLimitWorker.class.getName(),
                    redis.uri(), name, Long.toString(PER_SECOND), Long.toString(BURST),
                    Integer.toString(DECISIONS_PER_WORKER)));
            command.addAll(leaseArgs);
            Process worker = new ProcessBuilder(command)
                    .redirectError(logs.resolve("worker-" + i + ".err").toFile())
                    .start();
            workers.add(worker);
            outputs.add(new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8)));
        }
        for (int i = 0; i < WORKERS; i++) {
            assertEquals("ready", line(outputs.get(i), i, logs), "worker " + i + "'s first line");
        }
        long go = redisMicros();
        for (Process worker : workers) {
            OutputStream in = worker.getOutputStream();
            in.write("go\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
        }
        long granted = 0;
        long refused = 0;
        long firstStart = Long.MAX_VALUE;
        long lastStart = Long.MIN_VALUE;
        long firstEnd = Long.MAX_VALUE;
        long lastEnd = Long.MIN_VALUE;
        for (int i = 0; i < WORKERS; i++) {
            String result = line(outputs.get(i), i, logs);
            String[] parts = result.split("[= ]");
            assertEquals(8, parts.length, "worker " + i + " printed " + result);
            granted += Long.parseLong(parts[1]);
            refused += Long.parseLong(parts[3]);
            long start = Long.parseLong(parts[5]);
            long end = Long.parseLong(parts[7]);
            firstStart = Math.min(firstStart, start);
            lastStart = Math.max(lastStart, start);
            firstEnd = Math.min(firstEnd, end);
            lastEnd = Math.max(lastEnd, end);
        }
        long done = redisMicros();
        for (int i = 0; i < WORKERS; i++) {
            assertTrue(workers.get(i).waitFor(30, TimeUnit.SECONDS), "worker " + i + " did not exit");
            assertEquals(0, workers.get(i).exitValue(), "worker " + i + "'s exit code; see " + logs);
        }
        // the workers' own readings of Redis's clock lie within the parent's: no decision escaped them
        assertTrue(go <= firstStart && lastEnd <= done, "worker windows [" + firstStart + ", " + lastEnd
                + "] outside the parent's [" + go + ", " + done + "]");
        Fleet fleet = new Fleet(granted, refused, lastEnd - firstStart, Math.max(0, firstEnd - lastStart));
        System.out.println(name + ": " + fleet);
        return fleet;
    }

    /** The next line a worker printed, waiting at most 60 s for it. */
    private static String line(BufferedReader output, int worker, Path logs) throws Exception {
        CompletableFuture<String> next = CompletableFuture.supplyAsync(() -> {
            try {
                return output.readLine();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            String line = next.get(60, TimeUnit.SECONDS);
            if (line == null) {
                throw new AssertionError("worker " + worker + " ended its output early; its stderr is in " + logs);
            }
            return line;
        } catch (TimeoutException e) {
            throw new AssertionError("worker " + worker + " printed nothing for 60 s; its stderr is in " + logs, e);
        }
    }

    private static long redisMicros() {
        return SharedLimitWorker.redisMicros(connection);
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", File.separatorChar == '\\' ? "java.exe" : "java")
                .toString();
    }

    /**
     * What the whole fleet did, and the bounds it must respect.
     *
     * @param elapsedMicros Redis time from the first worker's start to the last worker's end
     * @param overlapMicros Redis time during which every worker was deciding
     */
    record Fleet(long granted, long refused, long elapsedMicros, long overlapMicros) {

        /** burst + rate × elapsed, rounded down: GCRA never grants a fraction of a permit early. */
        long bound() {
            return BURST + PER_SECOND * elapsedMicros / 1_000_000L;
        }

        /** What the rate allows while every worker was deciding. */
        long overlapAllowance() {
            return PER_SECOND * overlapMicros / 1_000_000L;
        }

        @Override
        public String toString() {
            return String.format("granted %d, refused %d over %.3f s of Redis time (all deciding for %.3f s);"
                    + " bound %d (burst %d + %d/s)", granted, refused, elapsedMicros / 1e6, overlapMicros / 1e6,
                    bound(), BURST, PER_SECOND);
        }
    }
}
