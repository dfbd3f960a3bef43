package dev.nines.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.CallContext;
import dev.nines.ManualTicker;
import dev.nines.Pipeline;
import dev.nines.Priority;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.circuitbreaker.CircuitBreakerOpenException;
import dev.nines.circuitbreaker.CircuitState;
import dev.nines.fallback.Fallback;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.PolicyKinds;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.pause.PauseDetector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Policies and pipelines built with a {@link MicrometerSink} record through real calls. */
class MicrometerSinkPipelineTest {

    private final ManualTicker ticker = new ManualTicker();
    private final CallContext p1 = CallContext.empty().withPriority(Priority.P1);

    @Test
    void aPipelineCallRecordsItsPoliciesItsRequestItsTransitionsAndItsGauges() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MicrometerSink sink = MicrometerSink.of(registry);
        CircuitBreaker breaker = CircuitBreaker.builder("payments-breaker").ticker(ticker).metrics(sink).build();
        Fallback fallback = Fallback.builder("payments-fallback").value("cached").metrics(sink).build();
        Pipeline checkout = Pipeline.named("checkout", List.of(fallback, breaker)).withMetrics(sink, ticker);
        Pipeline direct = Pipeline.named("direct", List.of(breaker)).withMetrics(sink, ticker);

        assertEquals("fresh", checkout.call(p1, ctx -> {
            ticker.advance(Duration.ofMillis(5));
            return "fresh";
        }));
        assertEquals("cached", checkout.call(p1, ctx -> {
            ticker.advance(Duration.ofMillis(7));
            throw new IOException("down");
        }));
        assertEquals(CircuitState.CLOSED.ordinal(), gauge(registry, "nines.policy.state"));

        breaker.forceOpen();
        assertThrows(CircuitBreakerOpenException.class, () -> direct.call(CallContext.empty(), ctx -> "never runs"));

        Timer success = registry.get(MicrometerSink.POLICY_CALLS).tags("policy", "payments-breaker",
                "kind", PolicyKinds.CIRCUIT_BREAKER, "outcome", "success").timer();
        assertEquals(1, success.count());
        assertEquals(5.0, success.totalTime(TimeUnit.MILLISECONDS), 1e-9);
        Timer failure = registry.get(MicrometerSink.POLICY_CALLS).tags("policy", "payments-breaker",
                "outcome", "failure").timer();
        assertEquals(1, failure.count());
        assertEquals(7.0, failure.totalTime(TimeUnit.MILLISECONDS), 1e-9);
        assertEquals(1, registry.get(MicrometerSink.POLICY_CALLS).tags("policy", "payments-breaker",
                "outcome", "rejected").timer().count());
        assertEquals(1, registry.get(MicrometerSink.POLICY_CALLS).tags("policy", "payments-fallback",
                "kind", PolicyKinds.FALLBACK, "outcome", "fallback").timer().count());

        Timer fresh = registry.get(MicrometerSink.REQUESTS).tags("endpoint", "checkout", "priority", "p1",
                "outcome", "fresh", "policy", MicrometerSink.NONE, "kind", MicrometerSink.NONE).timer();
        assertEquals(1, fresh.count());
        assertEquals(5.0, fresh.totalTime(TimeUnit.MILLISECONDS), 1e-9);
        assertEquals(1, registry.get(MicrometerSink.REQUESTS).tags("endpoint", "checkout", "outcome", "degraded")
                .timer().count());
        assertEquals(1, registry.get(MicrometerSink.REQUESTS).tags("endpoint", "direct", "priority",
                MicrometerSink.NONE, "outcome", "rejected", "policy", "payments-breaker",
                "kind", PolicyKinds.CIRCUIT_BREAKER).timer().count());

