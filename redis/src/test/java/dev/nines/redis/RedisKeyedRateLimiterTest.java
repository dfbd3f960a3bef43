package dev.nines.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.circuitbreaker.CircuitState;
import dev.nines.metrics.MetricsSink;
import dev.nines.ratelimit.AcquireResult;
import dev.nines.ratelimit.KeyedRateLimiter;
import dev.nines.ratelimit.Rate;
import dev.nines.redis.testing.RedisConnections;
import dev.nines.redis.testing.RedisServerProcess;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link RedisKeyedRateLimiter} against a real redis-server: the decisions, the keys, the script cache. */
class RedisKeyedRateLimiterTest {

    private static RedisServerProcess server;
    private static RedisConnections redis;
    private static final AtomicInteger NAMES = new AtomicInteger();

    private final ManualTicker ticker = new ManualTicker();
    private String name;

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

    @BeforeEach
    void freshName() {
        name = "keyed-" + NAMES.incrementAndGet();
    }

    private RedisKeyedRateLimiterBuilder limiter() {
        // these tests are about Redis's decisions: a timeout a loaded CI machine cannot reach, so
        // no decision falls back to the local limiter (RedisDownTest is about that)
        return RedisKeyedRateLimiter.builder(name).connection(redis.connection()).timeout(Duration.ofSeconds(5))
                .ticker(ticker).metrics(MetricsSink.noop());
    }

    @Test
    void theTestsRunOnTheLettuceLineTheirSurefireRunAsksFor() {
        String expected = System.getProperty("nines.redis.expectedLettuce");
        String jar = RedisClient.class.getProtectionDomain().getCodeSource().getLocation().toString();
        assertNotNull(expected, "surefire sets nines.redis.expectedLettuce");
        assertTrue(jar.contains("lettuce-core-" + expected), jar + " should be Lettuce " + expected + "x");
    }

    @Test
    void grantsTheBurstThenRefusesWithTheWaitOfRedisTime() {
        KeyedRateLimiter l = limiter().limit(Rate.of(3, Duration.ofMinutes(1))).build();
        for (int i = 0; i < 3; i++) {
            assertTrue(l.tryAcquire("client"), "permit " + i);
        }
        AcquireResult refused = l.tryAcquireDetailed("client", 1);
        assertFalse(refused.acquired());
        assertEquals(0, refused.remainingPermits());
        assertTrue(refused.nanosToWait() > Duration.ofSeconds(19).toNanos()
                && refused.nanosToWait() <= Duration.ofSeconds(20).toNanos(), "one permit per 20 s: " + refused);
        assertTrue(l.tryAcquire("other"), "every client key has its own bucket");
        assertTrue(l.tryAcquire(KeyedRateLimiter.ANONYMOUS_KEY), "the empty key too");
    }

    @Test
    void aDecisionIsAllOrNothingAcrossLimitsAndARefusalWritesNothing() {
        KeyedRateLimiter l = limiter().limit(Rate.of(3, Duration.ofMinutes(1))).limit(Rate.of(10, Duration.ofMinutes(1)))
                .build();
        AcquireResult two = l.tryAcquireDetailed("c", 2);
        assertTrue(two.acquired());
        assertEquals(1, two.remainingPermits(), "the 3-per-minute limit binds");
        assertEquals(0, two.bindingLimit());
        String before = server.reply("GET nines:rl:" + name + ":{=c}:1");
        assertNotNull(before, "the second limit's state is stored");

        assertFalse(l.tryAcquire("c", 2), "the first limit has one permit left");

        assertEquals(before, server.reply("GET nines:rl:" + name + ":{=c}:1"), "the refusal took nothing from the second");
        assertTrue(l.tryAcquire("c", 1));
    }

    @Test
    void aKeyExpiresWhenItsBucketWouldBeFullAgain() {
        KeyedRateLimiter l = limiter().limit(Rate.of(3, Duration.ofMinutes(1))).build();
        assertTrue(l.tryAcquire("c"));
        long pttl = Long.parseLong(server.reply("PTTL nines:rl:" + name + ":{=c}:0"));
        assertTrue(pttl > 19_000 && pttl <= 20_000, "one permit taken refills in 20 s: " + pttl);
        assertEquals(3, l.availablePermits("never-seen"));
        assertEquals("0", server.reply("EXISTS nines:rl:" + name + ":{=never-seen}:0"), "a look costs no key");
    }

