package dev.nines.redis.proofs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.circuitbreaker.CircuitState;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.Outcome;
import dev.nines.ratelimit.AcquireResult;
import dev.nines.ratelimit.Rate;
import dev.nines.redis.RedisKeyedRateLimiter;
import dev.nines.redis.RedisKeyedRateLimiterBuilder;
import dev.nines.redis.WhenRedisDown;
import dev.nines.redis.internal.GcraScript;
import dev.nines.redis.testing.RedisConnections;
import dev.nines.redis.testing.RedisServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Redis killed ({@code SIGKILL}) under callers that keep deciding, then started again, empty: every
 * caller is answered within the timeout in every phase (the decision times of each phase are
 * printed: max and p99; the JVM's first decisions, slowed by class loading, are reported apart), the two instances go back to their shared limit, a {@code SCRIPT FLUSH}
 * under load fails no decision, and a restarted, empty Redis grants no more
 * than one fresh burst per key across instances.
 *
 * <p>The two limiters with the same name stand for two instances of a service. Time in the local
 * fallback and the breaker is a manual ticker; Redis decides on its own clock.
 */
class RedisKilledMidRunTest {

    static final Duration TIMEOUT = Duration.ofMillis(50);
    /**
     * What a loaded machine may add to the slowest caller's wait beyond the timeout (a 2-core CI
     * machine running other builds stalls threads for hundreds of milliseconds). Without the
     * timeout a caller would wait for Lettuce's command timeout (60 s by default) or a reconnect.
     * (Stalls of 300 ms were seen here with a load average of 8, caught by a stack sampler inside
     * the local fallback's cache, CPU-bound code: the scheduler, not Redis.)
     */
    static final Duration MAX_SLACK = Duration.ofMillis(500);
    /** What it may add to the 99th percentile. */
    static final Duration P99_SLACK = Duration.ofMillis(50);
    static final int CALLERS = 4;
    /** Decisions to see in a phase before the next step. */
    static final int PER_PHASE = 400;

    private static RedisServerProcess server;
    private static RedisConnections redis;

    private final ManualTicker ticker = new ManualTicker();
    private final InMemoryMetrics metrics = new InMemoryMetrics();

    @BeforeAll
    static void startRedis() {
        server = RedisServerProcess.start();
        redis = new RedisConnections(server);
    }

    @AfterAll
    static void stopRedis() {
        try {
            if (redis != null) {
                redis.close();
            }
        } finally {
            server.close();
        }
    }

    @AfterEach
    void redisRunsAgain() {
        if (!server.isRunning()) {
            server.startAgain();
        }
    }

    private RedisKeyedRateLimiterBuilder instance(String name, Rate limit, WhenRedisDown mode) {
        return RedisKeyedRateLimiter.builder(name).connection(redis.connection()).limit(limit).timeout(TIMEOUT)
                .whenDown(mode).expectedInstances(2).ticker(ticker).metrics(metrics);
    }

    @Test
    void callersAreAnsweredWithinTheTimeoutThroughAKillAndARestart() throws Exception {
        Rate limit = Rate.of(1, Duration.ofHours(1), 50);
        RedisKeyedRateLimiter a = instance("midrun", limit, WhenRedisDown.LOCAL_FALLBACK).build();
        RedisKeyedRateLimiter b = instance("midrun", limit, WhenRedisDown.LOCAL_FALLBACK).build();
        PhasedCallers callers = new PhasedCallers(CALLERS, (thread, n) -> {
            RedisKeyedRateLimiter instance = (n & 1) == 0 ? a : b;
            instance.tryAcquire("k" + ((thread * 31 + n) % 64));
        });
        callers.start();
        try {
            callers.awaitDecisions(Phase.WARM_UP, PER_PHASE);
            callers.enter(Phase.UP);
            callers.awaitDecisions(Phase.UP, PER_PHASE);

            callers.enter(Phase.KILLED);
            killNine(server);
            callers.awaitDecisions(Phase.KILLED, PER_PHASE);
            awaitOrFail(() -> a.breaker().state() == CircuitState.OPEN && b.breaker().state() == CircuitState.OPEN,
                    "both breakers open while Redis is dead");

            callers.enter(Phase.RESTARTED);
            server.startAgain();
            awaitOrFail(() -> {
                ticker.advance(2, TimeUnit.SECONDS); // past the open duration: the callers' next calls probe
                return a.breaker().state() == CircuitState.CLOSED && b.breaker().state() == CircuitState.CLOSED;
            }, "both breakers closed again after the restart");
            callers.awaitDecisions(Phase.RESTARTED, PER_PHASE);

        } finally {
            callers.stop();
        }
        assertNull(callers.failure(), "a caller threw");

        for (Phase phase : List.of(Phase.WARM_UP, Phase.UP, Phase.KILLED, Phase.RESTARTED)) {
            System.out.println("RedisKilledMidRunTest: " + phase + ": " + callers.summary(phase));
            if (phase != Phase.WARM_UP) {
                assertTrue(callers.max(phase) <= TIMEOUT.plus(MAX_SLACK).toNanos(), phase + ": " + callers.summary(phase));
                assertTrue(callers.p99(phase) <= TIMEOUT.plus(P99_SLACK).toNanos(), phase + ": " + callers.summary(phase));
            }
        }

        // back on the shared limit: what one instance takes, the other cannot have
        int granted = 0;
        while (a.tryAcquire("after-the-outage")) {
            granted++;
        }
        assertEquals(50, granted, "one burst, decided by Redis");
        assertFalse(b.tryAcquire("after-the-outage"), "the other instance sees the same bucket");
        assertEquals("1", server.reply("EXISTS nines:rl:midrun:{=after-the-outage}:0"));
    }

    /**
     * A {@code SCRIPT FLUSH} under load costs no decision: the callers load the script again and
     * the breaker records no failure at all. The timeout is long (5 s) so that only a mishandled
     * {@code NOSCRIPT} could fail a decision, not a loaded machine stalling a caller past 50 ms.
     */
    @Test
    void aScriptFlushUnderLoadFailsNoDecision() throws Exception {
        Rate limit = Rate.of(1, Duration.ofHours(1), 50);
        RedisKeyedRateLimiter a = instance("flush", limit, WhenRedisDown.FAIL_CLOSED).timeout(Duration.ofSeconds(5))
                .build();
        RedisKeyedRateLimiter b = instance("flush", limit, WhenRedisDown.FAIL_CLOSED).timeout(Duration.ofSeconds(5))
                .build();
        PhasedCallers callers = new PhasedCallers(CALLERS, (thread, n) -> {
            RedisKeyedRateLimiter instance = (n & 1) == 0 ? a : b;
            instance.tryAcquire("k" + ((thread * 31 + n) % 64));
        });
        callers.start();
        long failedBefore;
        try {
            callers.awaitDecisions(Phase.WARM_UP, PER_PHASE);
            callers.enter(Phase.UP);
            callers.awaitDecisions(Phase.UP, PER_PHASE);
            assertEquals(List.of(true), redis.connection().sync().scriptExists(GcraScript.SHA));
            failedBefore = failed(a.breaker().name());
            callers.enter(Phase.FLUSHED);
            assertEquals("+OK", server.command("SCRIPT FLUSH"));
            callers.awaitDecisions(Phase.FLUSHED, PER_PHASE);
            assertEquals(List.of(true), redis.connection().sync().scriptExists(GcraScript.SHA),
                    "the callers loaded the script again");
        } finally {
            callers.stop();
        }
        assertNull(callers.failure(), "a caller threw");
        System.out.println("RedisKilledMidRunTest: flush: " + callers.summary(Phase.FLUSHED));
        assertEquals(failedBefore, failed(a.breaker().name()), "decisions failed across the flush");
        assertEquals(List.of(), metrics.transitions(a.breaker().name()), "no breaker noticed the flush");
    }

    /** The calls the Redis breaker saw fail, time out or refused: every outcome but a success. */
    private long failed(String breaker) {
        return metrics.count(breaker, Outcome.FAILURE) + metrics.count(breaker, Outcome.TIMED_OUT)
                + metrics.count(breaker, Outcome.REJECTED);
    }

    @Test
    void aRedisRestartedEmptyGrantsNoMoreThanOneFreshBurstPerKeyAcrossInstances() {
        Rate limit = Rate.of(1, Duration.ofHours(1), 5);
        RedisKeyedRateLimiter a = instance("restart", limit, WhenRedisDown.FAIL_CLOSED).build();
        RedisKeyedRateLimiter b = instance("restart", limit, WhenRedisDown.FAIL_CLOSED).build();
        int keys = 20;
        for (int k = 0; k < keys; k++) {
            grantsOneBurst(a, b, "key-" + k, "before the restart");
        }

        killNine(server);
        server.startAgain();
        // failing closed, a grant on a fresh key can only come from Redis: wait for one per instance
        int[] probes = {0};
        awaitOrFail(() -> {
            ticker.advance(2, TimeUnit.SECONDS); // past an open breaker's open duration: the next call probes
            return a.tryAcquire("probe-a-" + probes[0]++);
        }, "instance a decided by Redis again after the restart");
        awaitOrFail(() -> {
            ticker.advance(2, TimeUnit.SECONDS);
            return b.tryAcquire("probe-b-" + probes[0]++);
        }, "instance b decided by Redis again after the restart");
        assertEquals("0", server.reply("EXISTS nines:rl:restart:{=key-0}:0"), "Redis came back empty");

        for (int k = 0; k < keys; k++) {
            grantsOneBurst(a, b, "key-" + k, "after the restart: one fresh burst");
        }
    }

    /**
     * Calls alternating between the two instances on {@code key} until Redis has refused four
     * times, and checks that they were granted one burst (5): never more; fewer only by calls that
     * timed out on a loaded machine, whose script may still have run in Redis and taken a permit.
     * Redis's refusal says to wait for the next permit (about an hour here); a refusal after a
     * timeout (failing closed) says to wait for the breaker (a second), and is retried.
     */
    private static void grantsOneBurst(RedisKeyedRateLimiter a, RedisKeyedRateLimiter b, String key, String when) {
        int granted = 0;
        int redisRefusals = 0;
        int timedOut = 0;
        for (int i = 0; redisRefusals < 4; i++) {
            assertTrue(i < 200, "Redis never refused " + key + " after " + granted + " grants");
            AcquireResult r = ((i & 1) == 0 ? a : b).tryAcquireDetailed(key, 1);
            if (r.acquired()) {
                granted++;
            } else if (r.nanosToWait() > TimeUnit.MINUTES.toNanos(1)) {
                redisRefusals++;
            } else {
                timedOut++;
            }
        }
        String what = key + " " + when + ": " + granted + " granted, " + timedOut + " timed out";
        assertTrue(granted <= 5, what);
        assertTrue(granted >= 5 - timedOut, what);
    }

    /** Kills the server with SIGKILL (no shutdown, connections reset), then reaps it; its port stays reserved. */
    static void killNine(RedisServerProcess server) {
        String port = Integer.toString(server.port());
        // redis-server rewrites its command line to "redis-server 127.0.0.1:PORT" (Linux's /proc shows it;
        // ProcessHandle.Info reports the executable, on Debian a link named redis-check-rdb)
        List<ProcessHandle> redis = ProcessHandle.current().children()
                .filter(p -> cmdline(p).matches("(?s).*redis-server.*\\b" + port + "\\b.*"))
                .toList();
        assertEquals(1, redis.size(), "one redis-server child on port " + port + " among "
                + ProcessHandle.current().children().map(RedisKilledMidRunTest::cmdline).toList());
        redis.get(0).destroyForcibly();
        redis.get(0).onExit().join();
        server.stop(); // reaps the process the fixture holds, which is already gone
        assertFalse(server.isRunning());
    }

    private static String cmdline(ProcessHandle process) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline")).replace('\0', ' ');
        } catch (IOException e) {
            return process.info().commandLine().orElse("?");
        }
    }

    /** Waits (at most 15 s of real time, for processes and connections) until {@code condition} holds. */
    static void awaitOrFail(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting: " + what);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /** The phases of the outage. */
    enum Phase {
        /** The JVM's first decisions: class loading and the JIT, reported but not held to the timeout. */
        WARM_UP,
        UP, KILLED, RESTARTED, FLUSHED
    }

    /** One caller's decision. */
    @FunctionalInterface
    interface Decision {
        void decide(int thread, int n);
    }

    /**
     * Caller threads deciding in a loop, each decision timed and filed under the phase it began in;
     * the first {@value #CAP} times of each thread and phase are kept, all are counted.
     */
    static final class PhasedCallers {
        static final int CAP = 50_000;

        private final Thread[] threads;
        private final long[][][] times;
        private final int[][] counts;
        private volatile Phase phase = Phase.WARM_UP;
        private volatile boolean running = true;
        private volatile Throwable failure;

        PhasedCallers(int callers, Decision decision) {
            threads = new Thread[callers];
            times = new long[callers][Phase.values().length][CAP];
            counts = new int[callers][Phase.values().length];
            for (int t = 0; t < callers; t++) {
                int thread = t;
                threads[t] = new Thread(() -> {
                    try {
                        for (int n = 0; running; n++) {
                            int p = phase.ordinal();
                            long start = System.nanoTime();
                            decision.decide(thread, n);
                            long took = System.nanoTime() - start;
                            int i = counts[thread][p];
                            if (i < CAP) {
                                times[thread][p][i] = took;
                            }
                            counts[thread][p] = i + 1;
                        }
                    } catch (Throwable e) {
                        failure = e;
                    }
                }, "caller-" + t);
            }
        }

        void start() {
            for (Thread t : threads) {
                t.start();
            }
        }

        void enter(Phase next) {
            phase = next;
        }

        /** Waits until the callers made {@code n} decisions in {@code phase} (counts are read racily, as a hint). */
        void awaitDecisions(Phase p, int n) {
            awaitOrFail(() -> {
                if (failure != null) {
                    return true;
                }
                long sum = 0;
                for (int[] c : counts) {
                    sum += c[p.ordinal()];
                }
                return sum >= n;
            }, n + " decisions in phase " + p);
        }

        void stop() throws InterruptedException {
            running = false;
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(10));
            }
        }

        Throwable failure() {
            return failure;
        }

        private long[] sorted(Phase p) {
            List<long[]> parts = new ArrayList<>();
            int total = 0;
            for (int t = 0; t < threads.length; t++) {
                int kept = Math.min(counts[t][p.ordinal()], CAP);
                parts.add(java.util.Arrays.copyOf(times[t][p.ordinal()], kept));
                total += kept;
            }
            long[] all = new long[total];
            int at = 0;
            for (long[] part : parts) {
                System.arraycopy(part, 0, all, at, part.length);
                at += part.length;
            }
            java.util.Arrays.sort(all);
            return all;
        }

        long max(Phase p) {
            long[] all = sorted(p);
            return all.length == 0 ? 0 : all[all.length - 1];
        }

        long p99(Phase p) {
            long[] all = sorted(p);
            return all.length == 0 ? 0 : all[(int) (all.length * 0.99)];
        }

        String summary(Phase p) {
            long[] all = sorted(p);
            long decisions = 0;
            for (int[] c : counts) {
                decisions += c[p.ordinal()];
            }
            if (all.length == 0) {
                return "no decisions";
            }
            return String.format("%d decisions, p50 %.3f ms, p99 %.3f ms, max %.3f ms", decisions,
                    all[all.length / 2] / 1e6, all[(int) (all.length * 0.99)] / 1e6, all[all.length - 1] / 1e6);
        }
    }
}