        Counter opened = registry.get(MicrometerSink.TRANSITIONS).tags("policy", "payments-breaker",
                "from", "closed", "to", "forced_open").counter();
        assertEquals(1.0, opened.count());
        assertEquals(CircuitState.FORCED_OPEN.ordinal(), gauge(registry, "nines.policy.state"));
        breaker.reset();
        assertEquals(CircuitState.CLOSED.ordinal(), gauge(registry, "nines.policy.state"));
    }

    @Test
    void aPrometheusScrapeShowsBucketsCountsGaugesAndTransitionsUnderConsistentTagKeys() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MicrometerSink sink = MicrometerSink.of(registry);
        CircuitBreaker breaker = CircuitBreaker.builder("payments-breaker").ticker(ticker).metrics(sink).build();
        Pipeline checkout = Pipeline.named("checkout", List.of(breaker)).withMetrics(sink, ticker);
        checkout.call(p1, ctx -> {
            ticker.advance(Duration.ofMillis(3));
            return "fresh";
        });
        breaker.forceOpen();
        assertThrows(CircuitBreakerOpenException.class, () -> checkout.call(CallContext.empty(), ctx -> "never"));
        breaker.reset();

        String scrape = registry.scrape();
        // the breaker reports without a priority; the pipeline's request carries the call's
        assertSample(scrape, "nines_policy_calls_seconds_bucket{kind=\"circuit_breaker\",outcome=\"success\","
                + "policy=\"payments-breaker\",priority=\"none\",le=\"0.002796201\"}", 0);
        assertSample(scrape, "nines_policy_calls_seconds_bucket{kind=\"circuit_breaker\",outcome=\"success\","
                + "policy=\"payments-breaker\",priority=\"none\",le=\"0.003145726\"}", 1);
        assertSample(scrape, "nines_policy_calls_seconds_count{kind=\"circuit_breaker\",outcome=\"rejected\","
                + "policy=\"payments-breaker\",priority=\"none\"}", 1);
        assertSample(scrape, "nines_requests_seconds_bucket{endpoint=\"checkout\",kind=\"none\",outcome=\"fresh\","
                + "policy=\"none\",priority=\"p1\",le=\"0.003145726\"}", 1);
        assertSample(scrape, "nines_requests_seconds_count{endpoint=\"checkout\",kind=\"circuit_breaker\","
                + "outcome=\"rejected\",policy=\"payments-breaker\",priority=\"none\"}", 1);
        assertSample(scrape, "nines_transitions_total{from=\"closed\",kind=\"circuit_breaker\","
                + "policy=\"payments-breaker\",to=\"forced_open\"}", 1);
        assertSample(scrape, "nines_transitions_total{from=\"forced_open\",kind=\"circuit_breaker\","
                + "policy=\"payments-breaker\",to=\"closed\"}", 1);
        assertSample(scrape, "nines_policy_state{kind=\"circuit_breaker\",policy=\"payments-breaker\"}", 0);
    }

    @Test
    void aRegistryThatThrowsNeverBreaksACall() throws Exception {
        long failuresBefore = Metrics.sinkFailures();
        MicrometerSink sink = MicrometerSink.of(new ThrowingRegistry());
        CircuitBreaker breaker = CircuitBreaker.builder("payments-breaker").ticker(ticker).metrics(sink).build();
        Pipeline checkout = Pipeline.named("checkout", List.of(breaker)).withMetrics(sink, ticker);
        assertEquals("fresh", checkout.call(p1, ctx -> "fresh"));
        breaker.forceOpen();
        assertThrows(CircuitBreakerOpenException.class, () -> checkout.call(p1, ctx -> "never"));
        // the gauges at build, an outcome and a request per call, the transition: each caught and counted
        assertTrue(Metrics.sinkFailures() - failuresBefore >= 6,
                "expected the guard to count every failure, counted " + (Metrics.sinkFailures() - failuresBefore));
        breaker.reset();
    }

    private static double gauge(SimpleMeterRegistry registry, String name) {
        return registry.get(name).tags("policy", "payments-breaker").gauge().value();
    }

    /** The scrape has the series, with the value (written {@code 1} or {@code 1.0}, by client version). */
    private static void assertSample(String scrape, String series, long value) {
        Pattern line = Pattern.compile("(?m)^" + Pattern.quote(series) + " " + value + "(\\.0)?$");
        assertTrue(line.matcher(scrape).find(), "scrape lacks " + series + " " + value);
    }

    /** A registry that fails to create any meter, as a misconfigured or closed one might. */
    private static final class ThrowingRegistry extends SimpleMeterRegistry {
        @Override
        protected Timer newTimer(Meter.Id id, DistributionStatisticConfig config, PauseDetector pauseDetector) {
            throw new IllegalStateException("registry down: " + id.getName());
        }

        @Override
        protected Counter newCounter(Meter.Id id) {
            throw new IllegalStateException("registry down: " + id.getName());
        }

        @Override
        protected <T> Gauge newGauge(Meter.Id id, T obj, ToDoubleFunction<T> valueFunction) {
            throw new IllegalStateException("registry down: " + id.getName());
        }
    }
}