    @Test
    void availablePermitsLooksWithoutTaking() {
        KeyedRateLimiter l = limiter().limit(Rate.of(5, Duration.ofMinutes(1))).build();
        assertTrue(l.tryAcquire("c", 2));
        assertEquals(3, l.availablePermits("c"));
        assertEquals(3, l.availablePermits("c"));
    }

    @Test
    void aScriptFlushIsSurvived() {
        CircuitBreaker touchy = CircuitBreaker.builder("touchy").countWindow(2).minimumCalls(1).failureRateThreshold(0.01)
                .ticker(ticker).metrics(MetricsSink.noop()).build(); // one failure would open it
        KeyedRateLimiter l = limiter().limit(Rate.of(5, Duration.ofMinutes(1))).breaker(touchy).build();
        assertTrue(l.tryAcquire("c"));
        assertEquals("+OK", server.command("SCRIPT FLUSH"));
        assertTrue(l.tryAcquire("c"), "NOSCRIPT reloads the script");
        assertEquals(3, l.availablePermits("c"), "and both decisions counted");
        assertEquals(CircuitState.CLOSED, touchy.state(), "the reload is no failure");
    }

    @Test
    void aRateFasterThanTheRoundingAllowsNeverGrantsMoreThanTheLimit() {
        // 3 per second: one permit every 333,333,333.3 ns, rounded up to ...334: never more than 3 per second
        KeyedRateLimiter l = limiter().limit(Rate.of(3, Duration.ofSeconds(1))).build();
        int granted = 0;
        for (int i = 0; i < 10; i++) {
            granted += l.tryAcquire("c") ? 1 : 0;
        }
        assertTrue(granted >= 3 && granted <= 4, "the burst of 3, and at most one refilled meanwhile: " + granted);
    }

    @Test
    void aKeyPrefixThatSplitsADecisionAcrossClusterSlotsIsRefusedAtBuild() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> limiter().keyPrefix("rl{}:")
                .limit(Rate.perSecond(1)).limit(Rate.perMinute(10)).build());
        assertTrue(e.getMessage().startsWith("keyPrefix must be one Redis Cluster slot per decision but was keyPrefix"
                + " 'rl{}:' puts the keys of one decision in different Redis Cluster slots"), e.getMessage());
        assertNotNull(limiter().keyPrefix("rl{}:").limit(Rate.perSecond(1)).build(), "one limit: one key, one slot");
        assertNotNull(limiter().keyPrefix("{tenant-7}:").limit(Rate.perSecond(1)).limit(Rate.perMinute(10)).build(),
                "a tag in the prefix puts everything in its slot");
    }

    @Test
    void everyInvalidSettingIsReportedAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RedisKeyedRateLimiter
                .builder("k").timeout(Duration.ZERO).expectedInstances(0).build());
        assertEquals("connection must be set (a Lettuce StatefulRedisConnection or StatefulRedisClusterConnection) but was"
                + " unset; limit must be set at least once but was unset; timeout must be > 0 but was PT0S;"
                + " expectedInstances must be >= 1 but was 0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> limiter().limit(Rate.of(1, Duration.ofDays(60))).build(),
                "a bucket spanning more than 2^52 ns");
        assertThrows(IllegalArgumentException.class, () -> limiter().limit(Rate.perSecond(5)).lease(10, Duration
                .ofSeconds(1)).build(), "a lease above the burst");
    }

    @Test
    void toBuilderKeepsTheSettingsAndTheConnection() {
        RedisKeyedRateLimiter l = limiter().limit(Rate.perMinute(7)).timeout(Duration.ofMillis(20))
                .whenDown(WhenRedisDown.FAIL_CLOSED).expectedInstances(4).build();
        RedisKeyedRateLimiterConfig again = l.toBuilder().build().config();
        assertEquals(l.config().toString(), again.toString());
        assertEquals(redis.connection(), again.connection());
        assertEquals("nines:rl:" + name + ":", again.keyPrefix());
        assertNotEquals(l.breaker(), l.toBuilder().build().breaker(), "each limiter gets its own default breaker");
    }
}
