package dev.nines.circuitbreaker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.nines.ManualTicker;
import dev.nines.circuitbreaker.internal.CountWindow;
import dev.nines.circuitbreaker.internal.TimeWindow;
import dev.nines.circuitbreaker.internal.WindowCounts;
import dev.nines.metrics.MetricsSink;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Many threads hammer one instance; each test checks an invariant that a lost update would break. */
class CircuitBreakerConcurrencyTest {

    private static final int THREADS = 32;
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void halfOpenAdmitsExactlyTheProbesHoweverManyThreadsRace() throws Exception {
        for (int round = 0; round < 100; round++) {
            // far from 0, like System.nanoTime: a racer that judged the probes against a zero
            // stamp would find them abandoned and reopen, failing the HALF_OPEN check below
            ManualTicker ticker = new ManualTicker(1L << 60);
            int probes = 1 + round % 7;
            CircuitBreaker cb = CircuitBreaker.builder("race").ticker(ticker).metrics(MetricsSink.noop())
                    .countWindow(1).minimumCalls(1).halfOpenProbes(probes).openDuration(Duration.ofSeconds(1))
                    .build();
            cb.tryAcquirePermission();
            cb.onError(1, new IOException());
            ticker.advance(Duration.ofSeconds(1)); // the racers find it OPEN and past its duration
            CyclicBarrier start = new CyclicBarrier(THREADS);
            AtomicInteger admitted = new AtomicInteger();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 10; i++) {
                        if (cb.tryAcquirePermission()) {
                            admitted.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            assertEquals(probes, admitted.get(), "round " + round);
            assertEquals(CircuitState.HALF_OPEN, cb.state());
            for (int i = 0; i < probes; i++) {
                cb.releasePermission(); // the probes never run: every slot goes back
            }
        }
    }

    @Test
    void countWindowAggregateEqualsTheSumOfItsSlotsAfterRacingRecords() throws Exception {
        CountWindow w = new CountWindow(7); // small, so the ring wraps constantly under the race
        race(() -> {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            for (int i = 0; i < 20_000; i++) {
                w.record(WindowCounts.of(r.nextBoolean(), r.nextBoolean()), 0L);
                long agg = w.aggregate(0L);
                // a reader may catch a delta half-way between two threads, never an impossible sum
                if (WindowCounts.calls(agg) > 7 + THREADS || WindowCounts.failures(agg) > 7 + THREADS) {
                    throw new AssertionError("impossible aggregate " + agg);
                }
            }
        });
        long agg = w.aggregate(0L);
        assertEquals(7, WindowCounts.calls(agg));
        for (int i = 0; i < 7; i++) {
            w.record(WindowCounts.CALL, 0L);
        }
        // every slot now holds a plain success: only an exact aggregate reads (7, 0, 0)
        assertEquals(WindowCounts.pack(7, 0, 0), w.aggregate(0L));
    }

    @Test
    void timeWindowAggregateStaysExactWhileBucketsRollUnderRacingRecords() throws Exception {
        ManualTicker ticker = new ManualTicker();
        TimeWindow w = new TimeWindow(3, 1_000_000L, ticker.read());
        AtomicInteger running = new AtomicInteger(THREADS - 1);
        AtomicInteger roles = new AtomicInteger();
        race(() -> {
            if (roles.getAndIncrement() == 0) { // one thread moves the clock
                while (running.get() > 0) {
                    ticker.advance(50_000L); // the clock moves while others record
                }
                return;
            }
            ThreadLocalRandom r = ThreadLocalRandom.current();
            for (int i = 0; i < 20_000; i++) {
                w.record(WindowCounts.of(r.nextBoolean(), r.nextBoolean()), ticker.read());
            }
            running.decrementAndGet();
        });
        ticker.advance(3_000_000L); // everything expires
        assertEquals(0L, w.aggregate(ticker.read()));
        w.record(WindowCounts.of(true, false), ticker.read());
        assertEquals(WindowCounts.pack(1, 1, 0), w.aggregate(ticker.read()));
    }

    @Test
    void mixedRacingTrafficNeverLeaksAPermitSoTheBreakerCanAlwaysRecover() throws Exception {
        ManualTicker ticker = new ManualTicker();
        int probes = 3;
        // probes never time out here: a leaked permit would wedge HALF_OPEN and fail the end check
        CircuitBreaker cb = CircuitBreaker.builder("mixed").ticker(ticker).metrics(MetricsSink.noop())
                .countWindow(10).minimumCalls(10).halfOpenProbes(probes).openDuration(Duration.ofMillis(1))
                .maxProbeDuration(Duration.ofDays(1)).build();
        race(() -> {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            for (int i = 0; i < 5_000; i++) {
                if (r.nextInt(50) == 0) {
                    ticker.advance(Duration.ofMillis(1));
                }
                int what = r.nextInt(10);
                if (what < 3) {
                    try {
                        cb.call(() -> {
                            throw new IOException();
                        });
                    } catch (Exception expected) {
                        // failure or rejection
                    }
                } else if (what == 3) {
                    try {
                        cb.call(() -> {
                            throw new StackOverflowError("an Error");
                        });
                    } catch (Exception | StackOverflowError expected) {
                        // failure or rejection
                    }
                } else if (cb.tryAcquirePermission()) {
                    if (what < 9) {
                        cb.onSuccess(1);
                    } else {
                        cb.releasePermission();
                    }
                }
            }
        });
        ticker.advance(Duration.ofMillis(1));
        for (int i = 0; i < probes && cb.state() != CircuitState.CLOSED; i++) {
            assertEquals(true, cb.tryAcquirePermission(), "a probe slot is free in " + cb.state());
            cb.onSuccess(1);
        }
        assertEquals(CircuitState.CLOSED, cb.state());
    }

    @Test
    void racingRecordsThatFillTheWindowOverTheThresholdOpenItWhicheverOutcomeLandsLast() throws Exception {
        for (int round = 0; round < 60; round++) {
            CircuitBreakerBuilder b = CircuitBreaker.builder("fill").ticker(new ManualTicker())
                    .metrics(MetricsSink.noop()).minimumCalls(100).failureRateThreshold(0.5);
            CircuitBreaker cb = (round % 2 == 0 ? b.countWindow(100) : b.timeWindow(Duration.ofSeconds(10))).build();
            AtomicInteger tickets = new AtomicInteger();
            race(() -> {
                // 100 records, 3 in 5 failed; the last tickets are successes, so whichever
                // record's add completes the window is as likely a success as a failure
                for (int t = tickets.getAndIncrement(); t < 100; t = tickets.getAndIncrement()) {
                    if (!cb.tryAcquirePermission()) {
                        throw new AssertionError("rejected while filling, at ticket " + t);
                    }
                    if (t % 5 < 3 && t < 95) {
                        cb.onError(1, new IOException());
                    } else {
                        cb.onSuccess(1);
                    }
                }
            });
            assertEquals(CircuitState.OPEN, cb.state(), "round " + round + ": 57 of 100 failed");
        }
    }

    @Test
    void listenersAndTheSinkHearRacingTransitionsInTheOrderTheyHappened() throws Exception {
        Chain listener = new Chain();
        Chain sink = new Chain();
        CircuitBreaker cb = CircuitBreaker.builder("ordered").ticker(new ManualTicker())
                .metrics(new MetricsSink() {
                    @Override
                    public void onTransition(String policy, String kind, String from, String to) {
                        sink.heard(CircuitState.valueOf(from), CircuitState.valueOf(to));
                    }
                })
                .listener(new CircuitBreakerListener() {
                    @Override
                    public void onStateChange(CircuitBreaker b, CircuitState from, CircuitState to) {
                        listener.heard(from, to);
                    }
                }).build();
        CyclicBarrier start = new CyclicBarrier(2);
        // 2 x 25,000 x 2 = 10^5 moves; almost all change the state, and each thread's next move
        // often lands between another thread's CAS and its announcement
        Future<?> a = pool.submit(() -> {
            start.await();
            for (int i = 0; i < 25_000; i++) {
                cb.forceOpen();
                cb.reset();
            }
            return null;
        });
        Future<?> b = pool.submit(() -> {
            start.await();
            for (int i = 0; i < 25_000; i++) {
                cb.disable();
                cb.reset();
            }
            return null;
        });
        a.get();
        b.get();
        for (Chain c : List.of(listener, sink)) {
            assertNull(c.broken, c == listener ? "listener" : "sink");
            assertEquals(cb.state(), c.last, "at quiescence the last transition heard is the state");
        }
        assertEquals(listener.count, sink.count);
    }

    /** Checks that each transition heard starts where the one before it ended. */
    private static final class Chain {
        volatile CircuitState last = CircuitState.CLOSED;
        volatile String broken;
        volatile long count;

        void heard(CircuitState from, CircuitState to) {
            if (from != last && broken == null) {
                broken = "heard " + from + "->" + to + " right after ->" + last + " (transition " + count + ")";
            }
            last = to;
            count++;
        }
    }

    private void race(Runnable body) throws Exception {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            done.add(pool.submit(() -> {
                start.await();
                body.run();
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
    }
}
