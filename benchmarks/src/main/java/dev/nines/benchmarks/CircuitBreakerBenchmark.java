package dev.nines.benchmarks;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.function.CheckedSupplier;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.metrics.MetricsSink;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
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
 * A circuit breaker's two everyday paths, nines beside Resilience4j 2.3 and Failsafe 3.3 in the same
 * run: the CLOSED success path and the OPEN reject path. Run at {@code -t 1} and {@code -t 2}: every
 * thread shares one breaker instance per library, as a service shares one breaker per dependency.
 *
 * <ul>
 *   <li>{@code *AcquireSuccess}: the lambda-free form, ask for permission and report a success of
 *       1 ns ({@code tryAcquirePermission}/{@code onSuccess} in nines and Resilience4j,
 *       {@code tryAcquirePermit}/{@code recordSuccess} in Failsafe);</li>
 *   <li>{@code *ExecuteSuccess}: the lambda form running a trivial {@code Callable}; each library
 *       times the call itself ({@code call}, {@code executeCallable}, a prebuilt
 *       {@code FailsafeExecutor.get});</li>
 *   <li>{@code *RejectOpen}: {@code tryAcquirePermission}/{@code tryAcquirePermit} on a breaker that
 *       is OPEN for an hour, each library as built by default. A default nines breaker ends its OPEN
 *       stay on a timer ({@code Scheduler.system()}), so a rejection reads no clock; Resilience4j
 *       has that option off by default, Failsafe has none, so both read the clock to see whether
 *       the open time is over. {@code ninesRejectOpenOnRequest} measures nines doing the same,
 *       built with {@code halfOpenOnRequest()}; {@code ninesRejectOpenThrowing} the exception form
 *       nines' {@code call} uses (no stack trace, one clock read for the exception's
 *       retry-after).</li>
 * </ul>
 *
 * <p>Floors, the least work each path can do, measured in the same run: {@code floorAcquireSuccess}
 * one volatile read (is it closed?) plus one atomic increment on a shared counter (record the
 * outcome); {@code floorExecuteSuccess} the same around the call with two clock reads to time it
 * (both breakers here detect slow calls, which needs the duration); {@code floorRejectOpen} one
 * volatile read (is it open?).
 *
 * <p>Configured alike: a count window of 100 calls, 50% failure rate, judged after 100 calls
 * (Failsafe: {@code withFailureThreshold(50, 100)}), open for 1 h, 10 half-open probes; nines and
 * Resilience4j also watch for slow calls (60 s threshold, 100% rate, their defaults; Failsafe has no
 * slow-call rule). nines reports to the no-op metrics sink; Resilience4j has no event consumers;
 * Failsafe has no listeners. Return values keep the work alive.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CircuitBreakerBenchmark {

    private static final Duration OPEN = Duration.ofHours(1);

    private final Callable<String> work = () -> "ok";
    private final CheckedSupplier<String> failsafeWork = () -> "ok";

    private CircuitBreaker nines;
    private CircuitBreaker ninesOpen;
    private CircuitBreaker ninesOpenOnRequest;
    /** Built without a sink: reports through Metrics.getDefault(), the forwarding sink (issue 17). */
    private CircuitBreaker ninesDefaultSink;
    private CircuitBreaker ninesOpenDefaultSink;
    private io.github.resilience4j.circuitbreaker.CircuitBreaker r4j;
    private io.github.resilience4j.circuitbreaker.CircuitBreaker r4jOpen;
    private dev.failsafe.CircuitBreaker<Object> failsafe;
    private dev.failsafe.CircuitBreaker<Object> failsafeOpen;
    private FailsafeExecutor<Object> failsafeExecutor;

    private volatile Object floorState = "closed";
    private final AtomicLong floorRecorded = new AtomicLong();

    @Setup
    public void setUp() {
        nines = CircuitBreaker.builder("bench").countWindow(100).minimumCalls(100).failureRateThreshold(0.5)
                .openDuration(OPEN).halfOpenProbes(10).metrics(MetricsSink.noop()).build();
        ninesOpen = nines.toBuilder().build();
        ninesOpenOnRequest = nines.toBuilder().halfOpenOnRequest().build();
        ninesDefaultSink = CircuitBreaker.builder("bench-default").countWindow(100).minimumCalls(100)
                .failureRateThreshold(0.5).openDuration(OPEN).halfOpenProbes(10).build();
        ninesOpenDefaultSink = ninesDefaultSink.toBuilder().build();
        for (int i = 0; i < 100; i++) {
            ninesOpen.tryAcquirePermission();
            ninesOpen.onError(1, new IOException());
            ninesOpenOnRequest.tryAcquirePermission();
            ninesOpenOnRequest.onError(1, new IOException());
            ninesOpenDefaultSink.tryAcquirePermission();
            ninesOpenDefaultSink.onError(1, new IOException());
        }

        // the same breaker: resilience4j takes its threshold in percent, nines as the fraction 0.5
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindowType(SlidingWindowType.COUNT_BASED).slidingWindowSize(100).minimumNumberOfCalls(100)
                .failureRateThreshold(50).waitDurationInOpenState(OPEN).permittedNumberOfCallsInHalfOpenState(10)
                .build();
        r4j = io.github.resilience4j.circuitbreaker.CircuitBreaker.of("bench", config);
        r4jOpen = io.github.resilience4j.circuitbreaker.CircuitBreaker.of("bench-open", config);
        r4jOpen.transitionToOpenState();

        failsafe = dev.failsafe.CircuitBreaker.builder().withFailureThreshold(50, 100).withDelay(OPEN)
                .withSuccessThreshold(10).build();
        failsafeOpen = dev.failsafe.CircuitBreaker.builder().withFailureThreshold(50, 100).withDelay(OPEN)
                .withSuccessThreshold(10).build();
        failsafeOpen.open();
        failsafeExecutor = Failsafe.with(failsafe);

        if (ninesOpen.config().halfOpenTimer().isEmpty() || ninesOpenOnRequest.config().halfOpenTimer().isPresent()) {
            throw new IllegalStateException("ninesOpen must end OPEN on a timer, ninesOpenOnRequest on a request");
        }
        if (ninesOpen.tryAcquirePermission() || ninesOpenOnRequest.tryAcquirePermission()
                || ninesOpenDefaultSink.tryAcquirePermission() || r4jOpen.tryAcquirePermission() || failsafeOpen.tryAcquirePermit()) {
            throw new IllegalStateException("the open breakers must reject");
        }
    }

    @Benchmark
    public boolean ninesAcquireSuccess() {
        boolean permitted = nines.tryAcquirePermission();
        if (permitted) {
            nines.onSuccess(1);
        }
        return permitted;
    }

    /** {@link #ninesAcquireSuccess} on the default, forwarding sink with no sink set (nor JFR recording). */
    @Benchmark
    public boolean ninesDefaultSinkAcquireSuccess() {
        boolean permitted = ninesDefaultSink.tryAcquirePermission();
        if (permitted) {
            ninesDefaultSink.onSuccess(1);
        }
        return permitted;
    }

    /** {@link #ninesRejectOpen} on the default sink: the forwarding read plus the disabled JFR rejection event's check. */
    @Benchmark
    public boolean ninesOpenDefaultSinkReject() {
        return ninesOpenDefaultSink.tryAcquirePermission();
    }

    @Benchmark
    public boolean resilience4jAcquireSuccess() {
        boolean permitted = r4j.tryAcquirePermission();
        if (permitted) {
            r4j.onSuccess(1, TimeUnit.NANOSECONDS);
        }
        return permitted;
    }

    @Benchmark
    public boolean failsafeAcquireSuccess() {
        boolean permitted = failsafe.tryAcquirePermit();
        if (permitted) {
            failsafe.recordSuccess();
        }
        return permitted;
    }

    @Benchmark
    public String ninesExecuteSuccess() throws Exception {
        return nines.call(work);
    }

    @Benchmark
    public String resilience4jExecuteSuccess() throws Exception {
        return r4j.executeCallable(work);
    }

    @Benchmark
    public Object failsafeExecuteSuccess() {
        return failsafeExecutor.get(failsafeWork);
    }

    @Benchmark
    public boolean ninesRejectOpen() {
        return ninesOpen.tryAcquirePermission();
    }

    @Benchmark
    public boolean ninesRejectOpenOnRequest() {
        return ninesOpenOnRequest.tryAcquirePermission();
    }

    @Benchmark
    public boolean resilience4jRejectOpen() {
        return r4jOpen.tryAcquirePermission();
    }

    @Benchmark
    public boolean failsafeRejectOpen() {
        return failsafeOpen.tryAcquirePermit();
    }

    @Benchmark
    public long floorAcquireSuccess() {
        return floorState != null ? floorRecorded.getAndIncrement() : -1;
    }

    @Benchmark
    public String floorExecuteSuccess() throws Exception {
        if (floorState == null) {
            return null;
        }
        long start = System.nanoTime();
        String result = work.call();
        floorRecorded.getAndAdd(System.nanoTime() - start);
        return result;
    }

    @Benchmark
    public boolean floorRejectOpen() {
        return floorState == null;
    }

    @Benchmark
    public Object ninesRejectOpenThrowing() {
        try {
            return ninesOpen.call(work);
        } catch (Exception rejected) {
            return rejected;
        }
    }
}
