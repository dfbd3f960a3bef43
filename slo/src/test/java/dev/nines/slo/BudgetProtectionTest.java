package dev.nines.slo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.Policy;
import dev.nines.Priority;
import dev.nines.annotation.PolicyRegistry;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.Outcome;
import dev.nines.metrics.Transition;
import dev.nines.retry.RetryBudget;
import dev.nines.shedding.LoadShedder;
import dev.nines.shedding.Tier;
import dev.nines.shedding.limit.ConcurrencyLimit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link BudgetProtection} on a manual ticker: an SLO driven into fast burn by recorded bad events
 * changes the shedder and the retry budget through the registry at the next evaluation, and the end
 * of the burn puts back what it replaced, unless someone else changed it meanwhile.
 */
class BudgetProtectionTest {

    private final ManualTicker ticker = new ManualTicker();
    private final InMemoryMetrics sink = new InMemoryMetrics();
    private final LoadShedder api = LoadShedder.builder("api").limit(ConcurrencyLimit.fixed(10)).ticker(ticker)
            .metrics(MetricsSink.noop()).build();
    private final RetryBudget payments = RetryBudget.builder("payments").minRetriesPerSecond(0).ticker(ticker)
            .metrics(MetricsSink.noop()).build();
    private final PolicyRegistry policies = new PolicyRegistry().register(api).register(payments);
    private final List<String> reconfigured = new ArrayList<>();
    private final SloRegistry slos = new SloRegistry(sink);
    private final Slo checkout = slos.add(Slo.availability("checkout").objective(0.999).ticker(ticker).build());

    BudgetProtectionTest() {
        policies.addListener(new PolicyRegistry.Listener() {
            @Override
            public void onReconfigured(Policy policy, Object previousConfig, Object newConfig) {
                reconfigured.add(policy.name());
            }
        });
    }

    /** 10% of 1,000 requests fail now: a burn rate of 100 against a 99.9% objective, over every window. */
    private void burnFast() {
        for (int i = 0; i < 1000; i++) {
            checkout.record(i % 10 != 0);
        }
    }

    private String evaluate() {
        return slos.evaluate().get(0).state();
    }

    /** The burn stops: nothing fails from now on, and the page alerts' short windows empty. */
    private void stopBurning() {
        ticker.advance(Duration.ofMinutes(31)); // page-slow's short window is 30 min
        assertEquals(BurnRateAlert.TICKET, evaluate(), "the page alerts clear, the 6 h ticket window still burns");
    }

    /** Whether a P1 request is admitted with {@code inFlight} P0 requests in flight; releases everything. */
    private boolean admitsP1Beside(int inFlight) {
        List<Long> tokens = new ArrayList<>();
        for (int i = 0; i < inFlight; i++) {
            long t = api.tryAdmit(Priority.P0);
            assertNotEquals(LoadShedder.REJECTED, t);
            tokens.add(t);
        }
        long p1 = api.tryAdmit(Priority.P1);
        if (p1 != LoadShedder.REJECTED) {
            tokens.add(p1);
        }
        tokens.forEach(t -> api.release(t, Outcome.SUCCESS));
        return p1 != LoadShedder.REJECTED;
    }

    /** Retries the budget grants after {@code firstAttempts} first attempts on an empty budget (the floor is 0). */
    private int retriesAfter(int firstAttempts) {
        for (int i = 0; i < firstAttempts; i++) {
            payments.recordFirstAttempt();
        }
        int granted = 0;
        while (payments.tryAcquireRetry()) {
            granted++;
        }
        return granted;
    }

    private List<String> states(String name) {
        List<String> states = new ArrayList<>();
        for (Transition t : sink.transitions(name, BudgetProtection.KIND)) {
            states.add(t.fromState() + "->" + t.toState());
        }
        return states;
    }

