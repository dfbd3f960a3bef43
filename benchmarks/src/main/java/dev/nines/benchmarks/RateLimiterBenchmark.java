package dev.nines.benchmarks;

import dev.nines.metrics.MetricsSink;
import dev.nines.ratelimit.Rate;
import dev.nines.ratelimit.RateLimiter;
import dev.nines.ratelimit.TokenBucket;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.local.SynchronizationStrategy;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The success path of a rate-limit decision ({@code tryAcquire} of one permit) on nines' token
 * bucket beside its peers, in one run, with the {@link FloorBenchmark} floor alongside:
 * {@code java -jar benchmarks.jar 'RateLimiterBenchmark|FloorBenchmark' -t 1 -prof gc}, then
 * {@code -t 2}. Every thread hits one shared limiter, so at 2 threads the CAS (or lock) is contended.
 *
 * <p><b>Fairness.</b> Every limiter is configured for one permit per nanosecond with a burst of a
 * billion, far above what one or two threads can take, so each benchmark measures the path that
 * grants a permit and none ever waits or rejects; each uses the system clock at its finest
 * precision and its default (non-waiting) acquire:
 * <ul>
 *   <li>{@link #nines()}: {@link TokenBucket#tryAcquire()}, one {@code long} CAS, no metrics sink;</li>
 *   <li>{@link #bucket4j()}: Bucket4j local bucket, lock-free strategy, nanosecond precision,
 *       greedy refill, {@code tryConsume(1)};</li>
 *   <li>{@link #resilience4j()}: Resilience4j {@code AtomicRateLimiter} (lock-free, cycle based),
 *       10⁹ permits per 1 s cycle, zero timeout, {@code acquirePermission()};</li>
 *   <li>{@link #guava()}: Guava {@code RateLimiter.create(1e9)} (smooth bursty, synchronized),
 *       {@code tryAcquire()};</li>
 *   <li>{@link #failsafe()}: Failsafe smooth {@code RateLimiter} of 10⁹ per second,
 *       {@code tryAcquirePermit()}.</li>
 * </ul>
 * The keyed limiter is measured beside its own peers in {@link KeyedLimiterBenchmark}.
 * Each method returns the decision so that nothing is dead-code eliminated.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RateLimiterBenchmark {

    static final long RATE = 1_000_000_000L; // permits per second: one per nanosecond

    private TokenBucket nines;
    private Bucket bucket4j;
    private AtomicRateLimiter resilience4j;
    private com.google.common.util.concurrent.RateLimiter guava;
    private dev.failsafe.RateLimiter<Object> failsafe;

    @Setup
    public void setUp() {
        Rate limit = Rate.of(RATE, Duration.ofSeconds(1), RATE);
        nines = (TokenBucket) RateLimiter.builder("nines").limit(limit).metrics(MetricsSink.noop()).build();
        bucket4j = Bucket.builder()
                .addLimit(l -> l.capacity(RATE).refillGreedy(RATE, Duration.ofSeconds(1)))
                .withNanosecondPrecision()
                .withSynchronizationStrategy(SynchronizationStrategy.LOCK_FREE)
                .build();
        resilience4j = new AtomicRateLimiter("r4j", RateLimiterConfig.custom()
                .limitForPeriod((int) RATE).limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ZERO)
                .build());
        guava = com.google.common.util.concurrent.RateLimiter.create(RATE);
        failsafe = dev.failsafe.RateLimiter.smoothBuilder(RATE, Duration.ofSeconds(1)).build();
    }

    @Benchmark
    public boolean nines() {
        return nines.tryAcquire();
    }

    @Benchmark
    public boolean bucket4j() {
        return bucket4j.tryConsume(1);
    }

    @Benchmark
    public boolean resilience4j() {
        return resilience4j.acquirePermission();
    }

    @Benchmark
    public boolean guava() {
        return guava.tryAcquire();
    }

    @Benchmark
    public boolean failsafe() {
        return failsafe.tryAcquirePermit();
    }
}
