package dev.nines.shedding;

import static dev.nines.Priority.P0;
import static dev.nines.Priority.P1;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nines.ManualTicker;
import dev.nines.Ticker;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.Outcome;
import dev.nines.shedding.internal.InFlightCounter;
import dev.nines.shedding.limit.ConcurrencyLimit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Latency sampling: only every n-th admission is timed (unsampled calls read no clock), every
 * dropped call still reaches the limit, and the numbering is exact however many threads race.
 */
class LatencySamplingTest {

    private static final long MS = 1_000_000L;

    /** A manual ticker that counts its reads. */
    private static final class CountingTicker implements Ticker {
        final ManualTicker time = new ManualTicker(1_000 * MS); // even: timed starts lose no precision
        final AtomicLong reads = new AtomicLong();

        @Override
        public long read() {
            reads.incrementAndGet();
            return time.read();
        }
    }

    /** A limit that records what it is told, as "rtt Nms" or "drop", and counts latency samples. */
    private static final class RecordingLimit implements ConcurrencyLimit {
        final List<String> samples = new CopyOnWriteArrayList<>();
        final AtomicLong latencySamples = new AtomicLong();
        final int limit;
        final boolean keep;

        RecordingLimit(int limit, boolean keep) {
            this.limit = limit;
            this.keep = keep;
        }

        @Override
        public int currentLimit() {
            return limit;
        }

        @Override
        public void onSample(long nowNanos, long rttNanos, int inFlight, boolean dropped) {
            if (!dropped) {
                latencySamples.incrementAndGet();
            }
            if (keep) {
                samples.add(dropped ? "drop" : "rtt " + rttNanos / MS + "ms" + (rttNanos % MS == 0 ? "" : " +"
                        + rttNanos % MS + "ns"));
            }
        }
    }

    private final CountingTicker ticker = new CountingTicker();
    private final RecordingLimit limit = new RecordingLimit(1000, true);

    private LoadShedder shedder(int sampleEvery) {
        return LoadShedder.builder("sampled").limit(limit).ticker(ticker).metrics(MetricsSink.noop())
                .sampleEvery(sampleEvery).build();
    }

    @Test
    void exactlyEveryNthAdmissionIsTimedAndTheOthersNeverReadTheTicker() {
        LoadShedder s = shedder(4);
        for (int i = 0; i < 12; i++) {
            long readsBefore = ticker.reads.get();
            long token = s.tryAdmit(P1);
            ticker.time.advance(i + 1, TimeUnit.MILLISECONDS);
            s.release(token, Outcome.SUCCESS);
            long reads = ticker.reads.get() - readsBefore;
            assertEquals(i % 4 == 0 ? 2 : 0, reads, "ticker reads for admission " + i);
        }
        assertEquals(List.of("rtt 1ms", "rtt 5ms", "rtt 9ms"), limit.samples, "admissions 0, 4 and 8, exact rtt");
    }

    @Test
    void sampleEveryOneTimesEveryCall() {
        LoadShedder s = shedder(1);
        long built = ticker.reads.get(); // the tier tracker's origin, read once at construction
        for (int i = 0; i < 3; i++) {
            long token = s.tryAdmit(P1);
            ticker.time.advance(2, TimeUnit.MILLISECONDS);
            s.release(token, Outcome.FAILURE); // a failure's latency is a sample too
        }
        assertEquals(List.of("rtt 2ms", "rtt 2ms", "rtt 2ms"), limit.samples);
        assertEquals(6, ticker.reads.get() - built);
    }

    @Test
    void droppedOutcomesReachTheLimitForEveryCallTimedOrNot() {
        LoadShedder s = shedder(8);
        List<Outcome> outcomes = List.of(Outcome.TIMED_OUT, Outcome.REJECTED, Outcome.SHED, Outcome.IGNORED,
                Outcome.SUCCESS, Outcome.TIMED_OUT, Outcome.IGNORED, Outcome.SUCCESS, Outcome.SUCCESS,
                Outcome.TIMED_OUT);
        for (Outcome outcome : outcomes) {
            long token = s.tryAdmit(P1);
            ticker.time.advance(3, TimeUnit.MILLISECONDS);
            s.release(token, outcome);
        }
        // admissions 0 and 8 are timed: 0 was dropped, 8 succeeded; ignored calls teach nothing
        assertEquals(List.of("drop", "drop", "drop", "drop", "rtt 3ms", "drop"), limit.samples);
        assertEquals(0, s.inFlight());
    }

    @Test
    void withMetricsEveryCallIsTimedButOnlyEveryNthFeedsTheLimit() {
        List<Long> durations = new CopyOnWriteArrayList<>();
        MetricsSink sink = new MetricsSink() {
            @Override
            public void onOutcome(String policy, String kind, Outcome outcome, long durationNanos) {
                durations.add(durationNanos / MS);
            }
        };
        LoadShedder s = LoadShedder.builder("measured").limit(limit).ticker(ticker).metrics(sink).sampleEvery(2)
                .build();
        for (int i = 0; i < 4; i++) {
            long token = s.tryAdmit(P1);
            ticker.time.advance(i + 1, TimeUnit.MILLISECONDS);
            s.release(token, Outcome.SUCCESS);
        }
        assertEquals(List.of(1L, 2L, 3L, 4L), durations, "metrics see every call's duration");
        assertEquals(List.of("rtt 1ms", "rtt 3ms"), limit.samples, "the limit sees every second one");
    }

