package dev.nines.jcstress;

import dev.nines.ManualTicker;
import dev.nines.metrics.MetricsSink;
import dev.nines.ratelimit.Rate;
import dev.nines.ratelimit.RateLimiter;
import dev.nines.ratelimit.TokenBucket;
import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZIJ_Result;
import org.openjdk.jcstress.infra.results.ZZJ_Result;

/**
 * The token bucket's state word (one {@code long}, the instant the bucket is empty, moved by one
 * CAS per decision): no permit is created or lost when takers race each other, time passing, or a
 * change of limit. Time is a frozen {@link ManualTicker}, so every permit is accounted for exactly.
 */
public final class TokenBucketStress {

    private static final Duration SECOND = Duration.ofSeconds(1);

    private TokenBucketStress() {
    }

    /** A bucket with {@code limit}, read through {@code ticker}, reporting nowhere. */
    static TokenBucket bucket(Rate limit, ManualTicker ticker) {
        return (TokenBucket) RateLimiter.builder("jcstress-bucket")
                .limit(limit)
                .ticker(ticker)
                .metrics(MetricsSink.noop())
                .build();
    }

    /** Two takers race for the one permit a full bucket of one holds: exactly one gets it. */
    @JCStressTest
    @Outcome(id = {"true, false, 0", "false, true, 0"}, expect = Expect.ACCEPTABLE, desc = "exactly one permit granted")
    @Outcome(id = "true, true, 0", expect = Expect.FORBIDDEN, desc = "a permit granted twice")
    @Outcome(expect = Expect.FORBIDDEN, desc = "the permit lost, or the count disagrees with the grants")
    @State
    public static class LastPermit {
        private final TokenBucket bucket = bucket(Rate.of(1, SECOND), new ManualTicker());

        @Actor
        public void first(ZZJ_Result r) {
            r.r1 = bucket.tryAcquire();
        }

        @Actor
        public void second(ZZJ_Result r) {
            r.r2 = bucket.tryAcquire();
        }

        @Arbiter
        public void left(ZZJ_Result r) {
            r.r3 = bucket.availablePermits();
        }
    }

    /**
     * An empty bucket of one refills its permit (time moves on by one period) and the thread that
     * moved time takes, while another takes with a reading before or after the move: the one
     * refilled permit goes to exactly one of them. A taker with the stale reading never gets it, and
     * it is never granted to both.
     */
    @JCStressTest
    @Outcome(id = {"true, false, 0", "false, true, 0"}, expect = Expect.ACCEPTABLE, desc = "the refilled permit granted once")
    @Outcome(id = "true, true, 0", expect = Expect.FORBIDDEN, desc = "a permit created: granted twice")
    @Outcome(id = "false, false, 1", expect = Expect.FORBIDDEN, desc = "the refilled permit refused to both")
    @Outcome(expect = Expect.FORBIDDEN, desc = "the count disagrees with the grants")
    @State
    public static class TakeRacesRefill {
        private final ManualTicker ticker = new ManualTicker();
        private final TokenBucket bucket = bucket(Rate.of(1, SECOND), ticker);

        public TakeRacesRefill() {
            if (!bucket.tryAcquire()) {
                throw new IllegalStateException("a new bucket of one must grant its permit");
            }
        }

        @Actor
        public void refillThenTake(ZZJ_Result r) {
            ticker.advance(SECOND);
            r.r1 = bucket.tryAcquire();
        }

        @Actor
        public void take(ZZJ_Result r) {
            r.r2 = bucket.tryAcquire();
        }

        @Arbiter
        public void left(ZZJ_Result r) {
            r.r3 = bucket.availablePermits();
        }
    }

    /**
     * A permit is taken from a full bucket of two while its limit is raised to four a second (burst
     * four): the change seals the old state word and converts it, and the take lands either before
     * the seal (converted with it) or on the successor after it, never on the sealed word where the
     * conversion would miss it. Either way one permit is gone and one is left; the reconfiguring
     * thread saw two (before the take) or one (after).
     */
    @JCStressTest
    @Outcome(id = {"true, 2, 1", "true, 1, 1"}, expect = Expect.ACCEPTABLE, desc = "the take counted once, whatever the order")
    @Outcome(id = {"true, 2, 2", "true, 1, 2"}, expect = Expect.FORBIDDEN, desc = "the take lost to the conversion: a permit created")
    @Outcome(expect = Expect.FORBIDDEN, desc = "the take refused, or a permit lost")
    @State
    public static class TakeRacesReconfiguration {
        private final TokenBucket bucket = bucket(Rate.of(2, SECOND), new ManualTicker());

        @Actor
        public void take(ZIJ_Result r) {
            r.r1 = bucket.tryAcquire();
        }

        @Actor
        public void reconfigure(ZIJ_Result r) {
            bucket.setLimit(Rate.of(4, SECOND));
            r.r2 = (int) bucket.availablePermits();
        }

        @Arbiter
        public void left(ZIJ_Result r) {
            r.r3 = bucket.availablePermits();
        }
    }
}
