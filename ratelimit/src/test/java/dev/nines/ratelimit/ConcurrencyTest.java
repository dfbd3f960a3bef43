package dev.nines.ratelimit;

import dev.nines.Sleeper;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nines.ManualTicker;
import dev.nines.metrics.MetricsSink;
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
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Many threads on one limiter, time frozen: the permits granted are exactly what the limits allow. */
class ConcurrencyTest {

    private static final int THREADS = 8;
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
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

    @Test
    void oneBucketGrantsExactlyItsBurstThenExactlyItsRefill() throws Exception {
        RateLimiter b = RateLimiter.builder().limit(Limit.of(1_000, Duration.ofSeconds(1), 5_000)).ticker(ticker)
                .metrics(MetricsSink.noop()).build();
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
        RateLimiter l = RateLimiter.builder().limit(Limit.perSecond(10)).limit(Limit.perMinute(15)).ticker(ticker)
                .metrics(MetricsSink.noop()).build();
        assertEquals(10, hammer(l, 5_000, 1));
        ticker.advance(1, TimeUnit.SECONDS); // second limit: 5 left + 0.25 refilled
        assertEquals(5, hammer(l, 5_000, 1));
        ticker.advance(4, TimeUnit.SECONDS); // second limit: 0.25 + 1.0 → 1
        assertEquals(1, hammer(l, 5_000, 1));
        assertEquals(0, l.availablePermits());
    }

    @Test
    void concurrentWaitersGetDistinctConsecutiveSlots() throws Exception {
        FakeSleeper sleeper = new FakeSleeper();
        RateLimiter b = RateLimiter.builder().limit(Limit.perSecond(1)).ticker(ticker).sleeper(sleeper)
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
        assertEquals(expected, new HashSet<>(sleeper.sleeps));
        assertEquals(THREADS, sleeper.sleeps.size());
    }
}