    @Test
    void aFastBurnRaisesTheShareAndTightensTheBudgetThroughTheRegistryAndItsEndRestoresBoth() {
        BudgetProtection protection = BudgetProtection.builder(policies).metrics(sink)
                .raiseShare("checkout", "api", Priority.P1, 1.0)
                .tightenRetryBudget("checkout", "payments", 0.01)
                .build();
        slos.addListener(protection);
        assertFalse(admitsP1Beside(9), "P1's 90% of 10 is full at 9 in flight");
        assertEquals(10, retriesAfter(100));

        burnFast();
        assertEquals(BurnRateAlert.PAGE, evaluate());

        assertEquals(1.0, api.config().share(Priority.P1));
        assertEquals(10, api.threshold(Priority.P1));
        assertTrue(admitsP1Beside(9), "P1 may now fill the whole limit");
        assertEquals(0.01, payments.config().retryRatio());
        assertEquals(1, retriesAfter(100), "100 first attempts now save one retry, not ten");
        assertEquals(List.of("api", "payments"), reconfigured, "both changes went through the registry");
        assertEquals(List.of("checkout/api", "checkout/payments"), protection.protecting());
        assertEquals(List.of("normal->protecting"), states("checkout/api"));
        assertEquals(List.of("normal->protecting"), states("checkout/payments"));

        ticker.advance(Duration.ofMinutes(6)); // page-fast clears, page-slow still fires: no change
        assertEquals(BurnRateAlert.PAGE, evaluate());
        assertEquals(1.0, api.config().share(Priority.P1));

        stopBurning();
        assertEquals(0.9, api.config().share(Priority.P1));
        assertEquals(9, api.threshold(Priority.P1));
        assertFalse(admitsP1Beside(9));
        assertEquals(0.1, payments.config().retryRatio());
        assertEquals(0, payments.config().minRetriesPerSecond());
        assertEquals(10, retriesAfter(100));
        assertEquals(List.of("api", "payments", "api", "payments"), reconfigured);
        assertEquals(List.of(), protection.protecting());
        assertEquals(List.of("normal->protecting", "protecting->normal"), states("checkout/api"));
        assertEquals(List.of("normal->protecting", "protecting->normal"), states("checkout/payments"));
        assertEquals(List.of("ok->page", "page->ticket"), sink.transitions("checkout", SloRegistry.KIND).stream()
                .map(t -> t.fromState() + "->" + t.toState()).toList());
    }

    @Test
    void raisingAShareRaisesTheMoreImportantPrioritiesWithItAndRestoresEachExactly() {
        slos.addListener(BudgetProtection.builder(policies).metrics(sink)
                .raiseShare("checkout", "api", Priority.P2, 0.95)
                .raiseShare("checkout", "api", Priority.P3, 0.6)
                .build());
        burnFast();
        evaluate();
        assertEquals(List.of(1.0, 0.95, 0.95, 0.6), shares());
        stopBurning();
        assertEquals(List.of(1.0, 0.9, 0.7, 0.5), shares());
        assertEquals(List.of("normal->protecting", "protecting->normal"), states("checkout/api"),
                "the rules of one SLO for one shedder are one action");
    }

    private List<Double> shares() {
        List<Double> shares = new ArrayList<>();
        for (Priority p : Priority.values()) {
            shares.add(api.config().share(p));
        }
        return shares;
    }

    @Test
    void aForcedTierShedsTheLessImportantTrafficAndTheOperatorsOwnTierComesBack() {
        api.forceTier(Tier.REDUCED); // an operator's, before the burn
        slos.addListener(BudgetProtection.builder(policies).metrics(sink)
                .forceTier("checkout", "api", Tier.ESSENTIAL)
                .build());
        burnFast();
        evaluate();
        assertEquals(Optional.of(Tier.ESSENTIAL), api.forcedTier());
        assertEquals(LoadShedder.REJECTED, api.tryAdmit(Priority.P2), "ESSENTIAL sheds P2 with nothing in flight");
        assertTrue(reconfigured.isEmpty(), "a forced tier is an operator control, not a configuration");

        stopBurning();
        assertEquals(Optional.of(Tier.REDUCED), api.forcedTier());
        long p2 = api.tryAdmit(Priority.P2);
        assertNotEquals(LoadShedder.REJECTED, p2);
        api.release(p2, Outcome.SUCCESS);
        assertEquals(List.of("normal->protecting", "protecting->normal"), states("checkout/api"));
    }

    @Test
    void aPolicyAlreadyAsProtectiveIsLeftUnchangedAndOwesNothing() {
        api.forceTier(Tier.CRITICAL_ONLY);
        policies.reconfigure(payments.toBuilder().retryRatio(0.001).build());
        reconfigured.clear();
        slos.addListener(BudgetProtection.builder(policies).metrics(sink)
                .forceTier("checkout", "api", Tier.REDUCED)
                .tightenRetryBudget("checkout", "payments", 0.01)
                .build());
        burnFast();
        evaluate();
        assertEquals(Optional.of(Tier.CRITICAL_ONLY), api.forcedTier(), "never forced to a lighter tier");
        assertEquals(0.001, payments.config().retryRatio(), "never loosened");
        stopBurning();
        assertEquals(Optional.of(Tier.CRITICAL_ONLY), api.forcedTier());
        assertEquals(0.001, payments.config().retryRatio());
        assertEquals(List.of(), reconfigured);
        assertEquals(List.of("normal->protecting", "protecting->normal"), states("checkout/payments"),
                "the protection was in force, by the budget's own settings");
    }

