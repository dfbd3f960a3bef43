package dev.nines.benchmarks;

import dev.nines.benchmarks.redis.BenchmarkRedis;
import dev.nines.benchmarks.redis.RedisContenders;
import io.lettuce.core.metrics.CommandLatencyRecorder;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * A rate-limit decision that asks Redis, nines' Redis limiter beside Bucket4j's Lettuce backend on
 * the same server in the same run, with a bare {@code PING} round trip as the floor. Run it with
 * {@code benchmarks/run redis}, which starts one {@code redis-server} for the whole run and
 * measures at 1, 2, 8 and 32 threads; run by hand (or by the smoke test) it starts its own.
 *
 * <p>Sample mode: the score is the mean time per decision, and JMH's percentiles (p50, p99) give
 * the latency distribution; decisions per second are threads ÷ mean. See {@link RedisContenders}
 * for how each library is configured and why. Operations:
 * <ul>
 *   <li>{@code TryAcquire}: one permit on a key of the calling thread's own (each thread cycles
 *       through {@value RedisContenders#KEYS_PER_THREAD} keys), as a keyed limiter in front of
 *       many clients is used;</li>
 *   <li>{@code HotTryAcquire}: one permit on the one key every thread shares, where Bucket4j's
 *       compare-and-swap must retry when another thread wrote first;</li>
 *   <li>{@code LeasedHotTryAcquire} (nines only): the hot key with leasing on, most decisions
 *       served from the lease in this JVM.</li>
 * </ul>
 * Round trips per decision are counted by {@code RedisRoundTrips}, which {@code benchmarks/run
 * redis} runs after JMH (counting them here would add the counting to the measured path).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RedisRateLimiterBenchmark {

    private BenchmarkRedis redis;
    private RedisContenders contenders;

    /** Each benchmark thread's own key slots and position among them. */
    @State(Scope.Thread)
    public static class Caller {
        int thread;
        int n;

        /** Takes the thread's index, which picks its keys. */
        @Setup
        public void setUp(ThreadParams params) {
            thread = params.getThreadIndex();
        }

        int nextSlot() {
            return RedisContenders.slot(thread, n++);
        }
    }

    /** Opens the run's Redis (or starts one) and builds every contender on it. */
    @Setup
    public void setUp() {
        redis = BenchmarkRedis.open();
        contenders = new RedisContenders(redis.url(), CommandLatencyRecorder.disabled());
    }

    /** Closes the clients and stops the Redis this trial started. */
    @TearDown
    public void tearDown() {
        contenders.close();
        redis.close();
    }

    /** The floor: one {@code PING} round trip on the same client. */
    @Benchmark
    public String floorPing() {
        return contenders.floorPing();
    }

    /** nines' Redis limiter, one permit on the thread's next key. */
    @Benchmark
    public boolean ninesTryAcquire(Caller caller) {
        return contenders.nines(caller.nextSlot());
    }

    /** nines' Redis limiter, one permit on the shared hot key. */
    @Benchmark
    public boolean ninesHotTryAcquire() {
        return contenders.ninesHot();
    }

    /** nines' Redis limiter leasing {@value RedisContenders#LEASE} permits a round trip, the hot key. */
    @Benchmark
    public boolean ninesLeasedHotTryAcquire() {
        return contenders.ninesLeasedHot();
    }

    /** Bucket4j's Lettuce backend, one permit on the thread's next key. */
    @Benchmark
    public boolean bucket4jTryAcquire(Caller caller) {
        return contenders.bucket4j(caller.nextSlot());
    }

    /** Bucket4j's Lettuce backend, one permit on the shared hot key. */
    @Benchmark
    public boolean bucket4jHotTryAcquire() {
        return contenders.bucket4jHot();
    }
}
