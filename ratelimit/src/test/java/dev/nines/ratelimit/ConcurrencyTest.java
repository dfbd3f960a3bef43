package dev.nines.ratelimit;

import dev.nines.Sleeper;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.metrics.MetricsSink;
import dev.nines.testing.RecordingSleeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Many threads on one limiter, time frozen: the permits granted are exactly what the limits allow. */
class ConcurrencyTest {

    private static final int THREADS = 8;
    private static final int RECONFIGURERS = 2;
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS + RECONFIGURERS);
    private final ManualTicker ticker = new ManualTicker(Long.MAX_VALUE - 1_000_000_000L); // wraps mid-test

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /** Every thread tries {@code attempts} times (n permits each); returns the permits granted. */
    private long hammer(RateLimiter limiter, int attempts, long n) throws Exception {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        LongAdder granted = new LongAdder();
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            done.add(pool.submit((Callable<Void>) () -> {
                start.await();
                for (int i = 0; i < attempts; i++) {
                    if (limiter.tryAcquire(n)) {
                        granted.add(n);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(30, TimeUnit.SECONDS);
        }
        return granted.sum();
    }

    /**
     * Like {@link #hammer}, while {@value #RECONFIGURERS} more threads call {@code reconfigure} with
     * 0, 1, 2, ... until every acquiring thread is done; returns the permits granted.
     */
    private long hammerWhileReconfiguring(RateLimiter limiter, int attempts, IntConsumer reconfigure)
            throws Exception {
        CyclicBarrier start = new CyclicBarrier(THREADS + RECONFIGURERS);
        LongAdder granted = new LongAdder();
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger reconfigurations = new AtomicInteger();
        List<Future<?>> acquirers = new ArrayList<>();
        List<Future<?>> reconfigurers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            long n = 1 + t % 3; // 1, 2 or 3 permits at a time
            acquirers.add(pool.submit((Callable<Void>) () -> {
                start.await();
                for (int i = 0; i < attempts; i++) {
                    if (limiter.tryAcquire(n)) {
                        granted.add(n);
                    }
                }
                return null;
            }));
        }
        for (int r = 0; r < RECONFIGURERS; r++) {
            reconfigurers.add(pool.submit((Callable<Void>) () -> {
                start.await();
                do {
                    reconfigure.accept(reconfigurations.getAndIncrement());
                } while (!done.get());
                return null;
            }));
        }
        try {
            for (Future<?> f : acquirers) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            done.set(true);
        }
        for (Future<?> f : reconfigurers) {
            f.get(30, TimeUnit.SECONDS);
        }
        assertTrue(reconfigurations.get() >= RECONFIGURERS);
        return granted.sum();
    }

    /** Takes single permits until refused; returns how many. */
    private static long drain(RateLimiter limiter) {
        long n = 0;
        while (limiter.tryAcquire()) {
            n++;
        }
        return n;
    }

    @Test
    void oneBucketGrantsExactlyItsBurstThenExactlyItsRefill() throws Exception {
        RateLimiter b = RateLimiter.builder("limiter").limit(Rate.of(1_000, Duration.ofSeconds(1), 5_000))
                .ticker(ticker).metrics(MetricsSink.noop()).build();
        assertEquals(5_000, hammer(b, 20_000, 1));
        for (int round = 0; round < 5; round++) {
            ticker.advance(1_234, TimeUnit.MILLISECONDS);
            assertEquals(1_234, hammer(b, 5_000, 1));
        }
        ticker.advance(10, TimeUnit.SECONDS);
        assertEquals(4_998, hammer(b, 5_000, 3)); // 1,666 requests of 3 fit in 5,000
    }

    @Test
    void multiLimitTakesAllOrNothingUnderContention() throws Exception {
        // 10 per second and 15 per minute: at most 10 now; refusals must not consume the minute limit
        RateLimiter l = RateLimiter.builder("limiter").limit(Rate.perSecond(10)).limit(Rate.perMinute(15))
                .ticker(ticker).metrics(MetricsSink.noop()).build();
        assertEquals(10, hammer(l, 5_000, 1));
        ticker.advance(1, TimeUnit.SECONDS); // second limit: 5 left + 0.25 refilled
        assertEquals(5, hammer(l, 5_000, 1));
        ticker.advance(4, TimeUnit.SECONDS); // second limit: 0.25 + 1.0 → 1
        assertEquals(1, hammer(l, 5_000, 1));
        assertEquals(0, l.availablePermits());
    }

    @Test
    void concurrentWaitersGetDistinctConsecutiveSlots() throws Exception {
        RecordingSleeper sleeper = new RecordingSleeper();
        RateLimiter b = RateLimiter.builder("limiter").limit(Rate.perSecond(1)).ticker(ticker).sleeper(sleeper)
                .metrics(MetricsSink.noop()).build();
        assertEquals(1, hammer(b, 1, 1)); // empty it (1 of 8 succeeds)
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Future<Boolean>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            done.add(pool.submit(() -> {
                start.await();
                return b.acquire(1, Duration.ofSeconds(THREADS));
            }));
        }
        for (Future<Boolean> f : done) {
            assertEquals(true, f.get(30, TimeUnit.SECONDS));
        }
        Set<Long> expected = new HashSet<>();
        for (long s = 1; s <= THREADS; s++) {
            expected.add(s * 1_000_000_000L);
        }
        assertEquals(expected, new HashSet<>(sleeper.sleeps()));
        assertEquals(THREADS, sleeper.sleeps().size());
    }

    /*
     * Reconfiguration racing with acquisitions, time frozen. A bucket holding k whole permits is
     * converted to exactly k permits at the new cost (k × oldCost × newCost / oldCost needs no
     * rounding), capped at the new burst. So with every burst at least the initial one, the
     * permits are conserved exactly: granted + left == initial burst, whatever the interleaving.
     * A lost update (a grant applied to a sealed cell, or a snapshot overwritten) breaks the sum.
     */

    @Test
    void reconfiguringOneBucketWhileAcquiringConservesItsPermitsExactly() throws Exception {
        long initial = 200_000;
        TokenBucket b = (TokenBucket) RateLimiter.builder("limiter").limit(Rate.perSecond(initial)).ticker(ticker)
                .metrics(MetricsSink.noop()).build();
        List<Rate> cycle = List.of(
                Rate.of(3, Duration.ofSeconds(1), initial), // 333,333,333.33 ns per permit
                Rate.of(1, Duration.ofMinutes(1), 300_000),
                Rate.of(7, Duration.ofMillis(1), initial), // 142,857.14 ns per permit
                Rate.of(1_000_000, Duration.ofSeconds(1), 2 * initial));
        long granted = hammerWhileReconfiguring(b, 40_000, i -> {
            Rate next = cycle.get(i % cycle.size());
            if (i % 2 == 0) {
                b.setLimit(next);
            } else {
                b.setLimits(List.of(next));
            }
        });
        assertTrue(granted <= initial, "granted " + granted);
        assertEquals(initial, granted + drain(b), "granted " + granted);
        assertEquals(0, b.availablePermits());
        ticker.advance(Duration.ofDays(1_000)); // still works: full at its last limit (slowest: 208 days)
        assertEquals(b.limit().burst(), b.availablePermits());
    }

    @Test
    void reconfiguringOneBucketToSmallerBurstsNeverGrantsMoreThanItHeld() throws Exception {
        // caps may drop permits; each one leaves exactly its burst, so granted + left lies in [120,000, 200,000]
        long initial = 200_000;
        TokenBucket b = (TokenBucket) RateLimiter.builder("limiter").limit(Rate.perSecond(initial)).ticker(ticker)
                .metrics(MetricsSink.noop()).build();
        List<Rate> cycle = List.of(Rate.of(3, Duration.ofSeconds(1), 120_000), Rate.perSecond(150_000),
                Rate.of(1, Duration.ofMinutes(1), 300_000));
        long granted = hammerWhileReconfiguring(b, 40_000, i -> b.setLimit(cycle.get(i % cycle.size())));
        long total = granted + drain(b);
        assertTrue(granted <= initial && total <= initial && total >= 120_000, "granted " + granted + " + left "
                + (total - granted));
        assertEquals(0, b.availablePermits());
    }

    @Test
    void reconfiguringSeveralLimitsWhileAcquiringConservesEveryBucketExactly() throws Exception {
        // per limit: granted + held == its initial burst; the smaller one, 150,000, bounds the total
        RateLimiter l = RateLimiter.builder("limiter").limit(Rate.perSecond(200_000)).limit(Rate.perMinute(150_000))
                .ticker(ticker).metrics(MetricsSink.noop()).build();
        List<List<Rate>> cycle = List.of(
                List.of(Rate.of(3, Duration.ofSeconds(1), 200_000), Rate.of(1, Duration.ofMinutes(1), 150_000)),
                List.of(Rate.of(7, Duration.ofMillis(1), 300_000), Rate.perSecond(150_000)),
                List.of(Rate.perSecond(1_000_000), Rate.of(11, Duration.ofSeconds(1), 250_000)));
        long granted = hammerWhileReconfiguring(l, 40_000, i -> l.setLimits(cycle.get(i % cycle.size())));
        assertTrue(granted <= 150_000, "granted " + granted);
        assertEquals(150_000, granted + drain(l), "granted " + granted);
        assertEquals(0, l.availablePermits());
    }

    @Test
    void keyedLimiterGrantsEachKeyExactlyItsBurst() throws Exception {
        // in each round every thread starts on the same new keys at once: creating a key races too
        int rounds = 100;
        int keysPerRound = 4;
        int keys = rounds * keysPerRound;
        long burst = 20;
        int attempts = 4 * keysPerRound * (int) burst; // per thread and round: 4 × burst tries per key
        LocalKeyedRateLimiter l = KeyedRateLimiter.builder("per-client").limit(Rate.perSecond(burst)).maxKeys(1_000)
                .ticker(ticker).metrics(MetricsSink.noop()).build();
        LongAdder[] granted = new LongAdder[keys];
        String[] names = new String[keys];
        for (int k = 0; k < keys; k++) {
            granted[k] = new LongAdder();
            names[k] = "key-" + k;
        }
        CyclicBarrier round = new CyclicBarrier(THREADS);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            long n = t % 2 == 0 ? 1 : 3;
            done.add(pool.submit((Callable<Void>) () -> {
                for (int r = 0; r < rounds; r++) {
                    round.await();
                    for (int i = 0; i < attempts; i++) {
                        int k = r * keysPerRound + i % keysPerRound;
                        if (l.tryAcquire(names[k], n)) {
                            granted[k].add(n);
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(30, TimeUnit.SECONDS);
        }
        // the single-permit threads alone try each key more than burst times: every bucket ends empty
        for (int k = 0; k < keys; k++) {
            assertEquals(burst, granted[k].sum(), names[k]);
            assertEquals(0, l.availablePermits(names[k]), names[k]);
        }
        assertEquals(keys, l.estimatedSize());
    }

    /**
     * One thread advances the ticker in 100 ns steps while {@code takers} threads take 1 to 3 permits
     * at a time, as fast as they can, from a drained limiter whose bursts exceed everything refilled
     * during the run (so no cap binds). After every step the advancer checks that the permits granted
     * so far never exceed what every limit has refilled so far; at the end the permits granted plus
     * those left are exactly the refill of the binding limit: none created, none lost.
     */
    private void advanceWhileTaking(RateLimiter limiter, List<Rate> limits) throws Exception {
        int takers = 4;
        int steps = 20_000;
        for (Rate l : limits) {
            assertTrue(l.burst() > steps * 100L, "a burst that cannot fill during the run");
        }
        assertEquals(limiter.availablePermits(), drain(limiter, limiter.availablePermits()));
        long t0 = ticker.read();
        LongAdder granted = new LongAdder();
        AtomicBoolean done = new AtomicBoolean();
        CyclicBarrier start = new CyclicBarrier(takers + 1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < takers; t++) {
            long n = 1 + t % 3;
            futures.add(pool.submit((Callable<Void>) () -> {
                start.await();
                while (!done.get()) {
                    if (limiter.tryAcquire(n)) {
                        granted.add(n);
                    }
                }
                return null;
            }));
        }
        Future<?> advancer = pool.submit((Callable<Void>) () -> {
            start.await();
            try {
                for (int i = 0; i < steps; i++) {
                    ticker.advance(100);
                    long g = granted.sum(); // counted after each grant, so read before the time
                    long elapsed = ticker.read() - t0;
                    long allowed = refilled(limits, elapsed);
                    assertTrue(g <= allowed, "granted " + g + " > " + allowed + " refilled in " + elapsed + " ns");
                }
            } finally {
                done.set(true);
            }
            return null;
        });
        advancer.get(60, TimeUnit.SECONDS);
        for (Future<?> f : futures) {
            f.get(30, TimeUnit.SECONDS);
        }
        long expected = refilled(limits, ticker.read() - t0);
        long taken = granted.sum();
        assertEquals(expected, taken + drain(limiter, expected), "taken " + taken);
    }

    /** Permits {@code limits} refill in {@code elapsedNanos} from empty, the smallest over all: elapsed / rounded cost. */
    private static long refilled(List<Rate> limits, long elapsedNanos) {
        long min = Long.MAX_VALUE;
        for (Rate l : limits) {
            long costUnits = dev.nines.ratelimit.internal.Gcra.costUnits(l.period().toNanos(), l.permits())
                    .longValueExact();
            min = Math.min(min, (elapsedNanos << dev.nines.ratelimit.internal.Gcra.SCALE_BITS) / costUnits);
        }
        return min;
    }

    /** Takes up to {@code max} permits in chunks as large as are available; returns how many. */
    private static long drain(RateLimiter limiter, long max) {
        long n = 0;
        for (long available = limiter.availablePermits(); available > 0 && n < max;
                available = limiter.availablePermits()) {
            assertTrue(limiter.tryAcquire(available));
            n += available;
        }
        return n;
    }

    @Test
    void advancingTimeWhileManyThreadsTakeGrantsExactlyTheRefill() throws Exception {
        Rate limit = Rate.of(600_000_000, Duration.ofSeconds(1), 10_000_000); // 27/16 ns per permit
        advanceWhileTaking(RateLimiter.builder("limiter").limit(limit).ticker(ticker)
                .metrics(MetricsSink.noop()).build(),
                List.of(limit));
    }

    @Test
    void advancingTimeWhileManyThreadsTakeFromSeveralLimitsGrantsExactlyTheBindingRefill() throws Exception {
        // A is faster but B binds; both are checked after every step
        Rate a = Rate.of(600_000_000, Duration.ofSeconds(1), 10_000_000);
        Rate b = Rate.of(1, Duration.ofNanos(2), 5_000_000);
        advanceWhileTaking(RateLimiter.builder("limiter").limit(a).limit(b).ticker(ticker).metrics(MetricsSink.noop())
                .build(), List.of(a, b));
    }

    /**
     * Issue 12, item 15: a first limit with a small burst that refills slowly, so it is often full
     * (time jumps past its refill time now and then), and a second one with a larger burst that
     * refills fast, whose last permits takers race for, while the takers themselves move the clock.
     * Every grant is stamped with the reading its decision made (each taker's ticker remembers its
     * last reading), and the first limit must hold over every span of those readings: never more
     * than its burst plus its refill.
     */
    @Test
    void giveBacksAfterLostRacesNeverLetAMultiLimitExceedItsFirstLimitOverAnySpanOfReadings() throws Exception {
        Rate first = Rate.of(10, Duration.ofMillis(10), 10); // one permit per millisecond, burst 10
        Rate second = Rate.of(20, Duration.ofMillis(2), 20); // ten per millisecond, burst 20
        ThreadLocal<long[]> lastReading = ThreadLocal.withInitial(() -> new long[1]);
        dev.nines.Ticker remembering = () -> {
            long now = ticker.read();
            lastReading.get()[0] = now;
            return now;
        };
        RateLimiter multi = RateLimiter.builder("limiter").limit(first).limit(second).ticker(remembering)
                .metrics(MetricsSink.noop()).build();
        int takers = 4;
        long t0 = ticker.read();
        CyclicBarrier start = new CyclicBarrier(takers);
        List<Future<List<long[]>>> futures = new ArrayList<>();
        for (int t = 0; t < takers; t++) {
            long n = 1 + t % 2;
            boolean jumper = t == 0;
            futures.add(pool.submit(() -> {
                List<long[]> grants = new ArrayList<>();
                start.await();
                for (int i = 0; i < 20_000; i++) { // the takers move the clock: readings race with takes
                    if (i % 4 == 0) {
                        ticker.advance(jumper && i % 2_000 == 0 ? 20_000_000 : 25_000); // now and then past the refill time
                    }
                    if (multi.tryAcquire(n)) {
                        grants.add(new long[] {lastReading.get()[0] - t0, n}); // relative: survives the wrap
                    }
                }
                return grants;
            }));
        }
        List<long[]> grants = new ArrayList<>();
        for (Future<List<long[]>> f : futures) {
            grants.addAll(f.get(30, TimeUnit.SECONDS));
        }
        grants.sort((x, y) -> Long.compare(x[0], y[0]));
        long costUnits = dev.nines.ratelimit.internal.Gcra.costUnits(first.period().toNanos(), first.permits())
                .longValueExact();
        long capSpan = costUnits * first.burst();
        for (int i = 0; i < grants.size(); i++) {
            long sum = 0;
            for (int j = i; j < grants.size(); j++) {
                sum += grants.get(j)[1];
                long elapsed = grants.get(j)[0] - grants.get(i)[0];
                if (sum * costUnits > capSpan + (elapsed << dev.nines.ratelimit.internal.Gcra.SCALE_BITS)) {
                    throw new AssertionError("granted " + sum + " at readings " + elapsed + " ns apart under " + first
                            + " (" + grants.size() + " grants)");
                }
            }
        }
        assertTrue(grants.size() > first.burst(), "grants: " + grants.size());
    }
}
