package dev.nines.jcstress;

import dev.nines.ManualTicker;
import dev.nines.metrics.MetricsSink;
import dev.nines.ratelimit.KeyedRateLimiter;
import dev.nines.ratelimit.Rate;
import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZJ_Result;

/**
 * The keyed rate limiter: a key's bucket is created once however many threads see the key first,
 * so its permits are granted once. Its buckets are the token bucket's state word
 * ({@link TokenBucketStress}) and are never reconfigured; the race proven here is the creation.
 */
public final class KeyedRateLimiterStress {

    private KeyedRateLimiterStress() {
    }

    /**
     * Two threads present a key not seen before, whose bucket holds one permit: both look the
     * bucket up (and create it, if neither finds it), and exactly one gets the permit. Two buckets
     * for one key would grant it twice.
     */
    @JCStressTest
    @Outcome(id = {"true, false, 0", "false, true, 0"}, expect = Expect.ACCEPTABLE, desc = "one bucket, its permit granted once")
    @Outcome(id = "true, true, 0", expect = Expect.FORBIDDEN, desc = "two buckets for one key: the permit granted twice")
    @Outcome(expect = Expect.FORBIDDEN, desc = "the permit lost, or the count disagrees with the grants")
    @State
    public static class NewKeyLastPermit {
        private final KeyedRateLimiter limiter = KeyedRateLimiter.builder("jcstress-keyed")
                .limit(Rate.of(1, Duration.ofSeconds(1)))
                .ticker(new ManualTicker())
                .metrics(MetricsSink.noop())
                .build();

        @Actor
        public void first(ZZJ_Result r) {
            r.r1 = limiter.tryAcquire("client");
        }

        @Actor
        public void second(ZZJ_Result r) {
            r.r2 = limiter.tryAcquire("client");
        }

        @Arbiter
        public void left(ZZJ_Result r) {
            r.r3 = limiter.availablePermits("client");
        }
    }
}
