package dev.nines.benchmarks;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.function.CheckedSupplier;
import dev.nines.CallContext;
import dev.nines.Next;
import dev.nines.Pipeline;
import dev.nines.bulkhead.SemaphoreBulkhead;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.metrics.MetricsSink;
import dev.nines.retry.Backoff;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
 * The common case of an outbound call: retry, then circuit breaker, then semaphore bulkhead
 * (outermost first) around a call that succeeds at once. Measures what the three policies cost
 * together on the success path.
 *
 * <p>Configured alike in all three libraries, each composed once at setup:
 * <ul>
 *   <li>retry: 3 attempts, a fixed 100 ms wait (never taken: the call succeeds), every exception
 *       retried;</li>
 *   <li>circuit breaker: count-based, the last 100 calls, opens at 50% failures once 100 calls are
 *       recorded, stays open 60 s. Failsafe expresses it as 50 failures out of the last 100
 *       executions;</li>
 *   <li>bulkhead: 1000 concurrent calls (never full here), no waiting; Resilience4j's fair call
 *       handling off, as nines' bulkhead does not queue fairly;</li>
 *   <li>no metrics sinks, listeners or event consumers beyond each library's defaults.</li>
 * </ul>
 * nines: {@code Pipeline.of(retry, breaker, bulkhead)} run through the policy SPI with
 * {@link Next#END}. Resilience4j: {@code Retry.decorateCallable(CircuitBreaker.decorateCallable(
 * Bulkhead.decorateCallable(call)))}. Failsafe: {@code Failsafe.with(retry, breaker, bulkhead)}
 * (first outermost). {@code floor} is the least the three can do together: the breaker's volatile
 * read and outcome increment with two clock reads to time the call (slow-call detection), the
 * bulkhead's CAS increment and decrement, and the retry's nothing at all on a first success. Every
 * benchmark returns the call's result.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PipelineBenchmark {

    private static final int BULKHEAD_LIMIT = 1000;
    private static final Duration RETRY_WAIT = Duration.ofMillis(100);
    private static final Duration OPEN = Duration.ofSeconds(60);

    private final Long value = 42L;
    private final Callable<Long> work = () -> value;

    private final Pipeline nines = Pipeline.of(
            dev.nines.retry.Retry.builder("bench").maxAttempts(3).backoff(Backoff.fixed(RETRY_WAIT))
                    .metrics(MetricsSink.noop()).build(),
            CircuitBreaker.builder("bench").countWindow(100).minimumCalls(100).failureRateThreshold(0.5)
                    .openDuration(OPEN).metrics(MetricsSink.noop()).build(),
            SemaphoreBulkhead.builder("bench").maxConcurrent(BULKHEAD_LIMIT).maxWait(Duration.ZERO)
                    .metrics(MetricsSink.noop()).build());

    // the same policies: resilience4j takes its failure threshold in percent, nines as a fraction
    private final Callable<Long> r4j = Retry.decorateCallable(
            Retry.of("bench", RetryConfig.custom().maxAttempts(3).waitDuration(RETRY_WAIT).build()),
            io.github.resilience4j.circuitbreaker.CircuitBreaker.decorateCallable(
                    io.github.resilience4j.circuitbreaker.CircuitBreaker.of("bench", CircuitBreakerConfig.custom()
                            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                            .slidingWindowSize(100).minimumNumberOfCalls(100).failureRateThreshold(50)
                            .waitDurationInOpenState(OPEN).build()),
                    Bulkhead.decorateCallable(Bulkhead.of("bench", BulkheadConfig.custom()
                            .maxConcurrentCalls(BULKHEAD_LIMIT).maxWaitDuration(Duration.ZERO)
                            .fairCallHandlingStrategyEnabled(false).build()), work)));

    private final FailsafeExecutor<Long> failsafe = Failsafe.with(
            dev.failsafe.RetryPolicy.<Long>builder().withMaxAttempts(3).withDelay(RETRY_WAIT).build(),
            dev.failsafe.CircuitBreaker.<Long>builder().withFailureThreshold(50, 100).withDelay(OPEN).build(),
            dev.failsafe.Bulkhead.<Long>builder(BULKHEAD_LIMIT).withMaxWaitTime(Duration.ZERO).build());
    private final CheckedSupplier<Long> failsafeWork = work::call;

    private volatile Object floorState = "closed";
    private final AtomicLong floorRecorded = new AtomicLong();
    private final AtomicInteger floorInFlight = new AtomicInteger();

    @Benchmark
    public Long floor() throws Exception {
        if (floorState == null) {
            return null;
        }
        int seen = floorInFlight.get();
        while (seen < BULKHEAD_LIMIT && !floorInFlight.compareAndSet(seen, seen + 1)) {
            seen = floorInFlight.get();
        }
        if (seen >= BULKHEAD_LIMIT) {
            return null;
        }
        long start = System.nanoTime();
        try {
            return work.call();
        } finally {
            floorInFlight.decrementAndGet();
            floorRecorded.getAndAdd(System.nanoTime() - start);
        }
    }

    @Benchmark
    public Long nines() throws Exception {
        return nines.execute(CallContext.empty(), work, Next.END);
    }

    @Benchmark
    public Long resilience4j() throws Exception {
        return r4j.call();
    }

    @Benchmark
    public Long failsafe() {
        return failsafe.get(failsafeWork);
    }
}
