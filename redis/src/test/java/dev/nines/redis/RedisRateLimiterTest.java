package dev.nines.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.annotation.NinesProxy;
import dev.nines.annotation.PolicyRegistry;
import dev.nines.metrics.MetricsSink;
import dev.nines.ratelimit.Rate;
import dev.nines.ratelimit.RateLimitedException;
import dev.nines.ratelimit.RateLimiter;
import dev.nines.ratelimit.RateLimiterConfig;
import dev.nines.ratelimit.annotation.KeySource;
import dev.nines.ratelimit.annotation.WithRateLimit;
import dev.nines.redis.testing.RedisConnections;
import dev.nines.redis.testing.RedisServerProcess;
import dev.nines.testing.RecordingSleeper;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link RedisRateLimiter}, one limit for the fleet, and both Redis limiters behind {@code @WithRateLimit}. */
class RedisRateLimiterTest {

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

    private RedisRateLimiterBuilder limiter(String name) {
        // these tests are about Redis's decisions: a timeout a loaded CI machine cannot reach, so
        // no decision falls back to the local limiter (RedisDownTest is about that)
        return RedisRateLimiter.builder(name).connection(redis.connection()).timeout(Duration.ofSeconds(5))
                .ticker(ticker).metrics(MetricsSink.noop());
    }

    @Test
    void twoInstancesShareOneLimit() {
        RateLimiter a = limiter("partner-api").limit(Rate.of(4, Duration.ofMinutes(1))).build();
        RateLimiter b = limiter("partner-api").limit(Rate.of(4, Duration.ofMinutes(1))).build();
        assertTrue(a.tryAcquire(2));
        assertTrue(b.tryAcquire());
        assertEquals(1, a.availablePermits());
        assertTrue(b.tryAcquire());
        assertFalse(a.tryAcquire());
        assertEquals("1", server.reply("EXISTS nines:rl:{partner-api}:0"), "the name is the hash tag");
    }

    @Test
    void acquireReservesInRedisAndSleepsHereForTheReservation() throws InterruptedException {
        RecordingSleeper sleeper = new RecordingSleeper();
        RedisRateLimiter l = limiter("reserve").limit(Rate.of(1, Duration.ofSeconds(10))).sleeper(sleeper).build();
        assertTrue(l.acquire(1, Duration.ZERO));
        assertFalse(l.acquire(1, Duration.ofSeconds(5)), "the next permit is 10 s away");
        assertTrue(l.acquire(1, Duration.ofSeconds(11)));
        long slept = sleeper.sleeps().get(sleeper.sleeps().size() - 1);
        assertTrue(slept > Duration.ofSeconds(9).toNanos() && slept <= Duration.ofSeconds(10).toNanos(), "slept " + slept);
        assertFalse(l.tryAcquire(), "the reservation put the bucket in debt");
    }

    @Test
    void setLimitsChangesWhatThisInstanceSends() {
        RedisRateLimiter l = limiter("changing").limit(Rate.of(2, Duration.ofMinutes(1))).build();
        assertTrue(l.tryAcquire(2));
        assertFalse(l.tryAcquire());
        l.setLimits(List.of(Rate.of(10, Duration.ofMinutes(1))));
        assertEquals(List.of(Rate.of(10, Duration.ofMinutes(1))), l.limits());
        var refused = l.tryAcquireDetailed(1);
        assertFalse(refused.acquired(), "an empty bucket stays empty (Redis keeps the instant it is empty)");
        assertTrue(refused.nanosToWait() <= Duration.ofSeconds(6).toNanos(), "and refills at the new rate: " + refused);
        assertThrows(IllegalArgumentException.class, () -> l.setLimits(List.of(Rate.perSecond(1), Rate.perMinute(5))));
    }

    @Test
    void itsConfigIsARateLimiterConfig() {
        RateLimiter l = limiter("configured").limit(Rate.perMinute(3)).limit(Rate.perSecond(1)).timeout(Duration
                .ofMillis(30)).build();
        RateLimiterConfig c = l.config();
        assertEquals(List.of(Rate.perMinute(3), Rate.perSecond(1)), c.limits());
        assertEquals("configured", c.name());
        RedisRateLimiterConfig again = ((RedisRateLimiter) l).toBuilder().build().config();
        assertEquals(Duration.ofMillis(30), again.timeout());
        assertEquals("nines:rl:", again.keyPrefix());
    }

    public interface Partner {
        @WithRateLimit(name = "partner", permits = 100)
        String call();

        @WithRateLimit(name = "per-account", permits = 100, key = KeySource.ARGUMENT, argument = 0)
        String charge(String account);
    }

    @Test
    void registeredUnderAnAnnotationsNameTheRedisLimitersDecideItsCalls() {
        RedisRateLimiter partner = limiter("partner").limit(Rate.of(1, Duration.ofMinutes(1))).build();
        RedisKeyedRateLimiter perAccount = RedisKeyedRateLimiter.builder("per-account").connection(redis.connection())
                .limit(Rate.of(1, Duration.ofMinutes(1))).ticker(ticker).metrics(MetricsSink.noop()).build();
        Partner p = NinesProxy.builder(Partner.class, new Partner() {
            @Override
            public String call() {
                return "called";
            }

            @Override
            public String charge(String account) {
                return "charged " + account;
            }
        }).registry(new PolicyRegistry().register(partner).register(perAccount)).metrics(MetricsSink.noop()).build();

        assertEquals("called", p.call());
        assertThrows(RateLimitedException.class, p::call, "1 per minute in Redis, not the annotation's 100");
        assertEquals("charged a", p.charge("a"));
        assertEquals("charged b", p.charge("b"));
        assertThrows(RateLimitedException.class, () -> p.charge("a"));
        assertEquals("1", server.reply("EXISTS nines:rl:per-account:{=b}:0"));
    }
}
