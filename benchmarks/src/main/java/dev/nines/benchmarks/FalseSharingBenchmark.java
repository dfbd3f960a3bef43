package dev.nines.benchmarks;

import dev.nines.Priority;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.Outcome;
import dev.nines.ratelimit.KeyedRateLimiter;
import dev.nines.ratelimit.Rate;
import dev.nines.ratelimit.RateLimiter;
import dev.nines.shedding.LoadShedder;
import dev.nines.shedding.limit.ConcurrencyLimit;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Whether false sharing costs nines anything: two threads, each updating a policy of its own (or
 * a key of its own), so that any slowdown beside the one-thread figure can only come from the two
 * policies' hot words sitting on one cache line. The issue asks for padding "where a benchmark
 * shows false sharing matters"; this is that benchmark.
 *
 * <p>Each {@code @Group} runs two threads, one per method. {@code sharedLine} and
 * {@code paddedLines} calibrate the machine: two counters 8 bytes apart in one array (one line)
 * against two counters 128 bytes apart. The policy groups put each thread on its own token bucket,
 * its own key of one keyed limiter, or its own load shedder, built one right after the other (the
 * layout most likely to put them side by side). Compare each group's per-operation time with the
 * {@code alone} group's, the same operation on one thread.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FalseSharingBenchmark {

    private static final Rate UNLIMITED = Rate.of(1_000_000_000L, Duration.ofSeconds(1), 1_000_000_000L);
    private static final int PADDED = 16; // longs: 128 bytes, two lines on every machine we run

    private final AtomicLongArray counters = new AtomicLongArray(PADDED + 1);
    private RateLimiter bucketA;
    private RateLimiter bucketB;
    private KeyedRateLimiter keyed;
    private LoadShedder shedderA;
    private LoadShedder shedderB;

    @Setup
    public void setUp() {
        bucketA = RateLimiter.builder("a").limit(UNLIMITED).metrics(MetricsSink.noop()).build();
        bucketB = RateLimiter.builder("b").limit(UNLIMITED).metrics(MetricsSink.noop()).build();
        keyed = KeyedRateLimiter.builder("keyed").limit(UNLIMITED).maxKeys(16).metrics(MetricsSink.noop()).build();
        keyed.tryAcquire("a");
        keyed.tryAcquire("b");
        shedderA = LoadShedder.builder("a").limit(ConcurrencyLimit.fixed(1_000)).metrics(MetricsSink.noop()).build();
        shedderB = LoadShedder.builder("b").limit(ConcurrencyLimit.fixed(1_000)).metrics(MetricsSink.noop()).build();
    }

    // ------------------------------------------------------------------ calibration

    @Benchmark
    @Group("sharedLine")
    @GroupThreads(1)
    public long sharedLineA() {
        return counters.incrementAndGet(0);
    }

    @Benchmark
    @Group("sharedLine")
    @GroupThreads(1)
    public long sharedLineB() {
        return counters.incrementAndGet(1);
    }

    @Benchmark
    @Group("paddedLines")
    @GroupThreads(1)
    public long paddedLinesA() {
        return counters.incrementAndGet(0);
    }

    @Benchmark
    @Group("paddedLines")
    @GroupThreads(1)
    public long paddedLinesB() {
        return counters.incrementAndGet(PADDED);
    }

    // ------------------------------------------------------------------ one thread, for reference

    @Benchmark
    @Group("aloneCounter")
    public long aloneCounter() {
        return counters.incrementAndGet(0);
    }

    @Benchmark
    @Group("aloneBucket")
    public boolean aloneBucket() {
        return bucketA.tryAcquire();
    }

    @Benchmark
    @Group("aloneKey")
    public boolean aloneKey() {
        return keyed.tryAcquire("a");
    }

    @Benchmark
    @Group("aloneShedder")
    public long aloneShedder() {
        long token = shedderA.tryAdmit(Priority.P1);
        shedderA.release(token, Outcome.SUCCESS);
        return token;
    }

    // ------------------------------------------------------------------ two threads, one policy each

    @Benchmark
    @Group("buckets")
    @GroupThreads(1)
    public boolean bucketsA() {
        return bucketA.tryAcquire();
    }

    @Benchmark
    @Group("buckets")
    @GroupThreads(1)
    public boolean bucketsB() {
        return bucketB.tryAcquire();
    }

    @Benchmark
    @Group("keys")
    @GroupThreads(1)
    public boolean keysA() {
        return keyed.tryAcquire("a");
    }

    @Benchmark
    @Group("keys")
    @GroupThreads(1)
    public boolean keysB() {
        return keyed.tryAcquire("b");
    }

    @Benchmark
    @Group("shedders")
    @GroupThreads(1)
    public long sheddersA() {
        long token = shedderA.tryAdmit(Priority.P1);
        shedderA.release(token, Outcome.SUCCESS);
        return token;
    }

    @Benchmark
    @Group("shedders")
    @GroupThreads(1)
    public long sheddersB() {
        long token = shedderB.tryAdmit(Priority.P1);
        shedderB.release(token, Outcome.SUCCESS);
        return token;
    }
}