    /** A limit that learns and whose copies are new instances: a shedder with it refuses new shares. */
    private static final class LearningLimit implements ConcurrencyLimit {
        @Override
        public int currentLimit() {
            return 10;
        }

        @Override
        public void onSample(long nowNanos, long rttNanos, int inFlight, boolean dropped) {
        }

        @Override
        public boolean usesSamples() {
            return true;
        }

        @Override
        public ConcurrencyLimit fresh() {
            return new LearningLimit();
        }
    }

    @Test
    void anActionThePolicyRefusesBreaksNeitherTheOthersNorTheEvaluation() {
        LoadShedder search = LoadShedder.builder("search").limit(new LearningLimit()).ticker(ticker)
                .metrics(MetricsSink.noop()).build();
        policies.register(search);
        BudgetProtection protection = BudgetProtection.builder(policies).metrics(sink)
                .raiseShare("checkout", "search", Priority.P1, 1.0)
                .tightenRetryBudget("checkout", "payments", 0.01)
                .build();
        slos.addListener(protection);
        burnFast();

        assertEquals(BurnRateAlert.PAGE, evaluate());
        assertEquals(0.9, search.config().share(Priority.P1), "refused: a custom limit cannot change");
        assertEquals(0.01, payments.config().retryRatio(), "the next action still ran");
        assertEquals(List.of("checkout/payments"), protection.protecting());
        assertEquals(List.of(), states("checkout/search"), "no transition for a change that did not happen");
        assertEquals(List.of("ok->page"), sink.transitions("checkout", SloRegistry.KIND).stream()
                .map(t -> t.fromState() + "->" + t.toState()).toList());

        stopBurning();
        assertEquals(0.1, payments.config().retryRatio());
        assertEquals(List.of(), states("checkout/search"));
        assertEquals(List.of("normal->protecting", "protecting->normal"), states("checkout/payments"));
    }

    @Test
    void aReconfigurationMadeByAnotherWhileProtectingIsNotUndone() {
        BudgetProtection protection = BudgetProtection.builder(policies).metrics(sink)
                .raiseShare("checkout", "api", Priority.P1, 1.0)
                .forceTier("checkout", "api", Tier.REDUCED)
                .tightenRetryBudget("checkout", "payments", 0.01)
                .build();
        slos.addListener(protection);
        burnFast();
        evaluate();

        // an operator (or a configuration reload) changes all three while the SLO pages
        policies.reconfigure(api.toBuilder().limit(ConcurrencyLimit.fixed(20)).build());
        Object theirs = api.config();
        policies.reconfigure(payments.toBuilder().retryRatio(0.05).build());
        api.forceTier(Tier.ESSENTIAL);

        stopBurning();
        assertSame(theirs, api.config(), "the shedder keeps the operator's configuration");
        assertEquals(20, api.limit());
        assertEquals(1.0, api.config().share(Priority.P1), "theirs was derived from the protective one: theirs now");
        assertEquals(Optional.of(Tier.ESSENTIAL), api.forcedTier());
        assertEquals(0.05, payments.config().retryRatio());
        assertEquals(List.of(), protection.protecting(), "the protection has ended; it owes nothing");
        assertEquals(List.of("normal->protecting", "protecting->normal"), states("checkout/payments"));

        // the next burn protects from the operator's settings, and puts those back
        ticker.advance(Duration.ofDays(4)); // every window empty
        assertEquals(SloStatus.OK, evaluate());
        burnFast();
        evaluate();
        assertEquals(0.01, payments.config().retryRatio());
        stopBurning();
        assertEquals(0.05, payments.config().retryRatio());
    }

