package dev.nines.benchmarks;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.function.CheckedSupplier;
import dev.nines.CallContext;
import dev.nines.Next;
import dev.nines.bulkhead.SemaphoreBulkhead;
import dev.nines.metrics.MetricsSink;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A semaphore bulkhead alone around a call that succeeds at once: the cost of taking and giving
 * back one permit, when permits are free (the common case).
 *
 * <p>All three are configured alike: 1000 concurrent calls (never full at the thread counts we
 * run), no waiting for a permit, no metrics or event consumers. Resilience4j's fair call handling
 * is turned off, because the nines bulkhead lets a free permit go to whoever asks first (with no
 * waiting it is a CAS on a counter of permits, not a {@link java.util.concurrent.Semaphore});
 * Failsafe's bulkhead has no fairness setting.
 *
 * <ul>
 *   <li>{@code *Call}: the bulkhead runs a prebuilt {@link Callable} (nines through the policy
 *       SPI with {@link Next#END}, Resilience4j through a decorated callable built once, Failsafe
 *       through a {@link FailsafeExecutor} built once).</li>
 *   <li>{@code *Permit}: the lambda-free form, acquire then release, as integrations use it.</li>
 * </ul>
 * {@code floorPermit} is the least a bulkhead can do: one bounded CAS increment of a shared counter
 * before the call and one decrement after it. Every benchmark returns the call's result so nothing
 * is eliminated.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BulkheadBenchmark {

    private static final int LIMIT = 1000;

    private final Long value = 42L;
    private final Callable<Long> work = () -> value;

    private final SemaphoreBulkhead nines = SemaphoreBulkhead.builder("bench").maxConcurrent(LIMIT)
            .maxWait(Duration.ZERO).metrics(MetricsSink.noop()).build();

    private final Bulkhead r4j = Bulkhead.of("bench", BulkheadConfig.custom().maxConcurrentCalls(LIMIT)
            .maxWaitDuration(Duration.ZERO).fairCallHandlingStrategyEnabled(false).build());
    private final Callable<Long> r4jDecorated = Bulkhead.decorateCallable(r4j, work);

    private final dev.failsafe.Bulkhead<Long> failsafeBulkhead = dev.failsafe.Bulkhead.<Long>builder(LIMIT)
            .withMaxWaitTime(Duration.ZERO).build();
    private final FailsafeExecutor<Long> failsafe = Failsafe.with(failsafeBulkhead);
    private final CheckedSupplier<Long> failsafeWork = work::call;

    private final AtomicInteger floorInFlight = new AtomicInteger();

    @Benchmark
    public Long floorPermit() throws Exception {
        int seen = floorInFlight.get();
        while (seen < LIMIT && !floorInFlight.compareAndSet(seen, seen + 1)) {
            seen = floorInFlight.get();
        }
        if (seen >= LIMIT) {
            return null;
        }
        try {
            return work.call();
        } finally {
            floorInFlight.decrementAndGet();
        }
    }

    /** Built without a sink: reports through Metrics.getDefault(), the forwarding sink (issue 17). */
    private final SemaphoreBulkhead ninesDefaultSink = SemaphoreBulkhead.builder("bench-default")
            .maxConcurrent(LIMIT).maxWait(Duration.ZERO).build();

    /** {@link #ninesCall} on the default sink with no sink set: one volatile read more, no clock read. */
    @Benchmark
    public Long ninesDefaultSinkCall() throws Exception {
        return ninesDefaultSink.execute(CallContext.empty(), work, Next.END);
    }

    @Benchmark
    public Long ninesCall() throws Exception {
        return nines.execute(CallContext.empty(), work, Next.END);
    }

    @Benchmark
    public Long resilience4jCall() throws Exception {
        return r4jDecorated.call();
    }

    @Benchmark
    public Long failsafeCall() {
        return failsafe.get(failsafeWork);
    }

    @Benchmark
    public Long ninesPermit() throws Exception {
        if (!nines.tryAcquirePermission()) {
            return null;
        }
        try {
            return work.call();
        } finally {
            nines.releasePermission();
        }
    }

    @Benchmark
    public Long resilience4jPermit() throws Exception {
        if (!r4j.tryAcquirePermission()) {
            return null;
        }
        try {
            return work.call();
        } finally {
            r4j.onComplete();
        }
    }

    @Benchmark
    public Long failsafePermit() throws Exception {
        if (!failsafeBulkhead.tryAcquirePermit()) {
            return null;
        }
        try {
            return work.call();
        } finally {
            failsafeBulkhead.releasePermit();
        }
    }
}
