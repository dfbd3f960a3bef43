package dev.nines.slo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.Priority;
import dev.nines.metrics.PolicyKinds;
import dev.nines.metrics.RequestOutcome;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each SLO formula on a manual ticker: what counts as good, the budget, burn rates, and each alert firing and clearing. */
class SloTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final long MS = 1_000_000L;

    private final ManualTicker ticker = new ManualTicker();

    private Slo availability(Slo.Treatment degraded, Slo.Treatment rateLimited) {
        return Slo.availability("a").degraded(degraded).rateLimited(rateLimited).ticker(ticker).build();
    }

    @Test
    void availabilityCountsAnswersGoodAndRefusalsBadButNotTheClientsFaultNorCancellations() {
        Slo slo = availability(Slo.Treatment.ANSWER, Slo.Treatment.EXCLUDED);
        slo.record(RequestOutcome.FRESH, null, 5 * MS);
        slo.record(RequestOutcome.DEGRADED, null, 5 * MS);
        slo.record(RequestOutcome.REJECTED, PolicyKinds.RATE_LIMITER, 0);
        slo.record(RequestOutcome.CANCELLED, null, 0);
        assertEquals(new EventCounts(2, 2), slo.counts(MINUTE));
        slo.record(RequestOutcome.REJECTED, PolicyKinds.LOAD_SHEDDER, 0);
        slo.record(RequestOutcome.REJECTED, PolicyKinds.CIRCUIT_BREAKER, 0);
        slo.record(RequestOutcome.FAILED, null, 5 * MS);
        slo.record(RequestOutcome.TIMED_OUT, PolicyKinds.TIMEOUT, 5 * MS);
        assertEquals(new EventCounts(2, 6), slo.counts(MINUTE));
    }

    @Test
    void degradedAnswersAndRateLimitRefusalsCountAsConfigured() {
        Slo strict = availability(Slo.Treatment.FAILURE, Slo.Treatment.FAILURE);
        strict.record(RequestOutcome.DEGRADED, null, 0);
        strict.record(RequestOutcome.REJECTED, PolicyKinds.RATE_LIMITER, 0);
        assertEquals(new EventCounts(0, 2), strict.counts(MINUTE));

        Slo lenient = availability(Slo.Treatment.EXCLUDED, Slo.Treatment.ANSWER);
        lenient.record(RequestOutcome.DEGRADED, null, 0);
        lenient.record(RequestOutcome.REJECTED, PolicyKinds.RATE_LIMITER, 0);
        assertEquals(new EventCounts(1, 1), lenient.counts(MINUTE));
    }

    @Test
    void latencyJudgesAnswersByTheThresholdInclusiveAndLeavesFailuresToAvailability() {
        Slo slo = Slo.latency("l", Duration.ofMillis(200)).ticker(ticker).build();
        slo.record(RequestOutcome.FRESH, null, 200 * MS);     // at the threshold: good
        slo.record(RequestOutcome.FRESH, null, 200 * MS + 1); // just over: bad
        slo.record(RequestOutcome.DEGRADED, null, 10 * MS);   // an answer by default, and fast
        slo.record(RequestOutcome.FAILED, null, 10 * MS);
        slo.record(RequestOutcome.TIMED_OUT, PolicyKinds.TIMEOUT, 900 * MS);
        slo.record(RequestOutcome.REJECTED, PolicyKinds.BULKHEAD, 0);
        slo.record(RequestOutcome.REJECTED, PolicyKinds.RATE_LIMITER, 0);
        slo.record(RequestOutcome.CANCELLED, null, 900 * MS);
        assertEquals(new EventCounts(2, 3), slo.counts(MINUTE));
        assertEquals(Duration.ofMillis(200), slo.threshold().orElseThrow());

        Slo refusalsAnswer = Slo.latency("l2", Duration.ofMillis(200)).rateLimited(Slo.Treatment.ANSWER)
                .degraded(Slo.Treatment.FAILURE).ticker(ticker).build();
        refusalsAnswer.record(RequestOutcome.REJECTED, PolicyKinds.RATE_LIMITER, MS);
        refusalsAnswer.record(RequestOutcome.DEGRADED, null, MS);
        assertEquals(new EventCounts(1, 2), refusalsAnswer.counts(MINUTE));
    }

    @Test
    void theBudgetIsTheObjectivesShareOfTheEventsSoFar() {
        Slo slo = Slo.availability("b").objective(0.999).ticker(ticker).build();
        SloStatus empty = slo.status();
        assertEquals(1.0, empty.attainment());
        assertEquals(1.0, empty.budgetRemaining());
        assertEquals(0.0, empty.budgetRemainingEvents());
        assertEquals(SloStatus.OK, empty.state());

        record(slo, 9_996, 4);
        SloStatus s = slo.status();
        assertEquals(new EventCounts(9_996, 10_000), new EventCounts(s.good(), s.total()));
        assertEquals(0.9996, s.attainment(), 1e-12);
        assertEquals(0.6, s.budgetRemaining(), 1e-9);       // 4 of 10 allowed failures spent
        assertEquals(6.0, s.budgetRemainingEvents(), 1e-9);

        record(slo, 0, 11);                                   // 15 bad of 10,011: 10.011 allowed
        s = slo.status();
        assertEquals(1 - 15 / 10.011, s.budgetRemaining(), 1e-9);
        assertEquals(10.011 - 15, s.budgetRemainingEvents(), 1e-9);
        assertTrue(s.budgetRemaining() < 0);
    }

    @Test
    void theBurnRateIsTheBadFractionOverTheAllowedOneInTheWindowAsked() {
        Slo slo = Slo.availability("r").objective(0.999).ticker(ticker).build();
        assertEquals(0.0, slo.burnRate(Duration.ofHours(1)));
        for (int minute = 0; minute < 60; minute++) {
            record(slo, minute == 59 ? 986 : 1_000, minute == 59 ? 14 : 0);
            if (minute < 59) {
                ticker.advance(MINUTE);
            }
        }
        // 14 bad of 60,000 in the hour (0.0233%): 0.233 x the sustainable rate; 14 of 1,000 in the last minute
        assertEquals(14 / 60_000.0 / 0.001, slo.burnRate(Duration.ofHours(1)), 1e-9);
        assertEquals(14.0, slo.burnRate(MINUTE), 1e-9);
        assertEquals(14 / 5_000.0 / 0.001, slo.burnRate(Duration.ofMinutes(5)), 1e-9);
    }

    @Test
    void eachWorkbookAlertFiresOnABadMinuteAndClearsWhenItLeavesItsShortWindow() {
        Slo slo = Slo.availability("w").objective(0.999).ticker(ticker).build();
        for (int minute = 0; minute < 60; minute++) {
            minute(slo, 1_000, 0);
        }
        assertEquals(List.of(false, false, false), firing(slo.status()));
        minute(slo, 0, 1_000); // one minute of only failures: 1.6% of the hour, 20% of five minutes
        SloStatus burning = slo.status();
        assertEquals(List.of(true, true, true), firing(burning));
        assertEquals("page", burning.state());
        assertTrue(burning.fastBurn());
        assertEquals(1_000 / 60_000.0 / 0.001, burning.alerts().get(0).longBurnRate(), 1e-9);
        assertEquals(1_000 / 5_000.0 / 0.001, burning.alerts().get(0).shortBurnRate(), 1e-9);

        // the 5-minute window holds this minute and four before: the bad minute leaves it on the fifth
        for (int k = 1; k <= 4; k++) {
            minute(slo, 1_000, 0);
            assertTrue(slo.status().alerts().get(0).firing(), "page-fast after " + k + " good minutes");
        }
        minute(slo, 1_000, 0);
        assertEquals(List.of(false, true, true), firing(slo.status()));
        assertEquals("page", slo.status().state()); // page-slow still pages
        for (int k = 6; k < 30; k++) {
            minute(slo, 1_000, 0);
        }
        assertTrue(slo.status().alerts().get(1).firing(), "page-slow until the bad minute leaves its 30 minutes");
        minute(slo, 1_000, 0);
        SloStatus ticket = slo.status();
        assertEquals(List.of(false, false, true), firing(ticket));
        assertEquals("ticket", ticket.state());
        assertFalse(ticket.fastBurn());
        for (int k = 31; k < 360; k++) {
            minute(slo, 1_000, 0);
        }
        assertTrue(slo.status().alerts().get(2).firing(), "ticket until the bad minute leaves its 6 hours");
        minute(slo, 1_000, 0);
        assertEquals(SloStatus.OK, slo.status().state());
    }

    @Test
    void anAlertNeedsBothWindowsAtItsRate() {
        BurnRateAlert alert = new BurnRateAlert("x", "page", 14.4, Duration.ofHours(1), Duration.ofMinutes(5));
        assertTrue(alert.firesAt(14.4, 14.4));
        assertFalse(alert.firesAt(14.39, 100));
        assertFalse(alert.firesAt(100, 14.39));
        // a burst too short for the long window: 100 failures in the last minute of an hour of good traffic
        Slo slo = Slo.availability("burst").objective(0.99).ticker(ticker).build();
        for (int minute = 0; minute < 59; minute++) {
            minute(slo, 1_000, 0);
        }
        minute(slo, 0, 100); // 100 of 59,100 in the hour = 0.17%: 0.17x of a 1% budget; 100 of 4,100 in 5 min
        SloStatus s = slo.status();
        assertEquals(100 / 59_100.0 / 0.01, s.alerts().get(0).longBurnRate(), 1e-9);
        assertFalse(s.alerts().get(0).firing());
    }

    @Test
    void eventsLeaveTheThirtyDayWindowAfterThirtyDaysAcrossEveryBucketRollover() {
        Slo slo = Slo.availability("days").objective(0.99).alerts(List.of()).ticker(ticker).build();
        slo.record(false);
        ticker.advance(Duration.ofDays(30).minus(MINUTE));
        slo.record(true);
        assertEquals(new EventCounts(1, 2), new EventCounts(slo.status().good(), slo.status().total()));
        ticker.advance(MINUTE); // the first event's bucket is now 30 days old: out of the window
        assertEquals(new EventCounts(1, 1), new EventCounts(slo.status().good(), slo.status().total()));
        assertEquals(new EventCounts(1, 2), slo.cumulative()); // the counters keep it
        for (int day = 0; day < 40; day++) {
            ticker.advance(Duration.ofDays(1));
            slo.record(day % 2 == 0);
        }
        SloStatus s = slo.status();
        assertEquals(30, s.total());
        assertEquals(15, s.good());
        assertEquals(new EventCounts(21, 42), slo.cumulative());
    }

    @Test
    void aTickerWrappingPastLongMaxValueChangesNothing() {
        ManualTicker wrapping = new ManualTicker(Long.MAX_VALUE - Duration.ofMinutes(2).toNanos());
        Slo slo = Slo.availability("wrap").objective(0.999).ticker(wrapping).build();
        for (int minute = 0; minute < 60; minute++) {
            slo.record(true);
            slo.record(minute != 30);
            wrapping.advance(MINUTE);
        }
        assertTrue(wrapping.read() < 0, "the ticker wrapped");
        assertEquals(new EventCounts(119, 120), slo.counts(Duration.ofHours(1).plus(MINUTE)));
        assertEquals(1 / 120.0 / 0.001, slo.burnRate(Duration.ofHours(2)), 1e-9);
        assertEquals(0.0, slo.burnRate(Duration.ofMinutes(5)));
    }

    @Test
    void matchesRequestNamesAndPriorities() {
        Slo any = Slo.availability("any").ticker(ticker).build();
        assertTrue(any.matches("x", null));
        assertTrue(any.matches("x", Priority.P3));
        Slo scoped = Slo.availability("scoped").requests("checkout", "pay").priorities(Priority.P0, Priority.P1)
                .ticker(ticker).build();
        assertTrue(scoped.matches("pay", Priority.P1));
        assertFalse(scoped.matches("pay", Priority.P2));
        assertFalse(scoped.matches("pay", null));
        assertFalse(scoped.matches("browse", Priority.P0));
    }

    @Test
    void badDefinitionsFailAtBuildNamingTheFieldAndValue() {
        assertEquals("slo a: objective must be strictly between 0 and 100% (a 100% objective has no budget) but was 100%",
                message(() -> Slo.availability("a").objective(1.0).build()));
        assertEquals("slo a: objective must be strictly between 0 and 100% (a 100% objective has no budget) but was 0%",
                message(() -> Slo.availability("a").objective(0.0).build()));
        assertEquals("slo a: alert ticket's longWindow must fit in the window PT24H but was PT72H (set a longer window"
                + " or an alert table that fits)", message(() -> Slo.availability("a").window(Duration.ofDays(1)).build()));
        assertEquals("slo a: alert page-fast's shortWindow must be a positive whole number of resolutions (PT2M) but"
                + " was PT5M", message(() -> Slo.availability("a").resolution(Duration.ofMinutes(2)).build()));
        assertEquals("slo a: window must be a positive whole number of resolutions (PT1M) but was PT30S",
                message(() -> Slo.availability("a").window(Duration.ofSeconds(30)).alerts(List.of()).build()));
        assertEquals("slo a: two alerts are named x", message(() -> Slo.availability("a").alerts(List.of(
                new BurnRateAlert("x", "page", 2, Duration.ofHours(1), MINUTE),
                new BurnRateAlert("x", "ticket", 1, Duration.ofHours(2), MINUTE))).build()));
        assertEquals("slo name must be letters, digits, '.', '_' or '-' but was 'check out'",
                message(() -> Slo.availability("check out")));
        assertEquals("slo l: threshold must be within (0, PT87600H] but was PT0S",
                message(() -> Slo.latency("l", Duration.ZERO)));
        assertEquals("slo l: threshold must be within (0, PT87600H] but was PT2562047788015H12M55S",
                message(() -> Slo.latency("l", Duration.ofSeconds(Long.MAX_VALUE / 1000))));
        assertEquals("slo a: window must be at most PT87600H but was PT438000H",
                message(() -> Slo.availability("a").window(Duration.ofDays(18250)).build()));
        assertEquals("slo a: resolution must be within (0, PT87600H] but was PT-1M",
                message(() -> Slo.availability("a").resolution(Duration.ofMinutes(-1)).build()));
        assertEquals("alert p: burnRate must be a positive number but was NaN",
                message(() -> new BurnRateAlert("p", "page", Double.NaN, Duration.ofHours(1), MINUTE)));
        assertEquals("alert p: shortWindow must be shorter than longWindow PT1H but was PT1H",
                message(() -> new BurnRateAlert("p", "page", 1, Duration.ofHours(1), Duration.ofHours(1))));
        assertEquals("alert severity must be letters, digits, _ or - but was 'pa ge'",
                message(() -> new BurnRateAlert("p", "pa ge", 1, Duration.ofHours(1), MINUTE)));
    }

    @Test
    void theDefaultsAreTheIssuesAndTheWindowsMemoryIsBounded() {
        Slo slo = Slo.availability("d").build();
        assertEquals(Availability.parse("99.9%"), slo.objective());
        assertEquals(Duration.ofDays(30), slo.window());
        assertEquals(MINUTE, slo.resolution());
        assertEquals(BurnRateAlert.workbook(), slo.alerts());
        assertEquals(345_600, slo.windowBytes());
        assertEquals(Slo.Treatment.ANSWER, slo.degraded());
        assertEquals(Slo.Treatment.EXCLUDED, slo.rateLimited());
        assertEquals("Slo[d, availability, 99.9% over PT720H]", slo.toString());
    }

    private void minute(Slo slo, int good, int bad) {
        ticker.advance(MINUTE);
        record(slo, good, bad);
    }

    private static void record(Slo slo, int good, int bad) {
        for (int i = 0; i < good; i++) {
            slo.record(true);
        }
        for (int i = 0; i < bad; i++) {
            slo.record(false);
        }
    }

    private static List<Boolean> firing(SloStatus status) {
        return status.alerts().stream().map(SloStatus.AlertStatus::firing).toList();
    }

    private static String message(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }
}
