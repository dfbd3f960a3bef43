package dev.nines.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.circuitbreaker.CircuitState;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.MetricsSink;
import dev.nines.ratelimit.AcquireResult;
import dev.nines.ratelimit.Rate;
import dev.nines.redis.testing.RedisConnections;
import dev.nines.redis.testing.RedisServerProcess;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Redis limiter while its redis-server is stopped, paused and started again: every caller answered
 * within the timeout, the down mode deciding while the breaker is open, back to Redis after.
 */
class RedisDownTest {

    private static final Duration TIMEOUT = Duration.ofMillis(50);

    private static RedisServerProcess server;
    private static RedisConnections redis;

    private final ManualTicker ticker = new ManualTicker();

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
        if (!server.isRunning()) { // a failed test must not leave the next one without Redis
            server.startAgain();
        }
    }

    private RedisKeyedRateLimiterBuilder limiter(String name, WhenRedisDown mode) {
        return RedisKeyedRateLimiter.builder(name).connection(redis.connection()).limit(Rate.of(10, Duration.ofMinutes(1)))
                .timeout(TIMEOUT).whenDown(mode).ticker(ticker).metrics(MetricsSink.noop());
    }

    /** Nanoseconds one decision took, measured on the real clock (what a caller waits). */
    private static long timed(Runnable decision) {
        long start = System.nanoTime();
        decision.run();
        return System.nanoTime() - start;
    }

    @Test
    void withRedisStoppedCallersAreAnsweredFastByTheLocalFallbackAndRedisDecidesAgainAfterARestart() {
        InMemoryMetrics metrics = new InMemoryMetrics();
        RedisKeyedRateLimiter l = limiter("down", WhenRedisDown.LOCAL_FALLBACK).expectedInstances(2).metrics(metrics)
                .build();
        assertTrue(l.tryAcquire("c"));
        assertEquals(1, metrics.gauge("down", RedisKeyedRateLimiter.REDIS_UP_GAUGE).getAsLong());

        server.stop();
        long slowest = 0;
        for (int i = 0; i < 5; i++) { // the calls that find Redis gone open the breaker
            slowest = Math.max(slowest, timed(() -> l.tryAcquire("warm-up")));
        }
        // the timeout plus scheduling noise (this machine's 2 cores are shared: pauses of 300 ms were seen), far
        // below what waiting for Lettuce would cost (its default command timeout is 60 s, a reconnect seconds)
        assertTrue(slowest <= TIMEOUT.toNanos() + TimeUnit.SECONDS.toNanos(1), "no caller waits much beyond the"
                + " timeout while the breaker learns: " + slowest + " ns");
        assertEquals(CircuitState.OPEN, l.breaker().state());
        assertEquals(0, metrics.gauge("down", RedisKeyedRateLimiter.REDIS_UP_GAUGE).getAsLong());

        // the local fallback: 10 per minute over 2 expected instances is 5 per minute here, burst 5
        int granted = 0;
        for (int i = 0; i < 8; i++) {
            granted += l.tryAcquire("fallback-client") ? 1 : 0;
        }
        assertEquals(5, granted, "the limit divided by the expected instances");
        AcquireResult refused = l.tryAcquireDetailed("fallback-client", 1);
        assertFalse(refused.acquired());
        assertEquals(Duration.ofSeconds(12).toNanos(), refused.nanosToWait(), "5 per minute: one per 12 s");

        long[] nanos = new long[20_000];
        for (int i = 0; i < nanos.length; i++) {
            String key = "k" + (i % 500);
            nanos[i] = timed(() -> l.tryAcquire(key));
        }
        Arrays.sort(nanos);
        long p99 = nanos[nanos.length * 99 / 100];
        System.out.println("RedisDownTest: decision time with Redis stopped and the breaker open: p50 "
                + nanos[nanos.length / 2] + " ns, p99 " + p99 + " ns, max " + nanos[nanos.length - 1] + " ns");
        assertTrue(p99 <= TimeUnit.MILLISECONDS.toNanos(1), "p99 " + p99 + " ns");

        server.startAgain();
        // Lettuce reconnects on its own schedule (every 50 ms here): poll until it has, each poll past the
        // breaker's open duration on the manual ticker so that its call probes Redis
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
            ticker.advance(2, TimeUnit.SECONDS);
            l.tryAcquire("probe");
            return l.breaker().state() == CircuitState.CLOSED;
        });
        assertEquals(1, metrics.gauge("down", RedisKeyedRateLimiter.REDIS_UP_GAUGE).getAsLong());
        assertTrue(l.tryAcquire("after"));
        assertEquals("1", server.reply("EXISTS nines:rl:down:{=after}:0"), "the decision was made in Redis");
        assertTrue(metrics.state("down-redis").isPresent(), "the breaker's transitions reached the metrics sink");
    }

    @Test
    void aPausedRedisCostsEachCallerAtMostTheTimeout() throws Exception {
        RedisKeyedRateLimiter l = limiter("paused", WhenRedisDown.FAIL_CLOSED).build();
        assertTrue(l.tryAcquire("c"));
        assertEquals("+OK", server.command("CLIENT PAUSE 1500 ALL"));
        long took = timed(() -> assertFalse(l.tryAcquire("c"), "fail closed"));
        // well under the 1.5 s pause, whatever the scheduling noise of a shared machine
        assertTrue(took < TIMEOUT.toNanos() + TimeUnit.SECONDS.toNanos(1), "waited " + took + " ns");
        assertTrue(took >= TIMEOUT.toNanos(), "it did wait for Redis first: " + took + " ns");
        assertEquals("+PONG", server.command("PING"), "answered once the pause ends"); // leaves Redis unpaused
    }

    @Test
    void failOpenGrantsAndFailClosedRefusesWhileTheBreakerIsOpen() {
        RedisKeyedRateLimiter open = limiter("open", WhenRedisDown.FAIL_OPEN).build();
        RedisKeyedRateLimiter closed = limiter("closed", WhenRedisDown.FAIL_CLOSED).build();
        open.breaker().forceOpen();
        closed.breaker().forceOpen();
        for (int i = 0; i < 50; i++) {
            assertTrue(open.tryAcquire("c"), "fail open grants beyond the limit");
        }
        AcquireResult refused = closed.tryAcquireDetailed("c", 1);
        assertFalse(refused.acquired());
        assertEquals(Duration.ofSeconds(1).toNanos(), refused.nanosToWait(), "retry once the breaker may probe");
        assertEquals("0", server.reply("EXISTS nines:rl:open:{=c}:0"), "an open breaker keeps calls off Redis");
    }
}