    @Test
    void changesBetweenOkAndTicketDoNothing() {
        slos.addListener(BudgetProtection.builder(policies).metrics(sink)
                .tightenRetryBudget("checkout", "payments", 0.01)
                .build());
        // 0.2% fail over hours: a burn rate of 2, a ticket (>= 1) but no page (< 6)
        for (int hour = 0; hour < 7; hour++) {
            for (int i = 0; i < 1000; i++) {
                checkout.record(i % 500 != 0);
            }
            ticker.advance(Duration.ofHours(1));
        }
        assertEquals(BurnRateAlert.TICKET, evaluate());
        assertEquals(0.1, payments.config().retryRatio());
        assertTrue(reconfigured.isEmpty());
        assertEquals(List.of(), states("checkout/payments"));
    }

    @Test
    void buildListsEveryBadRuleNamingTheFieldAndValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BudgetProtection
                .builder(policies)
                .raiseShare("checkout", "apii", Priority.P1, 1.0)
                .raiseShare("checkout", "payments", Priority.P1, 1.0)
                .raiseShare("search", "api", Priority.P0, 1.5)
                .forceTier("search", "api", Tier.FULL)
                .tightenRetryBudget("checkout", "api", 0.01)
                .tightenRetryBudget("checkout", "payments", -0.5, -1)
                .tightenRetryBudget(" ", "payments", 0.5)
                .build());
        assertEquals("BudgetProtection: "
                + "no policy named 'apii' is registered; load shedders registered: [api]; "
                + "policy 'payments' is a RetryBudget, not a LoadShedder; "
                + "share of P0 for load shedder 'api' must be a fraction in (0, 1] but was 1.5; "
                + "tier for load shedder 'api' must shed something (REDUCED, ESSENTIAL or CRITICAL_ONLY) but was FULL; "
                + "policy 'api' is a LoadShedder, not a RetryBudget; "
                + "retryRatio for retry budget 'payments' must be in [0.0, 1000.0] but was -0.5; "
                + "minRetriesPerSecond for retry budget 'payments' must be >= 0 but was -1; "
                + "slo must not be blank but was ' '", e.getMessage());
    }

    @Test
    void buildRefusesNoRulesARuleGivenTwiceAndAPolicyProtectedForTwoSlos() {
        assertEquals("BudgetProtection: no rule: add raiseShare, forceTier or tightenRetryBudget",
                assertThrows(IllegalArgumentException.class, () -> BudgetProtection.builder(policies).build())
                        .getMessage());
        assertEquals("BudgetProtection: retry budget 'payments' is tightened twice for SLO 'checkout'; "
                + "share of P1 for load shedder 'api' and SLO 'checkout' is given twice (1.0 and 0.95); "
                + "tier for load shedder 'api' and SLO 'checkout' is given twice (REDUCED and ESSENTIAL)",
                assertThrows(IllegalArgumentException.class, () -> BudgetProtection.builder(policies)
                        .tightenRetryBudget("checkout", "payments", 0.01)
                        .tightenRetryBudget("checkout", "payments", 0.02)
                        .raiseShare("checkout", "api", Priority.P1, 1.0)
                        .raiseShare("checkout", "api", Priority.P1, 0.95)
                        .forceTier("checkout", "api", Tier.REDUCED)
                        .forceTier("checkout", "api", Tier.ESSENTIAL)
                        .build()).getMessage());
        assertEquals("BudgetProtection: policy 'api' is protected for SLO 'checkout' and for SLO 'search'; a policy "
                + "serves one SLO, so that one's restore cannot undo the other's change",
                assertThrows(IllegalArgumentException.class, () -> BudgetProtection.builder(policies)
                        .raiseShare("checkout", "api", Priority.P1, 1.0)
                        .forceTier("search", "api", Tier.REDUCED)
                        .build()).getMessage());
        assertThrows(NullPointerException.class, () -> BudgetProtection.builder(policies)
                .raiseShare("checkout", "api", null, 1.0));
    }

    @Test
    void describesItsRulesAndTheSlosItActsFor() {
        BudgetProtection p = BudgetProtection.builder(policies)
                .raiseShare("checkout", "api", Priority.P1, 1.0)
                .forceTier("checkout", "api", Tier.REDUCED)
                .tightenRetryBudget("checkout", "payments", 0.01, 1)
                .build();
        assertEquals(java.util.Set.of("checkout"), p.slos());
        assertEquals("BudgetProtection[checkout: load shedder 'api': raise share of P1 to 1.0, force tier REDUCED, "
                + "checkout: tighten retry budget 'payments' to retryRatio 0.01, minRetriesPerSecond 1]", p.toString());
    }
}
