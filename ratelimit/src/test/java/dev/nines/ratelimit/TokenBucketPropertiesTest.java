package dev.nines.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.metrics.MetricsSink;
import dev.nines.ratelimit.internal.Gcra;
import dev.nines.testing.RecordingSleeper;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
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
    Arbitrary<Rate> limits() {
        Arbitrary<Long> permits = Arbitraries.longs().between(1, 1_000_000);
        Arbitrary<Long> periodNanos = Arbitraries.longs().between(1_000_000, 86_400_000_000_000L);
        // a burst up to 1,000, or anywhere up to the largest the span allows for that rate
        Arbitrary<Double> burstShare = Arbitraries.oneOf(Arbitraries.just(-1.0), Arbitraries.doubles().between(0, 1));
        Arbitrary<Long> smallBurst = Arbitraries.longs().between(1, 1_000);
        return Combinators.combine(permits, periodNanos, burstShare, smallBurst).as((p, d, share, small) -> {
            long maxBurst = Gcra.MAX_SPAN / Gcra.costUnits(d, p).longValueExact();
            long burst = share < 0 ? Math.min(small, maxBurst) : Math.max(1, Math.min(maxBurst, (long) (share * maxBurst)));
            return Rate.of(p, Duration.ofNanos(d), burst);
        });
    }

    /** One step of a richer schedule: let time pass, then one operation. */
    record Op(long advanceNanos, Kind kind, long permits, long timeoutNanos) {
        enum Kind { TRY, ACQUIRE, INTERRUPTED_ACQUIRE }
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Long> advance = Arbitraries.oneOf(Arbitraries.just(0L), Arbitraries.longs().between(0, 1_000),
                Arbitraries.longs().between(0, 10_000_000_000L));
        Arbitrary<Long> permits = Arbitraries.oneOf(Arbitraries.longs().between(1, 1_000),
                Arbitraries.longs().between(1, Long.MAX_VALUE));
        Arbitrary<Long> timeout = Arbitraries.oneOf(Arbitraries.just(0L), Arbitraries.longs().between(0, 1_000_000),
                Arbitraries.longs().between(0, 100_000_000_000L));
        return Combinators.combine(advance, Arbitraries.of(Op.Kind.class), permits, timeout).as(Op::new)
                .list().ofMinSize(1).ofMaxSize(100);
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
    void neverGrantsMoreThanBurstPlusRateTimesElapsed(@ForAll("limits") Rate limit,
            @ForAll("schedules") List<Step> schedule, @ForAll @LongRange(min = Long.MIN_VALUE / 2) long start) {
        ManualTicker ticker = new ManualTicker(start);
        RateLimiter b = RateLimiter.builder("limiter").limit(limit).ticker(ticker).metrics(MetricsSink.noop()).build();
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
    void idleBucketHoldsExactlyItsBurst(@ForAll("limits") Rate limit,
            @ForAll @LongRange(min = 0, max = 5_000_000) long idleMinutes, @ForAll long start) {
        ManualTicker ticker = new ManualTicker(start);
        RateLimiter b = RateLimiter.builder("limiter").limit(limit).ticker(ticker).metrics(MetricsSink.noop()).build();
        b.tryAcquire(limit.burst());
        ticker.advance(limit.refillTime().plusNanos(1));
        ticker.advance(Duration.ofMinutes(idleMinutes));
        assertEquals(limit.burst(), b.availablePermits());
    }

    /** The wait a refusal reports is exact: one nanosecond earlier fails, at the wait it succeeds. */
    @Property(tries = 300)
    void reportedWaitIsExact(@ForAll("limits") Rate limit, @ForAll @Size(max = 5) List<@LongRange(min = 1, max = 1_000) Long> takes) {
        ManualTicker ticker = new ManualTicker();
        RateLimiter b = RateLimiter.builder("limiter").limit(limit).ticker(ticker).metrics(MetricsSink.noop()).build();
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

    /** {@code sum × period <= (burst + slackTokens) × period + permits × elapsed}, exactly. */
    private static boolean withinBound(Rate limit, long sum, long elapsedNanos) {
        BigInteger period = BigInteger.valueOf(limit.period().toNanos());
        BigInteger allowed = BigInteger.valueOf(limit.burst()).multiply(period)
                .add(BigInteger.valueOf(limit.permits()).multiply(BigInteger.valueOf(elapsedNanos)));
        return BigInteger.valueOf(sum).multiply(period).compareTo(allowed) <= 0;
    }

    /** Checks, over every interval between two grants, that they fit {@code limit} (times in ns). */
    private static void assertEveryIntervalWithin(Rate limit, List<long[]> grants, long slackNanos) {
        List<long[]> sorted = new ArrayList<>(grants);
        sorted.sort((x, y) -> Long.compare(x[0], y[0]));
        for (int i = 0; i < sorted.size(); i++) {
            long sum = 0;
            for (int j = i; j < sorted.size(); j++) {
                sum += sorted.get(j)[1];
                long elapsed = sorted.get(j)[0] - sorted.get(i)[0] + slackNanos;
                assertTrue(withinBound(limit, sum, elapsed), "granted " + sum + " in " + elapsed + " ns under " + limit);
            }
        }
    }

    /** Runs {@code ops} on {@code b}; returns each grant as {ns from the start until it may be used, permits}. */
    private static List<long[]> run(RateLimiter b, ManualTicker ticker, RecordingSleeper sleeper, List<Op> ops,
            long maxPermits) throws Exception {
        List<long[]> grants = new ArrayList<>();
        long start = ticker.read();
        for (Op op : ops) {
            long now = ticker.advance(op.advanceNanos()) - start; // relative, so sorting survives a wrap
            long want = Math.min(op.permits(), maxPermits);
            switch (op.kind()) {
                case TRY -> {
                    if (b.tryAcquire(want)) {
                        grants.add(new long[] {now, want});
                    }
                }
                case ACQUIRE -> {
                    int sleeps = sleeper.sleeps().size();
                    if (b.acquire(want, Duration.ofNanos(op.timeoutNanos()))) {
                        long slept = sleeper.sleeps().size() > sleeps ? sleeper.sleeps().get(sleeps) : 0;
                        assertTrue(slept <= op.timeoutNanos(), "slept " + slept + " ns beyond the timeout");
                        grants.add(new long[] {now + slept, want}); // the caller proceeds after its sleep
                    } else {
                        assertEquals(sleeps, sleeper.sleeps().size(), "a refused acquire does not sleep");
                    }
                }
                case INTERRUPTED_ACQUIRE -> {
                    sleeper.interruptSleeps(true);
                    try {
                        if (b.acquire(want, Duration.ofNanos(op.timeoutNanos()))) {
                            grants.add(new long[] {now, want}); // granted at once: no sleep to interrupt
                        }
                    } catch (InterruptedException expected) {
                        // the reservation was given back: no grant
                    } finally {
                        sleeper.interruptSleeps(false);
                    }
                }
                default -> throw new AssertionError(op);
            }
        }
        return grants;
    }

    /**
     * With waits and interrupted waits mixed in, every permit counted when its caller may use it
     * (after its sleep), over every interval the grants still fit burst + rate × elapsed; the 1 ns
     * slack is the rounding of a sleep up to a whole nanosecond.
     */
    @Property(tries = 300)
    void waitsAndRefundsNeverGrantMoreThanBurstPlusRateTimesElapsed(@ForAll("limits") Rate limit,
            @ForAll("operations") List<Op> ops, @ForAll @LongRange(min = Long.MIN_VALUE / 2) long start)
            throws Exception {
        ManualTicker ticker = new ManualTicker(start);
        RecordingSleeper sleeper = new RecordingSleeper();
        RateLimiter b = RateLimiter.builder("limiter").limit(limit).ticker(ticker).sleeper(sleeper)
                .metrics(MetricsSink.noop()).build();
        assertEveryIntervalWithin(limit, run(b, ticker, sleeper, ops, limit.burst()), 1);
    }

    /** An interrupted wait gives back exactly what it reserved: the bucket behaves as if it never happened. */
    @Property(tries = 300)
    void anInterruptedWaitLeavesNoTrace(@ForAll("limits") Rate limit, @ForAll("operations") List<Op> ops)
            throws Exception {
        ManualTicker ticker = new ManualTicker();
        RecordingSleeper sleeper = new RecordingSleeper();
        RateLimiter with = RateLimiter.builder("limiter").limit(limit).ticker(ticker).sleeper(sleeper)
                .metrics(MetricsSink.noop()).build();
        RateLimiter without = RateLimiter.builder("limiter").limit(limit).ticker(ticker).sleeper(sleeper)
                .metrics(MetricsSink.noop()).build();
        for (Op op : ops) {
            ticker.advance(op.advanceNanos());
            long want = Math.min(op.permits(), limit.burst());
            long before = without.tryAcquireOrWaitNanos(want);
            if (before > 0) { // only an acquire that must wait can be interrupted
                sleeper.interruptSleeps(true);
                try {
                    with.acquire(want, Duration.ofNanos(op.timeoutNanos()));
                } catch (InterruptedException expected) {
                    // given back
                } finally {
                    sleeper.interruptSleeps(false);
                }
                assertEquals(before, with.tryAcquireOrWaitNanos(want));
            } else {
                assertEquals(0, with.tryAcquireOrWaitNanos(want));
            }
            assertEquals(without.availablePermits(), with.availablePermits());
        }
    }

    /**
     * Reconfigured between two limits at random steps, a bucket never grants more than the larger
     * burst plus what each limit refills while it is in force.
     */
    @Property(tries = 200)
    void reconfigurationNeverCreatesPermits(@ForAll("limits") Rate first, @ForAll("limits") Rate second,
            @ForAll("schedules") List<Step> schedule, @ForAll List<Boolean> switches) {
        ManualTicker ticker = new ManualTicker();
        TokenBucket b = (TokenBucket) RateLimiter.builder("limiter").limit(first).ticker(ticker)
                .metrics(MetricsSink.noop()).build();
        int n = schedule.size();
        long[] times = new long[n];
        long[] granted = new long[n];
        Rate[] during = new Rate[n]; // the limit in force from step i - 1 to step i
        Rate current = first;
        for (int i = 0; i < n; i++) {
            during[i] = current;
            Step s = schedule.get(i);
            times[i] = ticker.advance(s.advanceNanos());
            if (i < switches.size() && switches.get(i)) {
                current = current == first ? second : first;
                b.setLimit(current);
            }
            long want = Math.min(s.permits(), current.burst());
            granted[i] = b.tryAcquire(want) ? want : 0;
        }
        BigInteger p1 = BigInteger.valueOf(first.period().toNanos());
        BigInteger p2 = BigInteger.valueOf(second.period().toNanos());
        BigInteger maxBurst = BigInteger.valueOf(Math.max(first.burst(), second.burst()));
        for (int i = 0; i < n; i++) {
            long sum = 0;
            BigInteger refill = BigInteger.ZERO; // × p1 × p2
            for (int j = i; j < n; j++) {
                sum += granted[j];
                if (j > i) {
                    Rate l = during[j];
                    BigInteger other = l == first ? p2 : p1;
                    refill = refill.add(BigInteger.valueOf(l.permits()).multiply(BigInteger.valueOf(times[j] - times[j - 1]))
                            .multiply(other));
                }
                BigInteger allowed = maxBurst.multiply(p1).multiply(p2).add(refill);
                assertTrue(BigInteger.valueOf(sum).multiply(p1).multiply(p2).compareTo(allowed) <= 0,
                        "granted " + sum + " from step " + i + " to " + j + " switching " + first + " / " + second);
            }
        }
    }

    /**
     * A greedy taker (everything available, at every step) on a drained bucket, with steps short
     * enough that the bucket never fills, gets exactly the time elapsed over the 1/16 ns-rounded
     * cost per permit: at least floor(effective rate × elapsed) - 1, at most floor(rate × elapsed).
     */
    @Property(tries = 300)
    void aGreedyTakerGetsExactlyTheEffectiveRate(@ForAll("limits") Rate limit,
            @ForAll @Size(min = 1, max = 200) List<@LongRange(min = 0, max = 1_000_000) Long> stepsPerMillion) {
        assertAGreedyTakerGetsExactlyTheEffectiveRate(limit, stepsPerMillion);
    }

    /**
     * The run that failed a fresh clone's first {@code mvn verify} (issue 12: limit 340426 per 1 ms,
     * burst 30, expected 327 but was 326): the oracle let a drained bucket reach its cap. Pinned by
     * its seed so the same generated cases are tried again on every build.
     */
    @Property(tries = 300, seed = "-5224603813745172207")
    void aGreedyTakerGetsExactlyTheEffectiveRateInTheRunOfSeedMinus5224603813745172207(
            @ForAll("limits") Rate limit,
            @ForAll @Size(min = 1, max = 200) List<@LongRange(min = 0, max = 1_000_000) Long> stepsPerMillion) {
        assertAGreedyTakerGetsExactlyTheEffectiveRate(limit, stepsPerMillion);
    }

    /** Steps of the longest length that cannot fill a drained bucket, at 340426 per 1 ms, burst 30. */
    @Example
    void aGreedyTakerAtTheLongestSafeStepGetsExactlyTheEffectiveRateAtAFastOddRate() {
        List<Long> longest = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            longest.add(1_000_000L);
        }
        Rate limit = Rate.of(340_426, Duration.ofMillis(1), 30);
        assertEquals(85, longestStepThatCannotFillADrainedBucket(limit)); // (47 × 30 - 47 + 1) / 16, down
        assertAGreedyTakerGetsExactlyTheEffectiveRate(limit, longest);
    }

    /**
     * At 3 per second, burst 3 (a cost of 5,333,333,334 units, 6 above a multiple of 16) the longest
     * safe step is 666,666,666 ns; one nanosecond more can fill a drained bucket: a short step leaves
     * it 2 units short of a permit, a step of 666,666,667 ns then overfills it by 2 units, which the
     * cap discards, so a greedy taker ends one permit below elapsed / cost. That is the bucket
     * working as specified (a full bucket holds no more than its burst), and why an oracle must not
     * allow such steps.
     */
    @Example
    void aDrainedBucketCanReachItsCapOneNanosecondPastTheLongestSafeStepAtThreePerSecond() {
        Rate limit = Rate.of(3, Duration.ofSeconds(1), 3);
        assertEquals(666_666_666L, longestStepThatCannotFillADrainedBucket(limit));
        ManualTicker ticker = new ManualTicker(Long.MAX_VALUE - 10_000_000_000L);
        RateLimiter b = RateLimiter.builder("limiter").limit(limit).ticker(ticker).metrics(MetricsSink.noop()).build();
        assertTrue(b.tryAcquire(3));
        long granted = 0;
        for (long step : new long[] {666_666_666, 333_333_334, 666_666_667, 500_000_000, 500_000_000}) {
            ticker.advance(step);
            long n = b.availablePermits();
            if (n > 0) {
                assertTrue(b.tryAcquire(n));
                granted += n;
            }
        }
        long costUnits = Gcra.costUnits(1_000_000_000L, 3).longValueExact();
        assertEquals(8, Gcra.units(2_666_666_667L) / costUnits, "elapsed / cost");
        assertEquals(7, granted, "2 units past the cap were discarded");
    }

    /**
     * The longest step, in nanoseconds, after which a drained bucket cannot hold more than its
     * burst: after a greedy take the bucket holds {@code r < cost} units, so a step of {@code s}
     * units leaves {@code r + s <= cost - 1 + s}, which is at most the cap {@code burst × cost}
     * exactly when {@code s <= cost × burst - cost + 1}; in whole nanoseconds, that over 16,
     * rounded down.
     */
    static long longestStepThatCannotFillADrainedBucket(Rate limit) {
        long costUnits = Gcra.costUnits(limit.period().toNanos(), limit.permits()).longValueExact();
        return (costUnits * limit.burst() - costUnits + 1) >> Gcra.SCALE_BITS; // capSpan <= 2^61: no overflow
    }

    private static void assertAGreedyTakerGetsExactlyTheEffectiveRate(Rate limit, List<Long> stepsPerMillion) {
        ManualTicker ticker = new ManualTicker(Long.MAX_VALUE - 10_000_000_000L);
        RateLimiter b = RateLimiter.builder("limiter").limit(limit).ticker(ticker).metrics(MetricsSink.noop()).build();
        long costUnits = Gcra.costUnits(limit.period().toNanos(), limit.permits()).longValueExact();
        long maxStep = longestStepThatCannotFillADrainedBucket(limit);
        org.junit.jupiter.api.Assumptions.assumeTrue(maxStep > 0);
        assertTrue(b.tryAcquire(limit.burst()));
        long elapsed = 0;
        long granted = 0;
        for (long perMillion : stepsPerMillion) {
            long step = BigInteger.valueOf(maxStep).multiply(BigInteger.valueOf(perMillion))
                    .divide(BigInteger.valueOf(1_000_000)).longValueExact();
            ticker.advance(step);
            elapsed += step;
            long n = b.availablePermits();
            if (n > 0) {
                assertTrue(b.tryAcquire(n));
                granted += n;
            }
        }
        BigInteger elapsedUnits = BigInteger.valueOf(elapsed).shiftLeft(Gcra.SCALE_BITS);
        assertEquals(elapsedUnits.divide(BigInteger.valueOf(costUnits)).longValueExact(), granted,
                "granted over " + elapsed + " ns under " + limit + " in steps of at most " + maxStep + " ns");
        BigInteger period = BigInteger.valueOf(limit.period().toNanos());
        long atRate = BigInteger.valueOf(limit.permits()).multiply(BigInteger.valueOf(elapsed)).divide(period)
                .longValueExact();
        assertTrue(granted <= atRate, granted + " > " + atRate);
        double atEffectiveRate = limit.effectivePermits() * elapsed / limit.period().toNanos();
        double doubleRounding = atEffectiveRate * 1e-12; // effectivePermits() is a double
        assertTrue(granted >= Math.floor(atEffectiveRate - doubleRounding) - 1, granted + " < " + atEffectiveRate
                + " - 1");
    }

    /**
     * A multi-limit limiter, driven by tries, waits and interrupted waits, never grants more than
     * any one of its limits allows on its own, over every interval.
     */
    @Provide
    Arbitrary<List<Rate>> limitSets() {
        return limits().list().ofMinSize(2).ofMaxSize(3);
    }

    @Property(tries = 200)
    void multipleLimitsNeverGrantMoreThanAnySingleLimitAllows(@ForAll("limitSets") List<Rate> limits,
            @ForAll("operations") List<Op> ops, @ForAll long start) throws Exception {
        ManualTicker ticker = new ManualTicker(start);
        RecordingSleeper sleeper = new RecordingSleeper();
        RateLimiterBuilder builder = RateLimiter.builder("limiter").ticker(ticker).sleeper(sleeper)
                .metrics(MetricsSink.noop());
        long smallestBurst = Long.MAX_VALUE;
        for (Rate l : limits) {
            builder.limit(l);
            smallestBurst = Math.min(smallestBurst, l.burst());
        }
        RateLimiter multi = builder.build();
        List<long[]> grants = run(multi, ticker, sleeper, ops, smallestBurst);
        for (Rate l : limits) {
            assertEveryIntervalWithin(l, grants, 1);
        }
    }
}
