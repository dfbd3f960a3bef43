package dev.nines.benchmarks;

import dev.nines.CoarseTicker;
import dev.nines.Priority;
import dev.nines.Ticker;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.RequestOutcome;
import dev.nines.slo.Slo;
import dev.nines.slo.SloRegistry;
import dev.nines.slo.SloStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What an SLO costs a request: recording one request event into an {@link Slo}'s rolling window,
 * and routing one through an {@link SloRegistry}'s sink, beside the floors of the same run. There is
 * no peer: no other resilience library keeps SLO windows in the process.
 *
 * <p>All state is shared by the benchmark's threads ({@code Scope.Benchmark}), as one SLO is shared
 * by a service's request threads: at 2 threads both record into the same bucket of the same window.
 * Every SLO is an availability SLO over 30 days at one minute (43,200 buckets, 345,600 bytes) with
 * the workbook's alert table; every event is a fresh answer of request {@code checkout} at P1.
 *
 * <p><b>Time runs 1,024 times faster for the recording SLOs.</b> A bucket counts at most 2<sup>25</sup>
 * events, which one thread recording at 10 ns fills in a third of a second; after that, events take
 * the saturated path (counted apart, not in the bucket), which is not what a service pays. So the
 * recording SLOs read their ticker shifted left by 10 bits ({@link FastForward}): a one-minute bucket
 * lasts 59 ms of the run, fewer than 2<sup>25</sup> events land in each, and every event takes the
 * counting path. The shift costs under a cycle; the ticker read under it is the real one. After each
 * iteration the SLOs are checked: an iteration in which any event saturated a bucket fails the run.
 *
 * <ul>
 *   <li>{@code ninesRecord}: {@link Slo#record(RequestOutcome, String, long)} on the default
 *       ticker, the shared one-millisecond {@link CoarseTicker} (one volatile read, then the
 *       bucket's compare-and-set);</li>
 *   <li>{@code ninesRecordSystemTicker}: the same on {@link Ticker#system()}, one
 *       {@code System.nanoTime()} per event;</li>
 *   <li>{@code ninesRouteOne}: {@code registry.sink().onRequest(...)} with one SLO registered, which
 *       counts the request: the path a {@code Pipeline} or the web guard takes;</li>
 *   <li>{@code ninesRouteTenOtherRequests}: ten SLOs, nine of them on other requests (other
 *       endpoints), which the routing table's lookup by request name never visits;</li>
 *   <li>{@code ninesRouteTenSameRequest}: ten SLOs on the same request, nine of them on another
 *       priority: the worst case, where the router asks each whether it matches;</li>
 *   <li>{@code ninesStatus}: {@link Slo#status()} of the 30-day SLO (a pass over all 43,200 buckets,
 *       plus each alert's windows): for health checks, scrapes and periodic evaluation, not per
 *       request;</li>
 *   <li>{@code ninesCoarseTickerRead}: one {@link CoarseTicker#read()} of the shared ticker, beside
 *       {@code floorNanoTime}, one {@code System.nanoTime()};</li>
 *   <li>floors, on shared state like the SLOs: {@code floorRecord} (a read, then a compare-and-set
 *       of that value plus one on an {@link AtomicLong}, retried on a lost race: the least recording
 *       could do, what it does on its bucket; the report's floor of the {@code ninesRecord…} results),
 *       {@code floorIncrementAndGet} ({@link AtomicLong#incrementAndGet()}), {@code floorLongAdder}
 *       ({@link LongAdder#increment()}, striped under contention) and {@code floorVolatileRead}.</li>
 * </ul>
 *
 * <pre>benchmarks/run quick -b SloBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SloBenchmark {

    private static final String REQUEST = "checkout";
    private static final long LATENCY = 3_000_000;

    private Slo coarse;
    private Slo system;
    private Slo statusOf;
    private MetricsSink routeOne;
    private MetricsSink routeTenOtherRequests;
    private MetricsSink routeTenSameRequest;
    private final CoarseTicker ticker = CoarseTicker.shared();
    private final AtomicLong atomic = new AtomicLong();
    private final LongAdder adder = new LongAdder();
    private volatile long field = 42;
    private final List<Slo> recording = new ArrayList<>();

    /**
     * A ticker whose readings run 1,024 times faster than {@code base}'s: the same read, shifted.
     * Readings wrap past {@code Long.MAX_VALUE} sooner, which the SLO's window handles (it uses only
     * differences of readings).
     */
    public static final class FastForward implements Ticker {
        private final Ticker base;

        /** A ticker reading {@code base} 1,024 times faster. */
        public FastForward(Ticker base) {
            this.base = base;
        }

        @Override
        public long read() {
            return base.read() << 10;
        }
    }

    @Setup
    public void setUp() {
        Ticker fastCoarse = new FastForward(ticker);
        coarse = recording(Slo.availability("coarse"), fastCoarse);
        system = recording(Slo.availability("system"), new FastForward(Ticker.system()));
        statusOf = Slo.availability("status").build();
        for (int i = 0; i < 1_000; i++) {
            statusOf.record(i % 100 != 0);
        }

        SloRegistry one = new SloRegistry();
        one.add(recording(Slo.availability("checkout").requests(REQUEST), fastCoarse));
        routeOne = one.sink();

        SloRegistry otherRequests = new SloRegistry();
        otherRequests.add(recording(Slo.availability("checkout").requests(REQUEST), fastCoarse));
        for (int i = 0; i < 9; i++) {
            otherRequests.add(Slo.availability("other-" + i).requests("endpoint-" + i).build());
        }
        routeTenOtherRequests = otherRequests.sink();

        SloRegistry sameRequest = new SloRegistry();
        for (int i = 0; i < 9; i++) {
            sameRequest.add(Slo.availability("p0-" + i).requests(REQUEST).priorities(Priority.P0).build());
        }
        sameRequest.add(recording(Slo.availability("checkout").requests(REQUEST).priorities(Priority.P1), fastCoarse));
        routeTenSameRequest = sameRequest.sink();
    }

    private Slo recording(Slo.Builder builder, Ticker fast) {
        Slo slo = builder.ticker(fast).build();
        recording.add(slo);
        return slo;
    }

    /** Fails the run if an event of this iteration took the saturated path instead of being counted. */
    @TearDown(Level.Iteration)
    public void noBucketSaturated() {
        for (Slo slo : recording) {
            if (slo.saturated() != 0) {
                throw new IllegalStateException(slo + " saturated " + slo.saturated() + " events: the benchmark"
                        + " measured the saturated path, not recording");
            }
        }
    }

    @Benchmark
    public void ninesRecord() {
        coarse.record(RequestOutcome.FRESH, null, LATENCY);
    }

    @Benchmark
    public void ninesRecordSystemTicker() {
        system.record(RequestOutcome.FRESH, null, LATENCY);
    }

    @Benchmark
    public void ninesRouteOne() {
        routeOne.onRequest(REQUEST, Priority.P1, RequestOutcome.FRESH, null, null, LATENCY);
    }

    @Benchmark
    public void ninesRouteTenOtherRequests() {
        routeTenOtherRequests.onRequest(REQUEST, Priority.P1, RequestOutcome.FRESH, null, null, LATENCY);
    }

    @Benchmark
    public void ninesRouteTenSameRequest() {
        routeTenSameRequest.onRequest(REQUEST, Priority.P1, RequestOutcome.FRESH, null, null, LATENCY);
    }

    @Benchmark
    public SloStatus ninesStatus() {
        return statusOf.status();
    }

    @Benchmark
    public long ninesCoarseTickerRead() {
        return ticker.read();
    }

    @Benchmark
    public long floorNanoTime() {
        return System.nanoTime();
    }

    @Benchmark
    public long floorRecord() {
        long seen = atomic.get();
        while (!atomic.compareAndSet(seen, seen + 1)) {
            seen = atomic.get();
        }
        return seen;
    }

    @Benchmark
    public long floorIncrementAndGet() {
        return atomic.incrementAndGet();
    }

    @Benchmark
    public void floorLongAdder() {
        adder.increment();
    }

    @Benchmark
    public long floorVolatileRead() {
        return field;
    }
}
