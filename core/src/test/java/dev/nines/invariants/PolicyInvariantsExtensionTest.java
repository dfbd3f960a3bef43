package dev.nines.invariants;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.nines.ManualTicker;
import dev.nines.bulkhead.SemaphoreBulkhead;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.circuitbreaker.CircuitState;
import dev.nines.internal.BuildRecorder;
import dev.nines.testing.LeavesPoliciesBusy;
import dev.nines.testing.PolicyInvariantsExtension;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs small fixture test classes through the JUnit launcher with {@link PolicyInvariantsExtension}
 * registered, and checks what it decided: a leak fails the test naming the policy and the broken
 * invariant, a clean test passes, threads still finishing are waited for, an exemption needs a
 * reason. The fixtures are nested classes, which Surefire does not run on their own.
 */
class PolicyInvariantsExtensionTest {

    /** Each fixture test's outcome, by display name: null when it passed, else its failure. */
    private static Map<String, Throwable> run(Class<?> fixture) {
        Map<String, Throwable> outcomes = new ConcurrentHashMap<>();
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(fixture))
                .configurationParameter(PolicyInvariantsExtension.TIMEOUT_KEY, "PT0.2S")
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "false")
                .build();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (id.isTest()) {
                    outcomes.put(id.getDisplayName(), result.getThrowable().orElse(new NoFailure()));
                }
            }
        });
        return outcomes;
    }

    /** Stands for "passed" in the outcome map (which takes no nulls). */
    private static final class NoFailure extends Throwable {
        private static final long serialVersionUID = 1L;

        NoFailure() {
            super(null, null, false, false);
        }
    }

    private static String failureOf(Map<String, Throwable> outcomes, String test) {
        Throwable t = outcomes.get(test);
        assertTrue(t != null, test + " did not run: " + outcomes.keySet());
        assertTrue(!(t instanceof NoFailure), test + " passed, but it should have failed");
        return String.valueOf(t.getMessage());
    }

    private static void assertPassed(Map<String, Throwable> outcomes, String test) {
        Throwable t = outcomes.get(test);
        assertTrue(t != null, test + " did not run: " + outcomes.keySet());
        assertTrue(t instanceof NoFailure, test + " failed: " + t);
    }

    @Test
    void aPermitNeverReleasedFailsTheTestNamingTheBulkheadAndTheInvariant() {
        String message = failureOf(run(BulkheadFixture.class), "leaksAPermit()");
        assertTrue(message.contains("SemaphoreBulkhead 'leaky'"), message);
        assertTrue(message.contains("every permit must be free at rest but 1 of 2 were still taken"), message);
    }

    @Test
    void aPermitReleasedInAFinallyPasses() {
        assertPassed(run(BulkheadFixture.class), "releasesItsPermit()");
    }

    @Test
    void aPolicyBuiltInAFieldInitializerIsCheckedToo() {
        String message = failureOf(run(FieldFixture.class), "leaksThePermitOfAFieldPolicy()");
        assertTrue(message.contains("SemaphoreBulkhead 'field'"), message);
    }

    @Test
    void aHalfOpenProbeNeverReportedFailsNamingTheBreakerAndTheProbeSlot() {
        Map<String, Throwable> outcomes = run(BreakerFixture.class);
        String message = failureOf(outcomes, "leavesAProbeOut()");
        assertTrue(message.contains("CircuitBreaker 'probed'"), message);
        assertTrue(message.contains("every half-open probe slot must be back at rest but 1 probe(s)"), message);
        assertPassed(outcomes, "reportsItsProbe()");
    }

    @Test
    void theExtensionWaitsForThreadsStillFinishingBeforeItFails() {
        assertPassed(run(SettlingFixture.class), "comesToRestAfterAFewChecks()");
        assertTrue(SettlingFixture.checks.get() >= 4, "checked until at rest: " + SettlingFixture.checks.get());
    }

    @Test
    void anExemptionWithAReasonSkipsTheCheckAndABlankReasonFails() {
        Map<String, Throwable> outcomes = run(ExemptFixture.class);
        assertPassed(outcomes, "exempt()");
        assertTrue(failureOf(outcomes, "exemptWithoutReason()").contains("must give a reason"));
    }

    @Test
    void aTestThatFailedAlreadyIsNotBlamedTwice() {
        String message = failureOf(run(FailingFixture.class), "failsAndLeaks()");
        assertEquals("the test's own failure", message);
    }

    // ---------------------------------------------------------------- fixtures, run by the launcher above

    @ExtendWith(PolicyInvariantsExtension.class)
    static class BulkheadFixture {
        @Test
        void leaksAPermit() {
            SemaphoreBulkhead b = SemaphoreBulkhead.builder("leaky").maxConcurrent(2).build();
            assertTrue(b.tryAcquirePermission());
        }

        @Test
        void releasesItsPermit() {
            SemaphoreBulkhead b = SemaphoreBulkhead.builder("clean").maxConcurrent(2).build();
            assertTrue(b.tryAcquirePermission());
            try {
                assertEquals(1, b.inFlight());
            } finally {
                b.releasePermission();
            }
        }
    }

    @ExtendWith(PolicyInvariantsExtension.class)
    static class FieldFixture {
        private final SemaphoreBulkhead bulkhead = SemaphoreBulkhead.builder("field").maxConcurrent(1).build();

        @Test
        void leaksThePermitOfAFieldPolicy() {
            assertTrue(bulkhead.tryAcquirePermission());
        }
    }

    @ExtendWith(PolicyInvariantsExtension.class)
    static class BreakerFixture {
        private final ManualTicker ticker = new ManualTicker();

        private CircuitBreaker openBreaker(String name) {
            CircuitBreaker cb = CircuitBreaker.builder(name).ticker(ticker).countWindow(2).minimumCalls(2)
                    .failureRateThreshold(0.5).openDuration(Duration.ofSeconds(1)).halfOpenProbes(1).build();
            for (int i = 0; i < 2; i++) {
                assertTrue(cb.tryAcquirePermission());
                cb.onError(1, new IOException("down"));
            }
            ticker.advance(Duration.ofSeconds(1));
            return cb;
        }

        @Test
        void leavesAProbeOut() {
            CircuitBreaker cb = openBreaker("probed");
            assertTrue(cb.tryAcquirePermission());
            assertEquals(CircuitState.HALF_OPEN, cb.state());
        }

        @Test
        void reportsItsProbe() {
            CircuitBreaker cb = openBreaker("reported");
            assertTrue(cb.tryAcquirePermission());
            cb.onSuccess(1);
            assertEquals(CircuitState.CLOSED, cb.state());
        }
    }

    @ExtendWith(PolicyInvariantsExtension.class)
    static class SettlingFixture {
        static final AtomicInteger checks = new AtomicInteger();

        @Test
        void comesToRestAfterAFewChecks() {
            checks.set(0);
            // stands for a policy whose last call is still finishing on another thread: busy for the
            // first three checks, at rest from the fourth
            BuildRecorder.record("Settling", "late", violations -> {
                if (checks.incrementAndGet() < 4) {
                    violations.accept("still finishing");
                }
            });
        }
    }

    @ExtendWith(PolicyInvariantsExtension.class)
    static class ExemptFixture {
        @Test
        @LeavesPoliciesBusy(reason = "the fixture shows an exemption")
        void exempt() {
            assertTrue(SemaphoreBulkhead.builder("exempt").maxConcurrent(1).build().tryAcquirePermission());
        }

        @Test
        @LeavesPoliciesBusy(reason = " ")
        void exemptWithoutReason() {
            assertTrue(SemaphoreBulkhead.builder("blank").maxConcurrent(1).build().tryAcquirePermission());
        }
    }

    @ExtendWith(PolicyInvariantsExtension.class)
    static class FailingFixture {
        @Test
        void failsAndLeaks() {
            assertTrue(SemaphoreBulkhead.builder("failing").maxConcurrent(1).build().tryAcquirePermission());
            fail("the test's own failure");
        }
    }
}