    @Test
    void anOddStartTimeCostsATimedCallAtMostOneNanosecond() {
        ManualTicker odd = new ManualTicker(1_000 * MS + 1);
        LoadShedder s = LoadShedder.builder("odd").limit(limit).ticker(odd).metrics(MetricsSink.noop())
                .sampleEvery(1).build();
        long token = s.tryAdmit(P1);
        odd.advance(5, TimeUnit.MILLISECONDS);
        s.release(token, Outcome.SUCCESS);
        assertEquals(List.of("rtt 5ms +1ns"), limit.samples, "the start's lowest bit marks the token as timed");
    }

    @Test
    void aDoubleReleaseIsStillDetectedAndDoesNotDisturbTheNumbering() {
        LoadShedder s = shedder(2);
        long first = s.tryAdmit(P1); // admission 0: timed
        s.release(first, Outcome.SUCCESS);
        assertThrows(IllegalStateException.class, () -> s.release(first, Outcome.SUCCESS));
        assertEquals(0, s.inFlight());
        s.release(s.tryAdmit(P1), Outcome.SUCCESS); // admission 1: untimed
        s.release(s.tryAdmit(P1), Outcome.SUCCESS); // admission 2: timed
        assertEquals(2, limit.latencySamples.get());
        assertThrows(IllegalArgumentException.class, () -> s.release(LoadShedder.REJECTED, Outcome.SUCCESS));
    }

    @Test
    void theCounterNumbersAdmissionsAndSurvivesABorrowBelowZero() {
        InFlightCounter c = new InFlightCounter();
        assertEquals(0, c.tryAdmit(2));
        assertEquals(1, c.tryAdmit(2));
        assertEquals(InFlightCounter.NO_SLOT, c.tryAdmit(2), "threshold reached: not numbered");
        assertEquals(2, c.decrement());
        assertEquals(1, c.decrement());
        assertEquals(0, c.decrement(), "a release too many borrows from the admission count");
        assertEquals(-1, c.get());
        assertEquals(2, c.tryAdmit(2), "an admission racing the bad release keeps its number");
        c.undoDecrement();
        assertEquals(1, c.get());
        assertEquals(3, c.tryAdmit(5));
        assertEquals(2, c.get());
    }

    @Test
    void queuedAdmissionsAreAlwaysTimed() throws Exception {
        RecordingLimit one = new RecordingLimit(1, true);
        LoadShedder s = LoadShedder.builder("queued").limit(one).ticker(ticker).metrics(MetricsSink.noop())
                .sampleEvery(8).queue(1, Duration.ofSeconds(10)).build();
        s.release(s.tryAdmit(P0), Outcome.IGNORED); // admission 0: timed, teaches nothing
        long held = s.tryAdmit(P0); // admission 1: untimed, fills the limit
        CompletableFuture<Permit> waiter = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                waiter.complete(s.acquire(P0));
            } catch (Throwable e) {
                waiter.completeExceptionally(e);
            }
        });
        t.setDaemon(true);
        t.start();
        await().atMost(5, TimeUnit.SECONDS).until(() -> s.queued() == 1);
        s.release(held, Outcome.IGNORED); // hands the slot to the waiter as admission 2
        Permit permit = waiter.get(5, TimeUnit.SECONDS);
        ticker.time.advance(7, TimeUnit.MILLISECONDS);
        permit.success();
        assertEquals(List.of("rtt 7ms"), one.samples, "the waiter's call was timed though its number is 2");
        assertEquals(0, s.inFlight());
    }

    @Test
    void underManyThreadsExactlyOneAdmissionInNIsTimed() throws Exception {
        int threads = 8;
        int perThread = 20_000;
        RecordingLimit counting = new RecordingLimit(1000, false);
        LoadShedder s = LoadShedder.builder("stress").limit(counting).ticker(Ticker.system())
                .metrics(MetricsSink.noop()).sampleEvery(16).build();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Long>> admitted = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                admitted.add(pool.submit(() -> {
                    start.await();
                    long n = 0;
                    for (int i = 0; i < perThread; i++) {
                        long token = s.tryAdmit(P1);
                        if (token != LoadShedder.REJECTED) {
                            n++;
                            s.release(token, Outcome.SUCCESS);
                        }
                    }
                    return n;
                }));
            }
            start.countDown();
            long total = 0;
            for (Future<Long> f : admitted) {
                total += f.get(30, TimeUnit.SECONDS);
            }
            assertEquals((long) threads * perThread, total, "limit 1000 admits everything");
            assertEquals((total + 15) / 16, counting.latencySamples.get(), "admissions 0, 16, 32, ... are timed");
            assertEquals(0, s.inFlight());
        } finally {
            pool.shutdownNow();
        }
    }
}
