package dev.nines.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.metrics.MetricsSink;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** Properties of the token bucket over random limits and random schedules, in virtual time. */
class TokenBucketPropertiesTest {

    /** One step of a schedule: let time pass, then ask for some permits. */
    record Step(long advanceNanos, long permits) {
    }

    @Provide
    Arbitrary<Limit> limits() {
        Arbitrary<Long> permits = Arbitraries.longs().between(1, 1_000_000);
        Arbitrary<Long> periodNanos = Arbitraries.longs().between(1_000_000, 86_400_000_000_000L);
        Arbitrary<Long> burst = Arbitraries.longs().between(1, 1_000);
        return Combinators.combine(permits, periodNanos, burst)
                .as((p, d, b) -> Limit.of(p, Duration.ofNanos(d), b));
    }

    @Provide
    Arbitrary<List<Step>> schedules() {
        Arbitrary<Long> advance = Arbitraries.oneOf(Arbitraries.just(0L), Arbitraries.longs().between(0, 1_000),
                Arbitraries.longs().between(0, 10_000_000_000L));
        return Combinators.combine(advance, Arbitraries.longs().between(1, 1_000)).as(Step::new)
                .list().ofMinSize(1).ofMaxSize(200);
    }

    /** Over every interval [t_i, t_j], granted ≤ burst + permits × (t_j - t_i) / period. */
    @Property(tries = 300)
    void neverGrantsMoreThanBurstPlusRateTimesElapsed(@ForAll("limits") Limit limit,
            @ForAll("schedules") List<Step> schedule, @ForAll @LongRange(min = Long.MIN_VALUE / 2) long start) {
        ManualTicker ticker = new ManualTicker(start);
        RateLimiter b = RateLimiter.builder().limit(limit).ticker(ticker).metrics(MetricsSink.noop()).build();
        int n = schedule.size();
        long[] times = new long[n];
        long[] granted = new long[n];
        for (int i = 0; i < n; i++) {
            Step s = schedule.get(i);
            times[i] = ticker.advance(s.advanceNanos());
            long want = Math.min(s.permits(), limit.burst());
            granted[i] = b.tryAcquire(want) ? want : 0;
        }
        BigInteger period = BigInteger.valueOf(limit.period().toNanos());
        for (int i = 0; i < n; i++) {
            long sum = 0;
            for (int j = i; j < n; j++) {
                sum += granted[j];
                BigInteger allowed = BigInteger.valueOf(limit.burst()).multiply(period)
                        .add(BigInteger.valueOf(limit.permits()).multiply(BigInteger.valueOf(times[j] - times[i])));
                assertTrue(BigInteger.valueOf(sum).multiply(period).compareTo(allowed) <= 0,
                        "granted " + sum + " in " + (times[j] - times[i]) + " ns under " + limit);
            }
        }
    }

    /** After a full refill time (any idle, however long) the bucket holds exactly its burst. */
    @Property(tries = 200)
    void idleBucketHoldsExactlyItsBurst(@ForAll("limits") Limit limit,
            @ForAll @LongRange(min = 0, max = 5_000_000) long idleMinutes, @ForAll long start) {
        ManualTicker ticker = new ManualTicker(start);
        RateLimiter b = RateLimiter.builder().limit(limit).ticker(ticker).metrics(MetricsSink.noop()).build();
        b.tryAcquire(limit.burst());
        ticker.advance(limit.refillTime().plusNanos(1));
        ticker.advance(Duration.ofMinutes(idleMinutes));
        assertEquals(limit.burst(), b.availablePermits());
    }

    /** The wait a refusal reports is exact: one nanosecond earlier fails, at the wait it succeeds. */
    @Property(tries = 300)
    void reportedWaitIsExact(@ForAll("limits") Limit limit, @ForAll @Size(max = 5) List<@LongRange(min = 1, max = 1_000) Long> takes) {
        ManualTicker ticker = new ManualTicker();
        RateLimiter b = RateLimiter.builder().limit(limit).ticker(ticker).metrics(MetricsSink.noop()).build();
        for (long t : takes) {
            b.tryAcquire(Math.min(t, limit.burst()));
        }
        long want = limit.burst();
        long wait = b.tryAcquireOrWaitNanos(want);
        if (wait > 0) {
            ticker.advance(wait - 1);
            assertTrue(b.tryAcquireOrWaitNanos(want) > 0);
            ticker.advance(1);
            assertEquals(0, b.tryAcquireOrWaitNanos(want));
        }
    }
}
