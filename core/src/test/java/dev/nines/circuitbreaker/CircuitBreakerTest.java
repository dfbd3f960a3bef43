package dev.nines.circuitbreaker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.FailureFilter;
import dev.nines.ManualTicker;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.Outcome;
import dev.nines.metrics.Transition;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    private final ManualTicker ticker = new ManualTicker();
    private final InMemoryMetrics metrics = new InMemoryMetrics(ticker, 100);

    private CircuitBreakerBuilder builder() {
        return CircuitBreaker.builder("cb").ticker(ticker).metrics(metrics)
                .countWindow(10).minimumCalls(5).failureRateThreshold(0.5)
                .openDuration(Duration.ofSeconds(10)).halfOpenProbes(2);
    }

    private static void fail(CircuitBreaker cb) {
        assertTrue(cb.tryAcquirePermission());
        cb.onError(1, new IOException("boom"));
    }

    private static void succeed(CircuitBreaker cb) {
        assertTrue(cb.tryAcquirePermission());
        cb.onSuccess(1);
    }

    @Test
    void staysClosedBelowMinimumCallsThenOpensAtFailureRate() {
        CircuitBreaker cb = builder().build();
        succeed(cb);
        succeed(cb);
        fail(cb);
        fail(cb); // 4 calls, 50% but below minimumCalls 5
        assertEquals(CircuitState.CLOSED, cb.state());
        assertEquals(-1f, cb.failureRate());
        fail(cb); // 5 calls, 60%
        assertEquals(CircuitState.OPEN, cb.state());
        assertEquals(List.of("CLOSED->OPEN"), transitions());
    }

    @Test
    void failureRateJustBelowThresholdDoesNotOpen() {
        CircuitBreaker cb = builder().failureRateThreshold(0.6).build();
        succeed(cb);
        succeed(cb);
        succeed(cb);
        fail(cb);
        fail(cb); // 40%
        assertEquals(CircuitState.CLOSED, cb.state());
        assertEquals(0.4f, cb.failureRate());
        assertEquals(5, cb.bufferedCalls());
    }

    @Test
    void opensOnSlowCallRate() throws Exception {
        CircuitBreaker cb = builder().slowCallDurationThreshold(Duration.ofSeconds(1)).slowCallRateThreshold(0.5)
                .build();
        for (int i = 0; i < 2; i++) {
            cb.call(() -> "fast");
        }
        for (int i = 0; i < 2; i++) {
            cb.call(() -> ticker.advance(Duration.ofSeconds(1))); // exactly the threshold is slow
        }
        assertEquals(CircuitState.CLOSED, cb.state());
        assertEquals(-1f, cb.slowCallRate());
        cb.call(() -> ticker.advance(Duration.ofMillis(999))); // fast: slow rate 2/5 = 40%
        assertEquals(0.4f, cb.slowCallRate());
        cb.call(() -> ticker.advance(Duration.ofSeconds(2))); // 3/6 = 50%
        assertEquals(CircuitState.OPEN, cb.state());
        assertEquals(6, metrics.count("cb", Outcome.SUCCESS));
    }

    @Test
    void countWindowForgetsCallsThatSlideOut() {
        CircuitBreaker cb = builder().countWindow(4).minimumCalls(4).build();
        fail(cb);
        succeed(cb);
        succeed(cb);
        succeed(cb); // [F S S S] 25%
        succeed(cb); // [S S S S]
        fail(cb); // [S S S F] 25%
        assertEquals(CircuitState.CLOSED, cb.state());
        assertEquals(0.25f, cb.failureRate());
        fail(cb); // [S S F F] 50%
        assertEquals(CircuitState.OPEN, cb.state());
    }

    @Test
    void timeWindowExpiresBucketsLazily() {
        CircuitBreaker cb = builder().timeWindow(Duration.ofSeconds(10)).minimumCalls(4).build();
        fail(cb);
        fail(cb);
        fail(cb); // t=0: 3 calls, below minimum
        ticker.advance(Duration.ofSeconds(10)); // the t=0 bucket is out of the window now
        assertEquals(0, cb.bufferedCalls());
        fail(cb);
        assertEquals(CircuitState.CLOSED, cb.state());
        ticker.advance(Duration.ofSeconds(5));
        succeed(cb);
        succeed(cb);
        ticker.advance(Duration.ofSeconds(4)); // t=19: buckets 10..19 hold F, S, S
        assertEquals(3, cb.bufferedCalls());
        fail(cb); // 4 calls, 2 failed: 50%
        assertEquals(CircuitState.OPEN, cb.state());
    }

    @Test
    void theSuccessThatBringsACountWindowToMinimumCallsOpensItWhenTheRateIsOverTheThreshold() {
        CircuitBreaker cb = builder().build(); // 10 calls, minimum 5, 50%
        for (int i = 0; i < 4; i++) {
            fail(cb);
        }
        assertEquals(CircuitState.CLOSED, cb.state(), "four calls: below the minimum");
        succeed(cb); // five calls, four failed: 80%
        assertEquals(CircuitState.OPEN, cb.state());
        assertEquals(List.of("CLOSED->OPEN"), transitions());
    }

    @Test
    void theSuccessThatBringsATimeWindowToMinimumCallsOpensItWhenTheRateIsOverTheThreshold() {
        CircuitBreaker cb = builder().timeWindow(Duration.ofSeconds(10)).build();
        for (int i = 0; i < 4; i++) {
            fail(cb);
        }
        ticker.advance(Duration.ofSeconds(1));
        succeed(cb); // five calls, four failed: 80%
        assertEquals(CircuitState.OPEN, cb.state());
    }

    @Test
    void whenSuccessesAgeOutOfATimeWindowTheNextSuccessOpensItOnTheFailuresLeft() {
        CircuitBreaker cb = builder().timeWindow(Duration.ofSeconds(10)).build();
        for (int i = 0; i < 6; i++) {
            succeed(cb); // t=0
        }
        ticker.advance(Duration.ofSeconds(5));
        for (int i = 0; i < 4; i++) {
            fail(cb); // t=5: ten calls, 40%
        }
        assertEquals(CircuitState.CLOSED, cb.state());
        ticker.advance(Duration.ofSeconds(5)); // t=10: the six successes are out of the window
        succeed(cb); // five calls, four failed: 80%
        assertEquals(CircuitState.OPEN, cb.state());
    }

    @Test
    void successesThatKeepTheRateUnderTheThresholdLeaveItClosed() {
        CircuitBreaker cb = builder().build();
        fail(cb);
        fail(cb);
        for (int i = 0; i < 3; i++) {
            succeed(cb); // five calls, 40%
        }
        for (int i = 0; i < 20; i++) {
            succeed(cb);
        }
        assertEquals(CircuitState.CLOSED, cb.state());
        assertEquals(0f, cb.failureRate());
    }

    @Test
    void anOpenStayThatCrossesTheTickerWrapLastsItsFullDuration() {
        ManualTicker nearWrap = new ManualTicker(Long.MAX_VALUE - Duration.ofSeconds(5).toNanos());
        CircuitBreaker cb = builder().ticker(nearWrap).build(); // open 10 s
        for (int i = 0; i < 5; i++) {
            fail(cb);
        }
        nearWrap.advance(Duration.ofSeconds(6)); // past Long.MAX_VALUE: readings are negative now
        assertFalse(cb.tryAcquirePermission(), "4 s of the stay are left");
        assertEquals(CircuitState.OPEN, cb.state());
        nearWrap.advance(Duration.ofSeconds(4));
        assertTrue(cb.tryAcquirePermission());
        assertEquals(CircuitState.HALF_OPEN, cb.state());
        cb.releasePermission(); // the probe never runs: its slot goes back, leaving the breaker at rest
    }

    @Test
    void aCallAtTickerReadingLongMinValueReadsTheClockOnlyToTimeItself() throws Exception {
        ManualTicker atMin = new ManualTicker(Long.MIN_VALUE);
        long[] reads = {0};
        CircuitBreaker cb = builder().ticker(() -> {
            reads[0]++;
            return atMin.read();
        }).timeWindow(Duration.ofSeconds(10)).build();
        long before = reads[0];
        assertEquals("ok", cb.call(() -> "ok"));
        assertEquals(before + 2, reads[0], "one reading at the start, one at the end, both Long.MIN_VALUE");
        assertEquals(1, cb.bufferedCalls());
    }

    @Test
    void aTimeWindowAcrossTheTickerWrapKeepsCallsForItsSpanAndThenForgetsThem() {
        ManualTicker nearWrap = new ManualTicker(Long.MAX_VALUE - Duration.ofSeconds(2).toNanos());
        CircuitBreaker cb = builder().ticker(nearWrap).timeWindow(Duration.ofSeconds(10)).build();
        fail(cb);
        fail(cb);
        nearWrap.advance(Duration.ofSeconds(5)); // across the wrap
        succeed(cb);
        assertEquals(3, cb.bufferedCalls());
        nearWrap.advance(Duration.ofSeconds(5)); // the first two are 10 s old
        assertEquals(1, cb.bufferedCalls());
    }

    @Test
    void timeWindowKeepsCallsWithinTheSpan() {
        CircuitBreaker cb = builder().timeWindow(Duration.ofSeconds(3)).minimumCalls(3).build();
        fail(cb);
        ticker.advance(Duration.ofMillis(1_500));
        succeed(cb);
        ticker.advance(Duration.ofMillis(1_499)); // t=2.999 s: both buckets still in the window
        fail(cb);
        assertEquals(CircuitState.OPEN, cb.state());
    }

    @Test
    void openRejectsWithRetryAfterThenAdmitsExactlyTheProbes() {
        CircuitBreaker cb = builder().build();
        for (int i = 0; i < 5; i++) {
            fail(cb);
        }
        ticker.advance(Duration.ofSeconds(4));
        CircuitBreakerOpenException e = assertThrows(CircuitBreakerOpenException.class,
                () -> cb.call(() -> "never"));
        assertEquals(Optional.of(Duration.ofSeconds(6)), e.retryAfter());
        assertEquals(CircuitState.OPEN, e.state());
        assertEquals("cb", e.policyName());
        assertEquals(0, e.getStackTrace().length);
        assertEquals(1, metrics.count("cb", Outcome.REJECTED));

        ticker.advance(Duration.ofSeconds(6));
        assertTrue(cb.tryAcquirePermission());
        assertEquals(CircuitState.HALF_OPEN, cb.state());
        assertTrue(cb.tryAcquirePermission());
        assertFalse(cb.tryAcquirePermission()); // only two probes
        cb.onSuccess(1);
        assertEquals(CircuitState.HALF_OPEN, cb.state());
        cb.onSuccess(1);
        assertEquals(CircuitState.CLOSED, cb.state());
        assertEquals(0, cb.bufferedCalls()); // a fresh window
        assertEquals(List.of("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED"), transitions());
    }

    @Test
    void failedProbeReopensWithoutWaitingForTheOthers() {
        CircuitBreaker cb = builder().halfOpenProbes(4).build();
        for (int i = 0; i < 5; i++) {
            fail(cb);
        }
        ticker.advance(Duration.ofSeconds(10));
        succeed(cb);
        fail(cb);
        assertEquals(CircuitState.HALF_OPEN, cb.state()); // 1 of 4 failed: 25%
        fail(cb); // 2 of 4: 50% whatever the last probe does
        assertEquals(CircuitState.OPEN, cb.state());
    }

    @Test
    void slowProbesReopenTheBreaker() {
        CircuitBreaker cb = builder().halfOpenProbes(2).slowCallDurationThreshold(Duration.ofSeconds(1))
                .slowCallRateThreshold(0.5).build();
        for (int i = 0; i < 5; i++) {
            fail(cb);
        }
        ticker.advance(Duration.ofSeconds(10));
        assertTrue(cb.tryAcquirePermission());
        assertTrue(cb.tryAcquirePermission());
        cb.onSuccess(Duration.ofMillis(10).toNanos());
        assertEquals(CircuitState.HALF_OPEN, cb.state());
        cb.onSuccess(Duration.ofSeconds(3).toNanos()); // succeeded, but slow: 1 of 2 probes = 50%
        assertEquals(CircuitState.OPEN, cb.state(), "a dependency that answers slowly is not recovered");
        assertEquals(List.of("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN"), transitions());
    }

    @Test
    void slowCallsTripATimeWindowAndAgeOutOfIt() {
        CircuitBreaker cb = builder().timeWindow(Duration.ofSeconds(10)).minimumCalls(4)
                .slowCallDurationThreshold(Duration.ofSeconds(1)).slowCallRateThreshold(0.75).build();
        long slow = Duration.ofSeconds(2).toNanos();
        for (int i = 0; i < 3; i++) {
            assertTrue(cb.tryAcquirePermission());
            cb.onSuccess(slow);
        }
        ticker.advance(Duration.ofSeconds(10)); // the three slow calls leave the window
        succeed(cb);
        for (int i = 0; i < 2; i++) {
            assertTrue(cb.tryAcquirePermission());
            cb.onSuccess(slow);
        }
        assertEquals(CircuitState.CLOSED, cb.state(), "3 calls in the window, below minimumCalls");
        assertTrue(cb.tryAcquirePermission());
        cb.onSuccess(slow); // 3 of 4 slow: 75%
        assertEquals(CircuitState.OPEN, cb.state());
    }

    @Test
    void openDurationGrowsAcrossConsecutiveOpeningsUpToTheCapAndResetsOnClose() {
        CircuitBreaker cb = builder().halfOpenProbes(1).openDurationGrowth(2.0, Duration.ofSeconds(35)).build();
        for (int i = 0; i < 5; i++) {
            fail(cb);
        }
        long[] expected = {10, 20, 35, 35};
        for (long seconds : expected) {
            ticker.advance(Duration.ofSeconds(seconds - 1));
            assertFalse(cb.tryAcquirePermission(), "still open before " + seconds + " s");
            ticker.advance(Duration.ofSeconds(1));
            fail(cb); // the probe fails: reopen, longer
            assertEquals(CircuitState.OPEN, cb.state());
        }
        ticker.advance(Duration.ofSeconds(35));
        succeed(cb);
        assertEquals(CircuitState.CLOSED, cb.state());
        for (int i = 0; i < 5; i++) {
            fail(cb);
        }
        ticker.advance(Duration.ofSeconds(10)); // back to the first duration
        assertTrue(cb.tryAcquirePermission());
        cb.releasePermission(); // the probe never runs: its slot goes back, leaving the breaker at rest
    }

    @Test
    void forcedOpenAndDisabledAndBackToClosed() {
        CircuitBreaker cb = builder().build();
        cb.forceOpen();
        assertEquals(CircuitState.FORCED_OPEN, cb.state());
        ticker.advance(Duration.ofDays(1));
        CircuitBreakerOpenException e = assertThrows(CircuitBreakerOpenException.class, cb::acquirePermission);
        assertEquals(Optional.empty(), e.retryAfter());
        cb.disable();
        for (int i = 0; i < 50; i++) {
            fail(cb);
        }
        assertEquals(CircuitState.DISABLED, cb.state());
        cb.reset();
        assertEquals(CircuitState.CLOSED, cb.state());
        assertEquals(0, cb.bufferedCalls());
        assertEquals(List.of("CLOSED->FORCED_OPEN", "FORCED_OPEN->DISABLED", "DISABLED->CLOSED"), transitions());
    }

    @Test
    void ignoredExceptionsCountForNothingAndOthersCanCountAsSuccess() {
        CircuitBreaker cb = builder().failures(FailureFilter.on(IOException.class).ignoring(IllegalStateException.class))
                .build();
        for (int i = 0; i < 10; i++) {
            assertTrue(cb.tryAcquirePermission());
            cb.onError(1, new IllegalStateException("ignored"));
        }
        assertEquals(0, cb.bufferedCalls());
        assertEquals(10, metrics.count("cb", Outcome.IGNORED));
        for (int i = 0; i < 3; i++) {
            assertTrue(cb.tryAcquirePermission());
            cb.onError(1, new IllegalArgumentException("not recorded: a success"));
        }
        fail(cb);
        fail(cb);
        assertEquals(CircuitState.CLOSED, cb.state()); // 2 of 5
        fail(cb);
        assertEquals(CircuitState.OPEN, cb.state());
    }

    @Test
    void errorsAreFailuresEvenWhenOnlyCertainExceptionsAreRecorded() {
        CircuitBreaker cb = builder().failures(FailureFilter.on(IOException.class)).minimumCalls(1).build();
        assertThrows(AssertionError.class, () -> cb.call(() -> {
            throw new AssertionError("an Error");
        }));
        assertEquals(CircuitState.OPEN, cb.state());
    }

    @Test
    void failureResultsCount() throws Exception {
        CircuitBreaker cb = builder().failures(FailureFilter.exceptions().failingResults(r -> r instanceof Integer && (Integer) r >= 500))
                .build();
        for (int i = 0; i < 4; i++) {
            assertEquals(503, cb.call(() -> 503));
        }
        assertEquals(CircuitState.CLOSED, cb.state());
        assertTrue(cb.tryAcquirePermission());
        cb.onResult(1, 500);
        assertEquals(CircuitState.OPEN, cb.state());
        assertEquals(5, metrics.count("cb", Outcome.FAILURE));
    }

    @Test
    void ignoredResultsCountForNothing() throws Exception {
        CircuitBreaker cb = builder().failures(FailureFilter.exceptions().failingResults(r -> (Integer) r >= 500)
                .ignoringResults(r -> (Integer) r == 404)).build();
        for (int i = 0; i < 10; i++) {
            assertEquals(404, cb.call(() -> 404));
        }
        assertEquals(0, cb.bufferedCalls(), "a 404 is neither a success nor a failure");
        assertEquals(10, metrics.count("cb", Outcome.IGNORED));
        for (int i = 0; i < 5; i++) {
            cb.call(() -> 503);
        }
        assertEquals(CircuitState.OPEN, cb.state(), "five failures and no successes diluting them");
    }

    @Test
    void releasedPermissionFreesTheProbeSlot() {
        CircuitBreaker cb = builder().halfOpenProbes(1).build();
        for (int i = 0; i < 5; i++) {
            fail(cb);
        }
        ticker.advance(Duration.ofSeconds(10));
        assertTrue(cb.tryAcquirePermission());
        assertFalse(cb.tryAcquirePermission());
        cb.releasePermission();
        assertTrue(cb.tryAcquirePermission());
        cb.onSuccess(1);
        assertEquals(CircuitState.CLOSED, cb.state());
    }

    @Test
    void abandonedProbeReopensAfterMaxProbeDuration() {
        CircuitBreaker cb = builder().halfOpenProbes(1).maxProbeDuration(Duration.ofSeconds(30)).build();
        for (int i = 0; i < 5; i++) {
            fail(cb);
        }
        ticker.advance(Duration.ofSeconds(10));
        assertTrue(cb.tryAcquirePermission()); // ... and never reported
        ticker.advance(Duration.ofSeconds(29));
        assertFalse(cb.tryAcquirePermission());
        assertEquals(CircuitState.HALF_OPEN, cb.state());
        ticker.advance(Duration.ofSeconds(1));
        assertFalse(cb.tryAcquirePermission()); // reopened: the missing outcome counts as a failure
        assertEquals(CircuitState.OPEN, cb.state());
        ticker.advance(Duration.ofSeconds(10));
        succeed(cb);
        assertEquals(CircuitState.CLOSED, cb.state());
        cb.onSuccess(1); // the long-lost probe finally reports to the new state: harmless
        assertEquals(CircuitState.CLOSED, cb.state());
    }

    @Test
    void aSilentProbeReopensEvenWhenTheOutcomesThatArrivedWereGood() {
        CircuitBreaker cb = builder().halfOpenProbes(3).maxProbeDuration(Duration.ofSeconds(30))
                .openDurationGrowth(2.0, Duration.ofSeconds(60)).build();
        for (int i = 0; i < 5; i++) {
            fail(cb);
        }
        ticker.advance(Duration.ofSeconds(10));
        succeed(cb);
        succeed(cb);
        assertTrue(cb.tryAcquirePermission()); // the third probe never reports
        assertEquals(CircuitState.HALF_OPEN, cb.state());
        ticker.advance(Duration.ofSeconds(30));
        assertFalse(cb.tryAcquirePermission());
        assertEquals(CircuitState.OPEN, cb.state(), "two good outcomes of three do not outweigh a silent probe");
        ticker.advance(Duration.ofSeconds(19));
        assertFalse(cb.tryAcquirePermission(), "a consecutive opening: twice the open duration");
        ticker.advance(Duration.ofSeconds(1));
        assertTrue(cb.tryAcquirePermission());
        assertEquals(List.of("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN", "OPEN->HALF_OPEN"), transitions());
        cb.releasePermission(); // the probe never runs: its slot goes back, leaving the breaker at rest
    }

    @Test
    void halfOpenOnAClockFarFromZeroWaitsTheFullProbeDuration() {
        ManualTicker far = new ManualTicker(1L << 60);
        CircuitBreaker cb = CircuitBreaker.builder("far").ticker(far).metrics(metrics)
                .countWindow(10).minimumCalls(5).openDuration(Duration.ofSeconds(10)).halfOpenProbes(1)
                .maxProbeDuration(Duration.ofSeconds(30)).build();
        for (int i = 0; i < 5; i++) {
            fail(cb);
        }
        far.advance(Duration.ofSeconds(10));
        assertTrue(cb.tryAcquirePermission());
        assertFalse(cb.tryAcquirePermission());
        far.advance(Duration.ofSeconds(29));
        assertFalse(cb.tryAcquirePermission());
        assertEquals(CircuitState.HALF_OPEN, cb.state(), "the probe is judged from its admission, not from 0");
        far.advance(Duration.ofSeconds(1));
        assertFalse(cb.tryAcquirePermission());
        assertEquals(CircuitState.OPEN, cb.state());
    }

    @Test
    void aResultPredicateThrowingAnErrorCountsAsAFailureAndKeepsTheResult() throws Exception {
        CircuitBreaker cb = builder().halfOpenProbes(1).failures(FailureFilter.exceptions().failingResults(r -> {
            throw new AssertionError("predicate bug");
        })).build();
        for (int i = 0; i < 5; i++) {
            fail(cb);
        }
        ticker.advance(Duration.ofSeconds(10));
        assertEquals("fine", cb.call(() -> "fine"), "the call's own result is not lost");
        assertEquals(CircuitState.OPEN, cb.state(), "the probe settled, as a failure, not left holding its slot");
        assertEquals(6, metrics.count("cb", Outcome.FAILURE), "five to open, one for the probe");
    }

    @Test
    void anExceptionPredicateThrowingAnErrorLetsTheCallsOwnFailureThrough() {
        CircuitBreaker cb = builder().halfOpenProbes(1).failures(FailureFilter.onlyIf(t -> {
            throw new AssertionError("predicate bug");
        })).build();
        for (int i = 0; i < 5; i++) {
            fail(cb);
        }
        assertEquals(CircuitState.OPEN, cb.state(), "each predicate failure counted as a failure");
        ticker.advance(Duration.ofSeconds(10));
        IOException e = assertThrows(IOException.class, () -> cb.call(() -> {
            throw new IOException("real");
        }));
        assertEquals("real", e.getMessage());
        assertEquals(CircuitState.OPEN, cb.state());
    }

    @Test
    void aVirtualMachineErrorFromAPredicatePassesOnButStillSettlesTheProbe() {
        CircuitBreaker cb = builder().halfOpenProbes(1).failures(FailureFilter.exceptions().failingResults(r -> {
            throw new StackOverflowError("deep");
        })).build();
        for (int i = 0; i < 5; i++) {
            fail(cb);
        }
        ticker.advance(Duration.ofSeconds(10));
        StackOverflowError e = assertThrows(StackOverflowError.class, () -> cb.call(() -> "fine"));
        assertEquals("deep", e.getMessage());
        assertEquals(CircuitState.OPEN, cb.state(), "settled as a failure before the error went on");
        ticker.advance(Duration.ofSeconds(10));
        assertTrue(cb.tryAcquirePermission(), "not wedged in HALF_OPEN");
        cb.releasePermission(); // the probe never runs: its slot goes back, leaving the breaker at rest
    }

    @Test
    void errorThrownByAProbeDoesNotLeakItsPermit() {
        CircuitBreaker cb = builder().halfOpenProbes(1).failureRateThreshold(1.0).build();
        for (int i = 0; i < 5; i++) {
            fail(cb);
        }
        ticker.advance(Duration.ofSeconds(10));
        assertThrows(OutOfMemoryError.class, () -> cb.call(() -> {
            throw new OutOfMemoryError("simulated");
        }));
        assertEquals(CircuitState.OPEN, cb.state()); // decided at once, not wedged in HALF_OPEN
        ticker.advance(Duration.ofSeconds(10));
        assertTrue(cb.tryAcquirePermission());
        cb.releasePermission(); // the probe never runs: its slot goes back, leaving the breaker at rest
    }

    @Test
    void ignoredProbeOutcomeGivesTheSlotBack() throws Exception {
        CircuitBreaker cb = builder().halfOpenProbes(1)
                .failures(FailureFilter.exceptions().ignoring(IllegalStateException.class)).build();
        for (int i = 0; i < 5; i++) {
            fail(cb);
        }
        ticker.advance(Duration.ofSeconds(10));
        assertThrows(IllegalStateException.class, () -> cb.call(() -> {
            throw new IllegalStateException();
        }));
        assertEquals(CircuitState.HALF_OPEN, cb.state());
        assertEquals("ok", cb.call(() -> "ok"));
        assertEquals(CircuitState.CLOSED, cb.state());
    }

    @Test
    void lateOutcomeOfACallAdmittedBeforeOpeningIsNotAProbe() throws Exception {
        CircuitBreaker cb = builder().halfOpenProbes(1).build();
        String result = cb.call(() -> {
            for (int i = 0; i < 5; i++) {
                fail(cb); // other calls open the breaker while this one runs
            }
            ticker.advance(Duration.ofSeconds(10));
            assertTrue(cb.tryAcquirePermission()); // a probe is out
            return "late";
        });
        assertEquals("late", result);
        assertEquals(CircuitState.HALF_OPEN, cb.state()); // the late success went to the old window
        cb.onSuccess(1);
        assertEquals(CircuitState.CLOSED, cb.state());
    }

    @Test
    void throwingListenerAndSinkDoNotBreakTheCall() throws Exception {
        List<String> heard = new ArrayList<>();
        CircuitBreaker cb = builder().minimumCalls(1).countWindow(1)
                .metrics(new dev.nines.metrics.MetricsSink() {
                    @Override
                    public void onOutcome(String p, String k, Outcome o, long d) {
                        throw new IllegalStateException("sink");
                    }

                    @Override
                    public void onTransition(String p, String k, String f, String t) {
                        throw new IllegalStateException("sink");
                    }
                })
                .listener(new CircuitBreakerListener() {
                    @Override
                    public void onStateChange(CircuitBreaker b, CircuitState from, CircuitState to) {
                        throw new IllegalStateException("listener");
                    }

                    @Override
                    public void onCallRejected(CircuitBreaker b, CircuitState state) {
                        throw new IllegalStateException("listener");
                    }
                })
                .listener(new CircuitBreakerListener() {
                    @Override
                    public void onStateChange(CircuitBreaker b, CircuitState from, CircuitState to) {
                        heard.add(from + "->" + to);
                    }
                })
                .build();
        assertEquals("ok", cb.call(() -> "ok"));
        IOException io = assertThrows(IOException.class, () -> cb.call(() -> {
            throw new IOException("the call's own failure");
        }));
        assertEquals("the call's own failure", io.getMessage());
        assertEquals(CircuitState.OPEN, cb.state());
        assertThrows(CircuitBreakerOpenException.class, () -> cb.call(() -> "rejected"));
        assertEquals(List.of("CLOSED->OPEN"), heard); // the second listener still hears
    }

    @Test
    void gaugesReadTheBreaker() {
        CircuitBreaker cb = builder().build();
        succeed(cb);
        assertEquals(0L, metrics.gauge("cb", "state").getAsLong());
        assertEquals(1L, metrics.gauge("cb", "buffered_calls").getAsLong());
        assertEquals(-1L, metrics.gauge("cb", "failure_rate_percent").getAsLong());
        assertEquals(-1L, metrics.gauge("cb", "slow_call_rate_percent").getAsLong());
        cb.forceOpen();
        assertEquals((long) CircuitState.FORCED_OPEN.ordinal(), metrics.gauge("cb", "state").getAsLong());
    }

    @Test
    void theRateReadingsAreFractionsAndOnlyTheLongGaugesArePercent() {
        CircuitBreaker cb = builder().countWindow(3).minimumCalls(3).failureRateThreshold(1.0).build();
        succeed(cb);
        fail(cb);
        fail(cb); // 2 of 3
        assertEquals(CircuitState.CLOSED, cb.state());
        assertEquals(2f / 3, cb.failureRate());
        assertEquals(0f, cb.slowCallRate());
        assertEquals(66L, metrics.gauge("cb", "failure_rate_percent").getAsLong()); // truncated, as before
        assertEquals(0L, metrics.gauge("cb", "slow_call_rate_percent").getAsLong());
    }

    @Test
    void aFractionalThresholdOpensAtExactlyItsRateWithoutRoundingAboveIt() {
        // 0.28 * 25 is 7.000000000000001 in doubles: a multiplying check would need an 8th failure.
        CircuitBreaker cb = builder().countWindow(25).minimumCalls(25).failureRateThreshold(0.28).build();
        for (int i = 0; i < 18; i++) {
            succeed(cb);
        }
        for (int i = 0; i < 6; i++) {
            fail(cb);
        }
        assertEquals(CircuitState.CLOSED, cb.state());
        fail(cb); // 7 of 25 is exactly 28%
        assertEquals(CircuitState.OPEN, cb.state());
    }

    @Test
    void aHalfOpenProbeRateAtExactlyAFractionalThresholdReopens() {
        // 0.28 * 25 is 7.000000000000001 in doubles; 7 failed probes of 25 must still reopen.
        CircuitBreaker cb = builder().failureRateThreshold(0.28).halfOpenProbes(25).build();
        for (int i = 0; i < 5; i++) {
            fail(cb);
        }
        assertEquals(CircuitState.OPEN, cb.state());
        ticker.advance(Duration.ofSeconds(10));
        for (int i = 0; i < 6; i++) {
            fail(cb);
        }
        assertEquals(CircuitState.HALF_OPEN, cb.state());
        fail(cb);
        assertEquals(CircuitState.OPEN, cb.state());
    }

    @Test
    void toBuilderDerivesAnIndependentBreaker() {
        CircuitBreaker cb = builder().build();
        CircuitBreaker other = cb.toBuilder().failureRateThreshold(0.2).build();
        assertEquals(0.2, other.config().failureRateThreshold());
        assertEquals(0.5, cb.config().failureRateThreshold());
        assertEquals(cb.config().windowSize(), other.config().windowSize());
        cb.forceOpen();
        assertSame(CircuitState.CLOSED, other.state());
    }

    private List<String> transitions() {
        List<String> result = new ArrayList<>();
        for (Transition t : metrics.transitions("cb")) {
            result.add(t.fromState() + "->" + t.toState());
        }
        return result;
    }
}
