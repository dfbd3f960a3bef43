package dev.nines.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.Priority;
import dev.nines.metrics.Outcome;
import dev.nines.metrics.PolicyKinds;
import dev.nines.metrics.RequestOutcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Each {@link MicrometerSink} event reaches the meter its name and tags promise, in a real registry. */
class MicrometerSinkTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MicrometerSink sink = MicrometerSink.of(registry);

    @Test
    void runsOnTheMicrometerLineTheBuildPutOnTheClassPath() {
        String expected = System.getProperty("nines.micrometer.expectedVersion");
        Assumptions.assumeTrue(expected != null, "run outside Maven: no expected Micrometer version");
        String actual = MeterRegistry.class.getPackage().getImplementationVersion();
        System.out.println("Micrometer on the class path: " + actual);
        assertTrue(actual != null && actual.startsWith(expected), "expected Micrometer " + expected + "x, ran on " + actual);
    }

    @Test
    void everyPolicyOutcomeReachesItsOwnTimerTaggedByPolicyKindOutcomeAndPriority() {
        for (Outcome outcome : Outcome.values()) {
            sink.onOutcome("payments", PolicyKinds.CIRCUIT_BREAKER, outcome, 2_000_000);
            sink.onOutcome("payments", PolicyKinds.CIRCUIT_BREAKER, Priority.P2, outcome, 3_000_000);
        }
        for (Outcome outcome : Outcome.values()) {
            String tag = outcome.name().toLowerCase(Locale.ROOT);
            Timer plain = policyTimer("payments", PolicyKinds.CIRCUIT_BREAKER, tag, MicrometerSink.NONE);
            assertEquals(1, plain.count(), tag);
            assertEquals(2.0, plain.totalTime(TimeUnit.MILLISECONDS), 1e-9, tag);
            Timer p2 = policyTimer("payments", PolicyKinds.CIRCUIT_BREAKER, tag, "p2");
            assertEquals(1, p2.count(), tag);
            assertEquals(3.0, p2.totalTime(TimeUnit.MILLISECONDS), 1e-9, tag);
        }
        assertEquals(2 * Outcome.values().length, registry.find(MicrometerSink.POLICY_CALLS).timers().size());
    }

    @Test
    void policiesOfTheSameNameButAnotherKindKeepTheirOwnTimers() {
        sink.onOutcome("payments", PolicyKinds.RETRY, Outcome.RETRIED, 0);
        sink.onOutcome("payments", PolicyKinds.BULKHEAD, Outcome.REJECTED, 0);
        assertEquals(1, policyTimer("payments", PolicyKinds.RETRY, "retried", MicrometerSink.NONE).count());
        assertEquals(1, policyTimer("payments", PolicyKinds.BULKHEAD, "rejected", MicrometerSink.NONE).count());
        assertEquals(2, registry.find(MicrometerSink.POLICY_CALLS).timers().size());
    }

    @Test
    void everyRequestOutcomeReachesItsTimerWithEndpointPriorityAndTheRejectingPolicy() {
        for (RequestOutcome outcome : RequestOutcome.values()) {
            sink.onRequest("checkout", Priority.P0, outcome, null, null, 4_000_000);
        }
        sink.onRequest("checkout", null, RequestOutcome.REJECTED, "payments-breaker", PolicyKinds.CIRCUIT_BREAKER, 0);
        sink.onRequest("checkout", Priority.P3, RequestOutcome.TIMED_OUT, "payments-timeout", PolicyKinds.TIMEOUT,
                1_000_000_000);
        for (RequestOutcome outcome : RequestOutcome.values()) {
            Timer timer = requestTimer("checkout", "p0", outcome.name().toLowerCase(Locale.ROOT),
                    MicrometerSink.NONE, MicrometerSink.NONE);
            assertEquals(1, timer.count(), outcome.name());
            assertEquals(4.0, timer.totalTime(TimeUnit.MILLISECONDS), 1e-9, outcome.name());
        }
        assertEquals(1, requestTimer("checkout", MicrometerSink.NONE, "rejected", "payments-breaker",
                PolicyKinds.CIRCUIT_BREAKER).count());
        Timer timedOut = requestTimer("checkout", "p3", "timed_out", "payments-timeout", PolicyKinds.TIMEOUT);
        assertEquals(1, timedOut.count());
        assertEquals(1.0, timedOut.totalTime(TimeUnit.SECONDS), 1e-9);
        assertEquals(RequestOutcome.values().length + 2, registry.find(MicrometerSink.REQUESTS).timers().size());
    }

    @Test
    void timersPublishHistogramBucketsByDefaultAndCountEachCallInTheRightBucket() {
        // SimpleMeterRegistry advertises no aggregatable percentiles, so it keeps no buckets: the
        // buckets are what a registry that does (Prometheus here) publishes
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MicrometerSink toPrometheus = MicrometerSink.of(prometheus);
        toPrometheus.onOutcome("payments", PolicyKinds.TIMEOUT, Outcome.SUCCESS, Duration.ofMillis(5).toNanos());
        toPrometheus.onOutcome("payments", PolicyKinds.TIMEOUT, Outcome.SUCCESS, Duration.ofSeconds(2).toNanos());
        CountAtBucket[] buckets = prometheus.get(MicrometerSink.POLICY_CALLS).timer().takeSnapshot().histogramCounts();
        assertTrue(buckets.length > 10, "expected histogram buckets, got " + buckets.length);
        assertEquals(0, countAtOrBelow(buckets, Duration.ofMillis(4)));
        assertEquals(1, countAtOrBelow(buckets, Duration.ofMillis(100)));
        assertEquals(2, countAtOrBelow(buckets, Duration.ofSeconds(10)));
    }

    @Test
    void theBuilderTurnsBucketsOffAndBoundsTheirRange() {
        PrometheusMeterRegistry plain = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MicrometerSink.builder(plain).percentileHistogram(false).build()
                .onOutcome("p", PolicyKinds.RETRY, Outcome.SUCCESS, 1);
        assertEquals(0, plain.get(MicrometerSink.POLICY_CALLS).timer().takeSnapshot().histogramCounts().length);

        PrometheusMeterRegistry narrow = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MicrometerSink.builder(narrow).minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofMillis(100)).build()
                .onOutcome("p", PolicyKinds.RETRY, Outcome.SUCCESS, 1);
        CountAtBucket[] buckets = narrow.get(MicrometerSink.POLICY_CALLS).timer().takeSnapshot().histogramCounts();
        assertTrue(buckets.length > 0);
        for (CountAtBucket bucket : buckets) {
            double millis = bucket.bucket(TimeUnit.MILLISECONDS);
            assertTrue(millis >= 10 && millis <= 100, "bucket outside 10..100 ms: " + millis);
        }
    }

    @Test
    void badBuilderSettingsFailNamingFieldAndValue() {
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> MicrometerSink.builder(registry).minimumExpectedValue(Duration.ofMillis(-1)));
        assertEquals("minimumExpectedValue must be positive but was PT-0.001S", negative.getMessage());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> MicrometerSink.builder(registry).maximumExpectedValue(Duration.ZERO));
        assertEquals("maximumExpectedValue must be positive but was PT0S", zero.getMessage());
        IllegalArgumentException inverted = assertThrows(IllegalArgumentException.class,
                () -> MicrometerSink.builder(registry).minimumExpectedValue(Duration.ofSeconds(2))
                        .maximumExpectedValue(Duration.ofSeconds(1)).build());
        assertEquals("minimumExpectedValue must not exceed maximumExpectedValue but was PT2S > PT1S",
                inverted.getMessage());
        assertThrows(NullPointerException.class, () -> MicrometerSink.of(null));
    }

    @Test
    void transitionsAreCountedPerPolicyFromAndTo() {
        sink.onTransition("payments", PolicyKinds.CIRCUIT_BREAKER, "CLOSED", "OPEN");
        sink.onTransition("payments", PolicyKinds.CIRCUIT_BREAKER, "OPEN", "HALF_OPEN");
        sink.onTransition("payments", PolicyKinds.CIRCUIT_BREAKER, "HALF_OPEN", "OPEN");
        sink.onTransition("payments", PolicyKinds.CIRCUIT_BREAKER, "OPEN", "HALF_OPEN");
        assertEquals(1.0, transitions("closed", "open"));
        assertEquals(2.0, transitions("open", "half_open"));
        assertEquals(1.0, transitions("half_open", "open"));
        assertEquals(3, registry.find(MicrometerSink.TRANSITIONS).counters().size());
    }

    @Test
    void gaugesFollowTheirSuppliersAndARegistrationAgainReplacesTheSupplier() {
        AtomicLong inFlight = new AtomicLong(3);
        sink.registerGauge("payments", PolicyKinds.BULKHEAD, "in_flight", inFlight::get);
        sink.registerGauge("search", PolicyKinds.LOAD_SHEDDER, "tier", () -> 2);
        assertEquals(3.0, gauge("nines.policy.in.flight", "payments", PolicyKinds.BULKHEAD));
        inFlight.set(7);
        assertEquals(7.0, gauge("nines.policy.in.flight", "payments", PolicyKinds.BULKHEAD));
        assertEquals(2.0, gauge("nines.policy.tier", "search", PolicyKinds.LOAD_SHEDDER));

        sink.registerGauge("payments", PolicyKinds.BULKHEAD, "in_flight", () -> 42);
        assertEquals(42.0, gauge("nines.policy.in.flight", "payments", PolicyKinds.BULKHEAD));
        assertEquals(1, registry.find("nines.policy.in.flight").gauges().size());
    }

    @Test
    void theSameTagSetIsTheSameMeterEveryTime() {
        sink.onOutcome("payments", PolicyKinds.BULKHEAD, Priority.P1, Outcome.SHED, 0);
        Timer first = policyTimer("payments", PolicyKinds.BULKHEAD, "shed", "p1");
        int meters = registry.getMeters().size();
        for (int i = 0; i < 1_000; i++) {
            sink.onOutcome("payments", PolicyKinds.BULKHEAD, Priority.P1, Outcome.SHED, i);
        }
        assertEquals(meters, registry.getMeters().size());
        assertSame(first, policyTimer("payments", PolicyKinds.BULKHEAD, "shed", "p1"));
        assertEquals(1_001, first.count());
        assertNotEquals(0.0, first.max(TimeUnit.NANOSECONDS));
    }

    private Timer policyTimer(String policy, String kind, String outcome, String priority) {
        return registry.get(MicrometerSink.POLICY_CALLS)
                .tags("policy", policy, "kind", kind, "outcome", outcome, "priority", priority).timer();
    }

    private Timer requestTimer(String endpoint, String priority, String outcome, String policy, String kind) {
        return registry.get(MicrometerSink.REQUESTS).tags("endpoint", endpoint, "priority", priority,
                "outcome", outcome, "policy", policy, "kind", kind).timer();
    }

    private double transitions(String from, String to) {
        return registry.get(MicrometerSink.TRANSITIONS).tags("policy", "payments", "kind",
                PolicyKinds.CIRCUIT_BREAKER, "from", from, "to", to).counter().count();
    }

    private double gauge(String name, String policy, String kind) {
        return registry.get(name).tags("policy", policy, "kind", kind).gauge().value();
    }

    private static double countAtOrBelow(CountAtBucket[] buckets, Duration bound) {
        double count = 0;
        for (CountAtBucket bucket : buckets) {
            if (bucket.bucket(TimeUnit.NANOSECONDS) <= bound.toNanos()) {
                count = bucket.count();
            }
        }
        return count;
    }
}
