package dev.nines.benchmarks;

import dev.nines.Priority;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.Outcome;
import dev.nines.metrics.PolicyKinds;
import dev.nines.metrics.RequestOutcome;
import dev.nines.micrometer.MicrometerSink;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a metrics sink costs a call: the policy outcome a breaker reports ({@code outcome}), the
 * prioritised one a shedder reports ({@code prioritisedOutcome}) and the request event a pipeline
 * reports ({@code request}), into the {@link InMemoryMetrics} and into the {@link MicrometerSink} on
 * a Prometheus registry (histogram buckets, what production runs) and on a simple one. The meters
 * exist after setup, as they do after a service's first calls, so this is the steady state: with
 * {@code -prof gc} the Micrometer sink should allocate nothing (its meters are cached per tag set).
 * The durations vary over a small table so histogram buckets other than one are touched.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar MetricsSinkBenchmark -prof gc</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MetricsSinkBenchmark {

    private static final long[] DURATIONS = {150_000, 2_000_000, 9_000_000, 40_000_000, 700_000, 120_000_000};

    /** Which sink: nines' own in-memory one, or Micrometer's on a registry of each kind. */
    @Param({"in-memory", "micrometer-prometheus", "micrometer-simple"})
    public String sink;

    private MetricsSink target;
    private int next;

    @Setup
    public void setUp() {
        switch (sink) {
            case "in-memory" -> target = new InMemoryMetrics();
            case "micrometer-prometheus" -> target = MicrometerSink.of(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
            case "micrometer-simple" -> target = MicrometerSink.of(new SimpleMeterRegistry());
            default -> throw new IllegalArgumentException("sink must be in-memory, micrometer-prometheus or "
                    + "micrometer-simple but was " + sink);
        }
        for (long duration : DURATIONS) {
            target.onOutcome("payments", PolicyKinds.CIRCUIT_BREAKER, Outcome.SUCCESS, duration);
            target.onOutcome("search", PolicyKinds.LOAD_SHEDDER, Priority.P2, Outcome.SUCCESS, duration);
            target.onRequest("checkout", Priority.P1, RequestOutcome.FRESH, null, null, duration);
        }
    }

    private long duration() {
        int i = next + 1;
        next = i == DURATIONS.length ? 0 : i;
        return DURATIONS[next];
    }

    @Benchmark
    public void outcome() {
        target.onOutcome("payments", PolicyKinds.CIRCUIT_BREAKER, Outcome.SUCCESS, duration());
    }

    @Benchmark
    public void prioritisedOutcome() {
        target.onOutcome("search", PolicyKinds.LOAD_SHEDDER, Priority.P2, Outcome.SUCCESS, duration());
    }

    @Benchmark
    public void request() {
        target.onRequest("checkout", Priority.P1, RequestOutcome.FRESH, null, null, duration());
    }
}
