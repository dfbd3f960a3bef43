package dev.nines.benchmarks;

import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import dev.nines.Priority;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.Outcome;
import dev.nines.shedding.LoadShedder;
import dev.nines.shedding.Permit;
import dev.nines.shedding.limit.ConcurrencyLimit;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * One admission plus its release (the whole cost a shedder adds to an admitted request) on nines'
 * {@link LoadShedder} beside Netflix concurrency-limits' {@link SimpleLimiter}, the closest peer.
 *
 * <p>Every limiter is configured so that each call is admitted (limit 1000, far above the 1 or 2
 * threads' in-flight), so the admitted fast path is what is measured, and every release reports a
 * success, so adaptive limits may take a latency sample:
 * <ul>
 *   <li>{@code nines*Fixed}: {@code ConcurrencyLimit.fixed(1000)}, no-op metrics (the clock is never read);</li>
 *   <li>{@code nines*Adaptive}: {@code GradientLimit} (initial 1000, max 1000) with the shedder's
 *       default sampling: one admission in 8 is timed (two clock reads and a latency sample), the
 *       other 7 read no clock. This is the configuration users get;</li>
 *   <li>{@code ninesTokenAdaptiveEveryCall}: the same with {@code sampleEvery(1)}, timing every call
 *       like the peer does, to show what the sampling saves;</li>
 *   <li>{@code netflixFixed}: {@code SimpleLimiter} with {@code FixedLimit.of(1000)};</li>
 *   <li>{@code netflixGradient2}: {@code SimpleLimiter} with {@code Gradient2Limit} (initial 1000,
 *       max 1000), its default adaptive limit.</li>
 * </ul>
 * Nines is measured through two APIs: the allocation-free token ({@code tryAdmit}/{@code release})
 * and the try-with-resources {@link Permit}, which allocates one 32-byte object per admission (its
 * exactly-once CAS on its own field keeps escape analysis from removing it). Both peers return an
 * {@code Optional<Listener>}.
 * The reject path is measured on shedders held full (limit 1, one P0 admission taken at setup and
 * never released): {@code ninesRejectToken} ({@code tryAdmit} returning {@code REJECTED}),
 * {@code ninesRejectPermit} (the shared rejected {@code Permit}) and {@code netflixReject}
 * ({@code FixedLimit.of(1)}, an empty {@code Optional}). {@code floorAdmit} is the least an
 * admission can do: one bounded CAS increment of a shared in-flight counter and one decrement.
 * Run at 1 and 2 threads ({@code -t 1}, {@code -t 2}) with {@code -prof gc} for B/op. The machine is
 * shared and noisy; see the report for the machine the final numbers come from.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LoadShedderBenchmark {

    private static final int LIMIT = 1000;

    private LoadShedder ninesFixed;
    private LoadShedder ninesAdaptive;
    private LoadShedder ninesAdaptiveEveryCall;
    private SimpleLimiter<Void> netflixFixed;
    private SimpleLimiter<Void> netflixGradient2;
    private LoadShedder ninesFull;
    private SimpleLimiter<Void> netflixFull;
    private final AtomicInteger floorInFlight = new AtomicInteger();

    @Setup
    public void setUp() {
        ninesFixed = LoadShedder.builder("fixed").limit(ConcurrencyLimit.fixed(LIMIT)).metrics(MetricsSink.noop()).build();
        ninesAdaptive = LoadShedder.builder("adaptive")
                .limit(ConcurrencyLimit.gradient().initialLimit(LIMIT).maxLimit(LIMIT).build())
                .metrics(MetricsSink.noop()).build();
        ninesAdaptiveEveryCall = LoadShedder.builder("adaptive-every-call")
                .limit(ConcurrencyLimit.gradient().initialLimit(LIMIT).maxLimit(LIMIT).build()).sampleEvery(1)
                .metrics(MetricsSink.noop()).build();
        netflixFixed = SimpleLimiter.newBuilder()
                .limit(com.netflix.concurrency.limits.limit.FixedLimit.of(LIMIT)).build();
        netflixGradient2 = SimpleLimiter.newBuilder()
                .limit(Gradient2Limit.newBuilder().initialLimit(LIMIT).maxConcurrency(LIMIT).build()).build();

        ninesFull = LoadShedder.builder("full").limit(ConcurrencyLimit.fixed(1)).metrics(MetricsSink.noop()).build();
        netflixFull = SimpleLimiter.newBuilder().limit(com.netflix.concurrency.limits.limit.FixedLimit.of(1)).build();
        if (ninesFull.tryAdmit(Priority.P0) == LoadShedder.REJECTED || netflixFull.acquire(null).isEmpty()) {
            throw new IllegalStateException("the first admission must pass");
        }
        if (ninesFull.tryAdmit(Priority.P1) != LoadShedder.REJECTED || netflixFull.acquire(null).isPresent()) {
            throw new IllegalStateException("the full limiters must reject");
        }
    }

    @Benchmark
    public long ninesTokenFixed() {
        long token = ninesFixed.tryAdmit(Priority.P1);
        ninesFixed.release(token, Outcome.SUCCESS);
        return token;
    }

    @Benchmark
    public long ninesTokenAdaptive() {
        long token = ninesAdaptive.tryAdmit(Priority.P1);
        ninesAdaptive.release(token, Outcome.SUCCESS);
        return token;
    }

    @Benchmark
    public long ninesTokenAdaptiveEveryCall() {
        long token = ninesAdaptiveEveryCall.tryAdmit(Priority.P1);
        ninesAdaptiveEveryCall.release(token, Outcome.SUCCESS);
        return token;
    }

    @Benchmark
    public boolean ninesPermitFixed() {
        try (Permit permit = ninesFixed.tryAcquire(Priority.P1)) {
            return permit.success();
        }
    }

    @Benchmark
    public boolean ninesPermitAdaptive() {
        try (Permit permit = ninesAdaptive.tryAcquire(Priority.P1)) {
            return permit.success();
        }
    }

    @Benchmark
    public long ninesRejectToken() {
        return ninesFull.tryAdmit(Priority.P1);
    }

    @Benchmark
    public boolean ninesRejectPermit() {
        try (Permit permit = ninesFull.tryAcquire(Priority.P1)) {
            return permit.isAdmitted();
        }
    }

    @Benchmark
    public boolean netflixReject() {
        Optional<Limiter.Listener> listener = netflixFull.acquire(null);
        listener.ifPresent(Limiter.Listener::onIgnore);
        return listener.isPresent();
    }

    @Benchmark
    public int floorAdmit() {
        int seen = floorInFlight.get();
        while (seen < LIMIT && !floorInFlight.compareAndSet(seen, seen + 1)) {
            seen = floorInFlight.get();
        }
        if (seen < LIMIT) {
            floorInFlight.decrementAndGet();
        }
        return seen;
    }

    @Benchmark
    public boolean netflixFixed() {
        Optional<Limiter.Listener> listener = netflixFixed.acquire(null);
        listener.ifPresent(Limiter.Listener::onSuccess);
        return listener.isPresent();
    }

    @Benchmark
    public boolean netflixGradient2() {
        Optional<Limiter.Listener> listener = netflixGradient2.acquire(null);
        listener.ifPresent(Limiter.Listener::onSuccess);
        return listener.isPresent();
    }
}
