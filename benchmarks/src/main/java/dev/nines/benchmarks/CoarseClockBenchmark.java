package dev.nines.benchmarks;

import dev.nines.CoarseTicker;
import dev.nines.Ticker;
import dev.nines.metrics.MetricsSink;
import dev.nines.ratelimit.Rate;
import dev.nines.ratelimit.RateLimiter;
import dev.nines.ratelimit.TokenBucket;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.local.SynchronizationStrategy;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * A token-bucket decision on the exact clock and on the optional {@link CoarseTicker}, beside the
 * fastest peer and the floors of each, in one run:
 * {@code benchmarks/run quick -b CoarseClockBenchmark} (1 and 2 threads, {@code -prof gc}).
 *
 * <ul>
 *   <li>{@link #ninesSystemTicker()}: {@link TokenBucket#tryAcquire()} on {@link Ticker#system()}, the
 *       default (the same limiter as {@code RateLimiterBenchmark.nines});</li>
 *   <li>{@link #ninesCoarseTicker()}: the same bucket on {@link CoarseTicker#shared()}: a volatile read
 *       instead of {@code System.nanoTime()};</li>
 *   <li>{@link #bucket4j()}: Bucket4j's lock-free local bucket on its nanosecond clock, the fastest
 *       peer of {@code RateLimiterBenchmark};</li>
 *   <li>the floors: {@link #floorNanoTime()}, {@link #floorCoarseRead()}, and
 *       {@link #floorCoarseReadAndCas()} (a coarse reading plus one CAS on a shared {@code AtomicLong}:
 *       the least a lock-free bucket on the coarse clock can do).</li>
 * </ul>
 * Every limiter allows one permit per nanosecond with a burst of a billion, so none ever refuses: the
 * measured path is the grant. On the coarse clock the bucket refills in one-millisecond steps, a
 * million permits at a time, still far above what two threads take.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CoarseClockBenchmark {

    private TokenBucket exact;
    private TokenBucket coarse;
    private Bucket bucket4j;
    private CoarseTicker ticker;
    private final AtomicLong cell = new AtomicLong();

    @Setup
    public void setUp() {
        long rate = RateLimiterBenchmark.RATE;
        Rate limit = Rate.of(rate, Duration.ofSeconds(1), rate);
        ticker = CoarseTicker.shared();
        exact = (TokenBucket) RateLimiter.builder("exact").limit(limit).metrics(MetricsSink.noop()).build();
        coarse = (TokenBucket) RateLimiter.builder("coarse").limit(limit).ticker(ticker).metrics(MetricsSink.noop())
                .build();
        bucket4j = Bucket.builder()
                .addLimit(l -> l.capacity(rate).refillGreedy(rate, Duration.ofSeconds(1)))
                .withNanosecondPrecision()
                .withSynchronizationStrategy(SynchronizationStrategy.LOCK_FREE)
                .build();
    }

    @Benchmark
    public boolean ninesSystemTicker() {
        return exact.tryAcquire();
    }

    @Benchmark
    public boolean ninesCoarseTicker() {
        return coarse.tryAcquire();
    }

    @Benchmark
    public boolean bucket4j() {
        return bucket4j.tryConsume(1);
    }

    @Benchmark
    public long floorNanoTime() {
        return System.nanoTime();
    }

    @Benchmark
    public long floorCoarseRead() {
        return ticker.read();
    }

    @Benchmark
    public boolean floorCoarseReadAndCas() {
        long now = ticker.read();
        long seen = cell.get();
        return cell.compareAndSet(seen, seen + (now & 1) + 1);
    }
}
