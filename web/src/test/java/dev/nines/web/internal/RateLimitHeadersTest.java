package dev.nines.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nines.ManualTicker;
import dev.nines.ratelimit.KeyedRateLimiter;
import dev.nines.ratelimit.Rate;
import dev.nines.ratelimit.RateLimiter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitHeadersTest {

    private final ManualTicker ticker = new ManualTicker();

    private static String policy(Rate limit) {
        return RateLimitHeaders.policy("api", List.of(limit));
    }

    @Test
    void aBurstAboveThePermitsIsTheQuotaAndTheWindowIsTheTimeToRefillIt() {
        Quota quota = Quota.of(KeyedRateLimiter.builder("api").limit(Rate.of(10, Duration.ofSeconds(1), 20))
                .ticker(ticker).build());

        Map<String, String> first = quota.check("client").headers();

        assertEquals("\"api\";q=20;w=2", first.get("RateLimit-Policy"));
        assertEquals("\"api\";r=19;t=1", first.get("RateLimit"), "r counts down from q");
        Map<String, String> last = Map.of();
        for (int i = 1; i < 20; i++) {
            last = quota.check("client").headers();
        }
        assertEquals("\"api\";r=0;t=2", last.get("RateLimit"), "an empty bucket is whole again after w");
    }

    @Test
    void aKeyedLimiterOfAnyImplementationIsCheckedThroughTheInterface() {
        KeyedRateLimiter local = KeyedRateLimiter.builder("fleet").limit(Rate.perMinute(2)).ticker(ticker).build();
        List<String> asked = new java.util.ArrayList<>();
        KeyedRateLimiter other = new KeyedRateLimiter() { // not the local class: e.g. the Redis one
            @Override
            public String name() {
                return "fleet";
            }

            @Override
            public long tryAcquireOrWaitNanos(String key, long permits) {
                asked.add(key);
                return local.tryAcquireOrWaitNanos(key, permits);
            }

            @Override
            public dev.nines.ratelimit.AcquireResult tryAcquireDetailed(String key, long permits) {
                asked.add(key);
                return local.tryAcquireDetailed(key, permits);
            }

            @Override
            public long availablePermits(String key) {
                return local.availablePermits(key);
            }

            @Override
            public List<Rate> limits() {
                return local.limits();
            }

            @Override
            public <T> T execute(dev.nines.CallContext c, java.util.concurrent.Callable<T> call, dev.nines.Next next)
                    throws Exception {
                return local.execute(c, call, next);
            }

            @Override
            public <T> java.util.concurrent.CompletionStage<T> executeAsync(dev.nines.CallContext c,
                    dev.nines.AsyncCall<T> call, dev.nines.Next next) {
                return local.executeAsync(c, call, next);
            }
        };
        Quota quota = Quota.of(other);

        assertEquals("\"fleet\";q=2;w=60", quota.check("c").headers().get("RateLimit-Policy"));
        assertEquals(true, quota.check("c").acquired());
        Quota.Decision refused = quota.check("c");
        assertEquals(false, refused.acquired());
        assertEquals("\"fleet\";r=0;t=60", refused.headers().get("RateLimit"));
        assertEquals(List.of("c", "c", "c"), asked, "every decision went to the registered implementation");
    }

    @Test
    void aPeriodUnderOneSecondIsNotAdvertisedAtAFractionOfItsRate() {
        assertEquals("\"api\";q=20;w=1", policy(Rate.of(10, Duration.ofMillis(500))), "20 per second, not 10");
        assertEquals("\"api\";q=40;w=1", policy(Rate.of(10, Duration.ofMillis(250), 30)),
                "a 750 ms refill rounds up to one second of refill");
    }

    @Test
    void aBurstBelowThePermitsKeepsTheRate() {
        assertEquals("\"api\";q=100;w=1", policy(Rate.of(100, Duration.ofSeconds(1), 20)));
    }

    @Test
    void aWindowThatIsNotWholeSecondsRoundsUpAndNeverOverstatesTheRate() {
        assertEquals("\"api\";q=1;w=2", policy(Rate.of(1, Duration.ofMillis(1_500))), "1 per 2 s <= 1 per 1.5 s");
        assertEquals("\"api\";q=3;w=1", policy(Rate.of(3, Duration.ofSeconds(1))),
                "exact arithmetic: a third of a second per permit still refills in one second");
        assertEquals("\"api\";q=5;w=60", policy(Rate.perMinute(5)));
    }

    @Test
    void theHeadersFollowTheLimitsAfterSetLimits() {
        RateLimiter limiter = RateLimiter.builder("api").limit(Rate.perSecond(10)).ticker(ticker).build();
        Quota quota = Quota.of(limiter);
        assertEquals("\"api\";q=10;w=1", quota.check("any").headers().get("RateLimit-Policy"));

        limiter.setLimits(List.of(Rate.perMinute(5)));
        Map<String, String> after = quota.check("any").headers();

        assertEquals("\"api\";q=5;w=60", after.get("RateLimit-Policy"));
        assertEquals("\"api\";r=4;t=12", after.get("RateLimit"), "9 held, capped at the new burst of 5, one taken");
    }

    @Test
    void theItemsQuotedOnceAtRenderingAreTheOnesEachDecisionSends() {
        // a name with a quote and a backslash, two limits: the RateLimit item comes from the items
        // rendered with the policy (escaped once), and names the binding limit
        RateLimiter limiter = RateLimiter.builder("a\"b\\c").limit(Rate.perSecond(100)).limit(Rate.perMinute(5))
                .ticker(ticker).build();
        Quota quota = Quota.of(limiter);
        assertEquals("\"a\\\"b\\\\c-0\";q=100;w=1, \"a\\\"b\\\\c-1\";q=5;w=60",
                quota.check("any").headers().get("RateLimit-Policy"));
        assertEquals("\"a\\\"b\\\\c-1\";r=3;t=24", quota.check("any").headers().get("RateLimit"),
                "two taken of the 5 a minute, the binding limit; 2 x 12 s to be whole");
    }
}
