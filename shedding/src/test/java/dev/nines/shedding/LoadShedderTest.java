package dev.nines.shedding;

import static dev.nines.Priority.P0;
import static dev.nines.Priority.P1;
import static dev.nines.Priority.P2;
import static dev.nines.Priority.P3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nines.CallContext;
import dev.nines.ManualTicker;
import dev.nines.Pipeline;
import dev.nines.Ticker;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.Outcome;
import dev.nines.shedding.limit.ConcurrencyLimit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

class LoadShedderTest {

    private final ManualTicker ticker = new ManualTicker();
    private final InMemoryMetrics metrics = new InMemoryMetrics(ticker, 100);

    private LoadShedder shedder(int limit) {
        return LoadShedder.builder("api").limit(ConcurrencyLimit.fixed(limit)).ticker(ticker).metrics(metrics).build();
    }

    @Test
    void eachPriorityFillsTheLimitUpToItsShare() {
        LoadShedder s = shedder(10);
        List<Long> tokens = new ArrayList<>();
        assertEquals(10, s.threshold(P0));
        assertEquals(9, s.threshold(P1));
        assertEquals(7, s.threshold(P2));
        assertEquals(5, s.threshold(P3));
        for (int i = 0; i < 5; i++) {
            assertTrue(admitted(tokens, s.tryAdmit(P3)));
        }
        assertEquals(LoadShedder.REJECTED, s.tryAdmit(P3), "P3 stops at 50%");
        assertTrue(admitted(tokens, s.tryAdmit(P2)));
        assertTrue(admitted(tokens, s.tryAdmit(P2)));
        assertEquals(LoadShedder.REJECTED, s.tryAdmit(P2), "P2 stops at 70%");
        assertTrue(admitted(tokens, s.tryAdmit(P1)));
        assertTrue(admitted(tokens, s.tryAdmit(P1)));
        assertEquals(LoadShedder.REJECTED, s.tryAdmit(P1), "P1 stops at 90%");
        assertTrue(admitted(tokens, s.tryAdmit(P0)));
        assertEquals(LoadShedder.REJECTED, s.tryAdmit(P0), "P0 stops at the limit");
        assertEquals(10, s.inFlight());
        assertEquals(4, metrics.count("api", Outcome.SHED));
        for (long token : tokens) {
            s.release(token, Outcome.IGNORED); // the admitted calls never run: the shedder ends at rest
        }
    }

    /** Whether {@code token} admits a call; keeps it in {@code tokens} to release. */
    private static boolean admitted(List<Long> tokens, long token) {
        if (token == LoadShedder.REJECTED) {
            return false;
        }
        tokens.add(token);
        return true;
    }

    @Test
    void aTinyLimitStillAdmitsEveryPriorityIntoAnIdleService() {
        LoadShedder s = shedder(1);
        long token = s.tryAdmit(P3);
        assertTrue(token != LoadShedder.REJECTED);
        assertEquals(LoadShedder.REJECTED, s.tryAdmit(P0));
        s.release(token, Outcome.SUCCESS);
        assertEquals(0, s.inFlight());
    }

    @Test
    void permitIsReleasedExactlyOnceWhateverIsCalled() {
        LoadShedder s = shedder(10);
        Permit p = s.tryAcquire(P1);
        assertTrue(p.isAdmitted());
        assertEquals(1, s.inFlight());
        ticker.advance(Duration.ofMillis(7));
        assertTrue(p.success());
        assertFalse(p.failure());
        assertFalse(p.dropped());
        assertFalse(p.ignore());
        p.close();
        assertEquals(0, s.inFlight());
        assertEquals(1, metrics.count("api", Outcome.SUCCESS));
        assertEquals(0, metrics.count("api", Outcome.IGNORED));
        assertEquals(Duration.ofMillis(7).toNanos(), metrics.latency("api").max(), 1_000_000);
    }

    @Test
    void tryWithResourcesReleasesAsIgnoredWhenTheBodyThrows() {
        LoadShedder s = shedder(10);
        assertThrows(IllegalStateException.class, () -> {
            try (Permit p = s.tryAcquire(P2)) {
                assertTrue(p.isAdmitted());
                throw new IllegalStateException("boom");
            }
        });
        assertEquals(0, s.inFlight());
        assertEquals(1, metrics.count("api", Outcome.IGNORED));
    }

    @Test
    void aRejectedPermitIsASharedConstantThatReleasesNothing() {
        LoadShedder s = shedder(1);
        Permit held = s.tryAcquire(P0);
        Permit rejected = s.tryAcquire(P0);
        assertFalse(rejected.isAdmitted());
        assertSame(rejected, s.tryAcquire(P0));
        assertFalse(rejected.success());
        rejected.close();
        assertEquals(1, s.inFlight());
        held.close();
    }

    @Test
    void rejectingThroughTheTokenAndPermitFormsAllocatesNothing() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        LoadShedder s = LoadShedder.builder("cheap").limit(ConcurrencyLimit.fixed(1)).metrics(MetricsSink.noop())
                .ticker(ticker).build();
        long held = s.tryAdmit(P0);
        assertEquals(LoadShedder.REJECTED, s.tryAdmit(P3)); // the first rejection publishes a tier: not measured
        assertFalse(s.tryAcquire(P3).isAdmitted());
        int rejections = 10_000; // few enough to run mostly interpreted, where no allocation is optimised away
        long before = threads.getCurrentThreadAllocatedBytes();
        long admitted = 0;
        for (int i = 0; i < rejections; i++) {
            admitted += s.tryAdmit(P3) == LoadShedder.REJECTED ? 0 : 1;
            admitted += s.tryAcquire(P2).isAdmitted() ? 1 : 0;
        }
        long bytes = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(0, admitted);
        assertTrue(bytes < rejections, bytes + " bytes for " + 2 * rejections + " rejections");
        s.release(held, Outcome.SUCCESS);
    }

    @Test
    void acquireThrowsACheapShedExceptionWithPriorityAndTier() {
        LoadShedder s = shedder(2);
        long token = s.tryAdmit(P0);
        ShedException e = assertThrows(ShedException.class, () -> s.acquire(P3));
        assertEquals(P3, e.priority());
        assertEquals(Tier.REDUCED, e.tier());
        assertEquals(ShedException.Reason.OVER_LIMIT, e.reason());
        assertEquals(0, e.getStackTrace().length);
        assertEquals("load shedder 'api' shed a P3 request (OVER_LIMIT, tier REDUCED)", e.getMessage());
        assertEquals("api", e.policyName());
        s.release(token, Outcome.IGNORED); // the P0 call never runs: the shedder ends at rest
    }

    @Test
    void releasingMoreThanWasAdmittedIsReportedAndDoesNotCorruptTheCount() {
        LoadShedder s = shedder(2);
        long token = s.tryAdmit(P0);
        s.release(token, Outcome.SUCCESS);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.release(token, Outcome.SUCCESS));
        assertEquals("release without a matching admission in 'api'", e.getMessage());
        assertEquals(0, s.inFlight());
        assertThrows(IllegalArgumentException.class, () -> s.release(LoadShedder.REJECTED, Outcome.SUCCESS));
    }

    @Test
    void asPolicyTakesThePriorityFromTheContextOrTheDefault() throws Exception {
        LoadShedder s = LoadShedder.builder("api").limit(ConcurrencyLimit.fixed(2)).defaultPriority(P3).ticker(ticker)
                .metrics(metrics).build();
        Pipeline pipeline = Pipeline.of(s);
        // P3 may use 1 of 2: with one call in flight, a default (P3) call is shed, a P0 call is not
        String inner = pipeline.call(CallContext.empty(), ctx -> {
            assertThrows(ShedException.class, () -> s.call(() -> "nested P3"));
            return s.call(CallContext.empty().withPriority(P0), c -> "P0 admitted");
        });
        assertEquals("P0 admitted", inner);
        assertEquals(0, s.inFlight());
        assertEquals(2, metrics.count("api", Outcome.SUCCESS));
    }

    @Test
    void failuresAreReleasedAndRethrownUnchanged() {
        LoadShedder s = shedder(2);
        Exception boom = new java.io.IOException("boom");
        Exception thrown = assertThrows(Exception.class, () -> s.call(() -> {
            throw boom;
        }));
        assertSame(boom, thrown);
        assertEquals(0, s.inFlight());
        assertEquals(1, metrics.count("api", Outcome.FAILURE));
    }

    @Test
    void asyncCallsHoldTheirSlotUntilTheStageCompletes() throws Exception {
        LoadShedder s = shedder(1);
        CompletableFuture<String> work = new CompletableFuture<>();
        CompletableFuture<String> result = s.callAsync(() -> work).toCompletableFuture();
        assertEquals(1, s.inFlight());
        ExecutionException shed = assertThrows(ExecutionException.class,
                () -> s.callAsync(() -> CompletableFuture.completedFuture("x")).toCompletableFuture().get());
        assertTrue(shed.getCause() instanceof ShedException);
        work.complete("done");
        assertEquals("done", result.get());
        assertEquals(0, s.inFlight());
    }

    @Test
    void cancellingAnAsyncCallFreesItsSlotAtOnceAndCancelsTheWork() {
        LoadShedder s = shedder(1);
        CompletableFuture<String> work = new CompletableFuture<>(); // never completes by itself
        CompletableFuture<String> result = s.callAsync(() -> work).toCompletableFuture();
        assertEquals(1, s.inFlight());
        result.cancel(true);
        assertEquals(0, s.inFlight(), "an abandoned call holds no slot");
        assertTrue(work.isCancelled());
        work.complete("late");
        assertEquals(0, s.inFlight(), "released once, not twice");
        assertEquals(1, metrics.count("api", Outcome.IGNORED));
    }

    @Test
    void aCallWhoseDeadlineHasPassedIsDroppedBeforeItRuns() {
        LoadShedder s = shedder(5);
        CallContext ctx = CallContext.empty().withDeadline(Duration.ofMillis(10), ticker);
        ticker.advance(Duration.ofMillis(10));
        List<String> ran = new ArrayList<>();
        ShedException e = assertThrows(ShedException.class, () -> s.call(ctx, c -> ran.add("ran")));
        assertEquals(ShedException.Reason.DEADLINE_EXPIRED, e.reason());
        assertTrue(ran.isEmpty());
        assertEquals(0, s.inFlight());
    }

    @Test
    void tierFollowsTheMostImportantPriorityShedAndDecaysAfterTheHold() {
        List<String> changes = new ArrayList<>();
        LoadShedder s = LoadShedder.builder("api").limit(ConcurrencyLimit.fixed(10)).ticker(ticker).metrics(metrics)
                .tierHold(Duration.ofSeconds(1)).onTierChange((sh, from, to) -> changes.add(from + "->" + to)).build();
        List<Long> tokens = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            tokens.add(s.tryAdmit(P2));
        }
        assertEquals(Tier.FULL, s.tier());
        s.tryAdmit(P3);
        assertEquals(Tier.REDUCED, s.tier());
        s.tryAdmit(P2);
        assertEquals(Tier.ESSENTIAL, s.tier());
        ticker.advance(Duration.ofMillis(999));
        assertEquals(Tier.ESSENTIAL, s.tier());
        ticker.advance(Duration.ofMillis(1));
        s.release(tokens.remove(0), Outcome.SUCCESS);
        assertEquals(Tier.FULL, s.tier());
        assertEquals(List.of("FULL->REDUCED", "REDUCED->ESSENTIAL", "ESSENTIAL->FULL"), changes);
        assertEquals(3, metrics.transitions("api").size());
        assertEquals("FULL", metrics.state("api").orElseThrow());
        tokens.forEach(t -> s.release(t, Outcome.SUCCESS));
    }

    @Test
    void aRejectionOfAPriorityTheTierAlreadyShedsReadsNoClockAndIsDatedByTheNextRefresh() {
        AtomicLong reads = new AtomicLong();
        Ticker counting = () -> {
            reads.incrementAndGet();
            return ticker.read();
        };
        LoadShedder s = LoadShedder.builder("api").limit(ConcurrencyLimit.fixed(10)).ticker(counting).metrics(metrics)
                .tierHold(Duration.ofSeconds(1)).build();
        List<Long> tokens = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            tokens.add(s.tryAdmit(P2));
        }
        assertEquals(LoadShedder.REJECTED, s.tryAdmit(P3), "the first rejection changes the tier, by the clock");
        assertEquals(Tier.REDUCED, s.tier());

        ticker.advance(Duration.ofMillis(900));
        long before = reads.get();
        for (int i = 0; i < 100; i++) {
            assertEquals(LoadShedder.REJECTED, s.tryAdmit(P3));
        }
        assertEquals(before, reads.get(), "rejecting what the tier already sheds reads no clock");
        assertEquals(101, metrics.count("api", Outcome.SHED), "every rejection is still counted");

        ticker.advance(Duration.ofMillis(500)); // 1.4 s after the first rejection, 0.5 s after the last
        assertEquals(Tier.REDUCED, s.tier(), "the later rejections hold the tier: this read dates them");
        ticker.advance(Duration.ofMillis(999));
        assertEquals(Tier.REDUCED, s.tier(), "held a whole tierHold from the reading that dated them");
        ticker.advance(Duration.ofMillis(1));
        assertEquals(Tier.FULL, s.tier());
        tokens.forEach(t -> s.release(t, Outcome.SUCCESS));
    }

    @Test
    void aForcedTierTakesEffectForTheVeryNextAdmission() {
        LoadShedder s = shedder(100);
        s.forceTier(Tier.ESSENTIAL);
        assertEquals(Tier.ESSENTIAL, s.tier());
        ShedException e = assertThrows(ShedException.class, () -> s.acquire(P2));
        assertEquals(ShedException.Reason.FORCED_TIER, e.reason());
        assertEquals(LoadShedder.REJECTED, s.tryAdmit(P3));
        long p1 = s.tryAdmit(P1);
        assertTrue(p1 != LoadShedder.REJECTED);
        s.forceTier(Tier.CRITICAL_ONLY);
        assertEquals(LoadShedder.REJECTED, s.tryAdmit(P1));
        assertTrue(s.tryAcquire(P0).success());
        s.clearForcedTier();
        assertTrue(s.forcedTier().isEmpty());
        assertTrue(s.tryAcquire(P3).success());
        ticker.advance(Duration.ofSeconds(2));
        assertEquals(Tier.FULL, s.tier());
        s.release(p1, Outcome.SUCCESS);
    }

    @Test
    void aThrowingListenerNeverBreaksTheCall() {
        LoadShedder s = LoadShedder.builder("api").limit(ConcurrencyLimit.fixed(1)).ticker(ticker)
                .onTierChange((sh, from, to) -> {
                    throw new IllegalStateException("listener bug");
                }).build();
        long held = s.tryAdmit(P0);
        assertEquals(LoadShedder.REJECTED, s.tryAdmit(P0));
        assertEquals(Tier.CRITICAL_ONLY, s.tier());
        s.release(held, Outcome.SUCCESS);
    }

    @Test
    void gaugesReportLimitInFlightAndTier() {
        LoadShedder s = shedder(4);
        long t = s.tryAdmit(P0);
        assertEquals(4, metrics.gauge("api", LoadShedder.GAUGE_LIMIT).orElseThrow());
        assertEquals(1, metrics.gauge("api", LoadShedder.GAUGE_IN_FLIGHT).orElseThrow());
        assertEquals(0, metrics.gauge("api", LoadShedder.GAUGE_TIER).orElseThrow());
        assertTrue(metrics.gauge("api", LoadShedder.GAUGE_QUEUED).isEmpty());
        s.release(t, Outcome.SUCCESS);
    }

    @Test
    void withAFixedLimitAndNoMetricsTheClockIsNotRead() {
        long[] reads = {0};
        LoadShedder s = LoadShedder.builder("quiet").limit(ConcurrencyLimit.fixed(5)).metrics(MetricsSink.noop())
                .ticker(() -> ++reads[0]).build();
        long before = reads[0];
        s.release(s.tryAdmit(P1), Outcome.SUCCESS);
        assertEquals(before, reads[0]);
    }

    @Test
    void withADeadlineOnTheShedderTickerAnAdmissionReadsTheClockOnce() throws Exception {
        long[] reads = {0};
        Ticker counting = () -> {
            reads[0]++;
            return ticker.read();
        };
        LoadShedder s = LoadShedder.builder("once").limit(ConcurrencyLimit.fixed(5)).ticker(counting).metrics(metrics).build();
        CallContext context = CallContext.empty().withDeadline(Duration.ofSeconds(1), counting).withPriority(P1);
        long[] atCall = {0};
        long before = reads[0];
        assertEquals("sync", s.call(context, ctx -> {
            atCall[0] = reads[0];
            return "sync";
        }));
        assertEquals(1, atCall[0] - before, "deadline and start time from one reading");
        before = reads[0];
        assertEquals("async", s.executeAsync(context, ctx -> {
            atCall[0] = reads[0];
            return CompletableFuture.completedFuture("async");
        }, dev.nines.Next.END).toCompletableFuture().get());
        assertEquals(1, atCall[0] - before, "the same on the async path");
        ticker.advance(Duration.ofSeconds(1));
        before = reads[0];
        ShedException late = assertThrows(ShedException.class, () -> s.call(context, ctx -> "late"));
        assertEquals(ShedException.Reason.DEADLINE_EXPIRED, late.reason());
        assertEquals(1, reads[0] - before, "an expired deadline is shed on the same reading");
    }

    @Test
    void theCpuSignalMakesCompletionsOverloadSamples() {
        double[] cpu = {0.5};
        List<Boolean> drops = new ArrayList<>();
        ConcurrencyLimit spy = new ConcurrencyLimit() {
            @Override
            public int currentLimit() {
                return 10;
            }

            @Override
            public void onSample(long nowNanos, long rttNanos, int inFlight, boolean dropped) {
                drops.add(dropped);
            }
        };
        LoadShedder s = LoadShedder.builder("cpu").limit(spy).ticker(ticker).sampleEvery(1) // every call a sample
                .cpuSignal(() -> cpu[0], 0.9, Duration.ofSeconds(1)).build();
        s.tryAcquire(P1).success();
        cpu[0] = 0.95;
        s.tryAcquire(P1).success(); // not sampled again within the interval
        ticker.advance(Duration.ofSeconds(1));
        s.tryAcquire(P1).success();
        cpu[0] = Double.NaN; // not available: ignored
        ticker.advance(Duration.ofSeconds(1));
        s.tryAcquire(P1).success();
        assertEquals(List.of(false, false, true, false), drops);
    }

    @Test
    void cpuLoadSuppliersReadTheOperatingSystem() {
        // where the platform reports CPU load, the suppliers must read it, not fall back to "not available" (-1)
        assumeTrue(java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean, "this JVM reports no CPU load");
        double process = CpuLoad.process().getAsDouble();
        double system = CpuLoad.system().getAsDouble();
        assertTrue(process >= 0.0 && process <= 1.0, "process CPU load " + process);
        assertTrue(system >= 0.0 && system <= 1.0, "system CPU load " + system);
    }

    @Test
    void configIsExposedAndCopiedIntoANewBuilder() {
        LoadShedder s = LoadShedder.builder("api").share(P3, 0.4).ticker(ticker).build();
        LoadShedderConfig c = s.config();
        assertEquals(0.4, c.share(P3));
        assertEquals(P2, c.defaultPriority());
        assertNull(c.cpuLoad().orElse(null));
        LoadShedder copy = s.toBuilder().limit(ConcurrencyLimit.fixed(50)).build();
        assertEquals(0.4, copy.config().share(P3));
        assertEquals(20, copy.threshold(P3));
        LongSupplier unused = copy::inFlight;
        assertEquals(0, unused.getAsLong());
    }
}
