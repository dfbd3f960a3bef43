package dev.nines.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.ManualTicker;
import dev.nines.slo.BudgetProtection;
import dev.nines.retry.RetryBudget;
import dev.nines.Priority;
import dev.nines.annotation.PolicyRegistry;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.circuitbreaker.annotation.WithCircuitBreaker;
import dev.nines.metrics.MetricsSink;
import dev.nines.micrometer.SloMeters;
import dev.nines.slo.BurnRateAlert;
import dev.nines.slo.Slo;
import dev.nines.slo.SloRegistry;
import dev.nines.spring.boot.autoconfigure.internal.NinesConfigurationException;
import dev.nines.spring.boot.autoconfigure.internal.NinesFailureAnalyzer;
import dev.nines.spring.boot.autoconfigure.internal.SloEvaluation;
import dev.nines.spring.boot.autoconfigure.internal.SloHealthIndicator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class NinesSloTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(NinesMetricsAutoConfiguration.class, NinesSloAutoConfiguration.class,
                    NinesAutoConfiguration.class))
            .withUserConfiguration(Time.class);

    @Test
    void eachInstanceIsAnSloWithItsSettingsAndTheWorkbooksAlertsByDefault() {
        runner.withPropertyValues(
                "nines.slo.instances.checkout.requests=Client.call,Client.other",
                "nines.slo.defaults.objective=99.5%",
                "nines.slo.instances.checkout.priorities=P0,P1",
                "nines.slo.instances.checkout.degraded=failure",
                "nines.slo.instances.checkout.rate-limited=failure",
                "nines.slo.instances.search-latency.indicator=latency",
                "nines.slo.instances.search-latency.threshold=250ms",
                "nines.slo.instances.search-latency.objective=0.99",
                "nines.slo.instances.search-latency.window=7d",
                "nines.slo.instances.search-latency.resolution=5m",
                "nines.slo.instances.search-latency.alerts[0].name=fast",
                "nines.slo.instances.search-latency.alerts[0].severity=page",
                "nines.slo.instances.search-latency.alerts[0].burn-rate=10",
                "nines.slo.instances.search-latency.alerts[0].long-window=1h",
                "nines.slo.instances.search-latency.alerts[0].short-window=5m").run(context -> {
            assertThat(context).hasNotFailed();
            SloRegistry slos = context.getBean(SloRegistry.class);
            assertThat(slos.all()).extracting(Slo::name).containsExactly("checkout", "search-latency");

            Slo checkout = slos.get("checkout").orElseThrow();
            assertThat(checkout.indicator()).isEqualTo(Slo.Indicator.AVAILABILITY);
            assertThat(checkout.objective().doubleValue()).isEqualTo(0.995);
            assertThat(checkout.requests()).containsExactlyInAnyOrder("Client.call", "Client.other");
            assertThat(checkout.priorities()).containsExactlyInAnyOrder(Priority.P0, Priority.P1);
            assertThat(checkout.degraded()).isEqualTo(Slo.Treatment.FAILURE);
            assertThat(checkout.rateLimited()).isEqualTo(Slo.Treatment.FAILURE);
            assertThat(checkout.window()).isEqualTo(Duration.ofDays(30));
            assertThat(checkout.alerts()).isEqualTo(BurnRateAlert.workbook());

            Slo latency = slos.get("search-latency").orElseThrow();
            assertThat(latency.indicator()).isEqualTo(Slo.Indicator.LATENCY);
            assertThat(latency.threshold()).contains(Duration.ofMillis(250));
            assertThat(latency.objective().doubleValue()).isEqualTo(0.99);
            assertThat(latency.window()).isEqualTo(Duration.ofDays(7));
            assertThat(latency.resolution()).isEqualTo(Duration.ofMinutes(5));
            assertThat(latency.requests()).isEmpty();
            assertThat(latency.alerts()).containsExactly(
                    new BurnRateAlert("fast", "page", 10, Duration.ofHours(1), Duration.ofMinutes(5)));
        });
    }

    @Test
    void everyInvalidSettingFailsTheStartupNamedByPathAndValue() {
        runner.withPropertyValues(
                "nines.slo.evaluation-interval=0s",
                "nines.slo.instances.a.indicator=speed",
                "nines.slo.instances.b.objective=100%",
                "nines.slo.instances.c.objective=three nines",
                "nines.slo.instances.d.indicator=latency",
                "nines.slo.instances.e.threshold=1s",
                "nines.slo.instances.f.rate-limited=ignored",
                "nines.slo.instances.g.window=90s",
                "nines.slo.instances.h.window=1h",
                "nines.slo.instances.i.alerts[0].name=fast",
                "nines.slo.instances.i.alerts[0].severity=page now",
                "nines.slo.instances.i.alerts[0].burn-rate=-1",
                "nines.slo.instances.i.alerts[0].long-window=5m",
                "nines.slo.instances.i.alerts[0].short-window=1h").run(context -> {
            assertThat(context).hasFailed();
            NinesConfigurationException e = rootCause(context.getStartupFailure(), NinesConfigurationException.class);
            assertThat(e.problems()).containsExactly(
                    "nines.slo.evaluation-interval: must be more than 0 but was PT0S",
                    "nines.slo.instances.a.indicator: must be availability or latency but was 'speed'",
                    "nines.slo.instances.b.objective: must be strictly between 0 and 100% (100% leaves no error"
                            + " budget) but was '100%'",
                    "nines.slo.instances.c.objective: must be a percentage such as 99.9% or a fraction such as 0.999"
                            + " but was 'three nines'",
                    "nines.slo.instances.d.threshold: must be more than 0 for a latency SLO but was null",
                    "nines.slo.instances.e.threshold: must be unset for an availability SLO (set indicator: latency)"
                            + " but was PT1S",
                    "nines.slo.instances.f.rate-limited: must be answer, failure or excluded but was 'ignored'",
                    "nines.slo.instances.g.window: must be a positive whole number of resolutions (PT1M) but was PT1M30S",
                    // the workbook's ticket alert looks back 3 days
                    "nines.slo.instances.h: slo h: alert page-slow's longWindow must fit in the window PT1H but was"
                            + " PT6H (set a longer window or an alert table that fits)",
                    "nines.slo.instances.i.alerts[0].severity: must be letters, digits, _ or - but was 'page now'",
                    "nines.slo.instances.i.alerts[0].burn-rate: must be a number more than 0 but was -1.0",
                    "nines.slo.instances.i.alerts[0].short-window: must be shorter than long-window PT5M but was PT1H");
            FailureAnalysis analysis = new NinesFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).startsWith("Invalid nines configuration:")
                    .contains("nines.slo.instances.a.indicator");
        });
    }

    @Test
    void anInvalidDefaultIsReportedAtItsOwnPath() {
        runner.withPropertyValues("nines.slo.defaults.degraded=sometimes", "nines.slo.instances.checkout.window=7d")
                .run(context -> assertThat(rootCause(context.getStartupFailure(), NinesConfigurationException.class)
                        .problems()).containsExactly(
                                "nines.slo.defaults.degraded: must be answer, failure or excluded but was 'sometimes'"));
    }

    @Test
    void anAnnotatedMethodFeedsTheSloOfItsNameAndTheHealthShowsTheBurn() {
        runner.withUserConfiguration(Clients.class).withPropertyValues(
                "nines.slo.instances.checkout.requests=Client.call",
                "nines.slo.instances.checkout.objective=99%",
                "nines.slo.health.degrade-on-fast-burn=true").run(context -> {
            assertThat(context).hasNotFailed();
            Slo checkout = context.getBean(SloRegistry.class).get("checkout").orElseThrow();
            Client client = context.getBean(Client.class);
            HealthIndicator health = context.getBean("sloHealthIndicator", HealthIndicator.class);
            client.call(false);
            assertThat(checkout.counts(Duration.ofHours(1)).total()).isEqualTo(1);
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);

            for (int i = 0; i < 3; i++) {
                try {
                    client.call(true);
                } catch (IllegalStateException expected) {
                    // the failing call is what the SLO counts
                }
            }

            assertThat(checkout.counts(Duration.ofHours(1)).good()).isEqualTo(1);
            assertThat(checkout.counts(Duration.ofHours(1)).total()).isEqualTo(4);
            Health h = health.health();
            assertThat(h.getStatus()).isEqualTo(SloHealthIndicator.DEGRADED);
            Map<String, Object> details = map(h.getDetails().get("checkout"));
            assertThat(details).containsEntry("objective", "99%").containsEntry("good", 1L)
                    .containsEntry("total", 4L).containsEntry("attainment", 0.25).containsEntry("state", "page")
                    .containsEntry("fastBurn", true).containsEntry("budgetRemaining", -74.0);
            // 3 bad of 4 over each window, 1% allowed: a burn rate of 75
            assertThat(map(details.get("burnRates"))).containsEntry("1h", 75.0).containsEntry("5m", 75.0)
                    .containsKeys("6h", "30m", "3d").hasSize(5);
            // the policy's own events still reach the application's sink
            assertThat(context.getBean(MeterRegistry.class).find("nines.requests").tag("endpoint", "Client.call")
                    .meters()).isNotEmpty();
        });
    }

    @Test
    void aFastBurnLeavesTheHealthUpUnlessConfiguredToDegrade() {
        runner.withPropertyValues("nines.slo.instances.checkout.objective=99%").run(context -> {
            Slo checkout = context.getBean(SloRegistry.class).get("checkout").orElseThrow();
            checkout.record(false);
            Health h = context.getBean("sloHealthIndicator", HealthIndicator.class).health();
            assertThat(h.getStatus()).isEqualTo(Status.UP);
            assertThat(map(h.getDetails().get("checkout"))).containsEntry("state", "page")
                    .containsEntry("fastBurn", true);
        });
    }

    @Test
    void theSlosAreMetersOfTheApplicationsRegistry() {
        runner.withPropertyValues("nines.slo.instances.checkout.objective=99%").run(context -> {
            SloMeters meters = context.getBean(SloMeters.class);
            MeterRegistry registry = new SimpleMeterRegistry();
            meters.bindTo(registry);
            context.getBean(SloRegistry.class).get("checkout").orElseThrow().record(true);
            assertThat(registry.get(SloMeters.OBJECTIVE).tag("slo", "checkout").gauge().value()).isEqualTo(0.99);
            assertThat(registry.get(SloMeters.EVENTS).tag("slo", "checkout").functionCounter().count()).isEqualTo(1);
        });
    }

    @Test
    void theEvaluationReportsStateChangesAsTransitionsAndStopsWithTheContext() {
        runner.withUserConfiguration(Transitions.class).withPropertyValues(
                "nines.slo.instances.checkout.objective=99%").run(context -> {
            SloRegistry slos = context.getBean(SloRegistry.class);
            slos.get("checkout").orElseThrow().record(false);
            slos.evaluate();
            assertThat(context.getBean(RecordingSink.class).transitions).containsExactly("checkout slo ok->page");
            SloEvaluation evaluation = context.getBean(SloEvaluation.class);
            assertThat(evaluation.isClosed()).isFalse();
            context.close();
            assertThat(evaluation.isClosed()).isTrue();
        });
    }

    @Test
    void withoutNinesSloThereAreNoSlosAndThePoliciesStillBuild() {
        runner.withClassLoader(new FilteredClassLoader(SloRegistry.class))
                .withPropertyValues("nines.circuit-breaker.instances.payments.minimum-calls=5").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean("ninesSloRegistry");
                    assertThat(context).doesNotHaveBean("sloHealthIndicator");
                    assertThat(context.getBean(PolicyRegistry.class).find("payments", CircuitBreaker.class)).isPresent();
                });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object detail) {
        return (Map<String, Object>) detail;
    }

    private static <T extends Throwable> T rootCause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + t, t);
    }

    @Test
    void aBudgetProtectionBeanHearsTheSlosAndTightensAConfiguredRetryBudgetThroughTheRegistry() {
        runner.withUserConfiguration(Protection.class).withPropertyValues(
                "nines.retry-budget.instances.payments.retry-ratio=0.2",
                "nines.slo.instances.checkout.requests=Client.call").run(context -> {
            assertThat(context).hasNotFailed();
            PolicyRegistry policies = context.getBean(PolicyRegistry.class);
            SloRegistry slos = context.getBean(SloRegistry.class);
            Slo checkout = slos.get("checkout").orElseThrow();
            for (int i = 0; i < 10; i++) {
                checkout.record(false); // every request failing: far past the fast-burn rate
            }
            slos.evaluate();
            assertThat(policies.find("payments", RetryBudget.class).orElseThrow().config().retryRatio()).isEqualTo(0.01);
            assertThat(context.getBean(BudgetProtection.class).protecting()).isNotEmpty();
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class Protection {
        @Bean
        BudgetProtection checkoutProtection(PolicyRegistry policies) {
            return BudgetProtection.builder(policies).tightenRetryBudget("checkout", "payments", 0.01).build();
        }
    }

    /** The time of every SLO: a clock that stands still, so events and the status share a bucket. */
    @Configuration(proxyBeanMethods = false)
    static class Time {
        @Bean
        ManualTicker sloTestTicker() {
            return new ManualTicker();
        }

        @Bean
        MeterRegistry sloTestMeters() {
            return new SimpleMeterRegistry();
        }
    }

    /** An annotated bean. */
    public static class Client {
        /** Fails when told to. */
        @WithCircuitBreaker(name = "client", minimumCalls = 100)
        public String call(boolean fail) {
            if (fail) {
                throw new IllegalStateException("down");
            }
            return "called";
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Clients {
        @Bean
        Client client() {
            return new Client();
        }
    }

    /** Remembers transitions. */
    static final class RecordingSink implements MetricsSink {
        final List<String> transitions = new CopyOnWriteArrayList<>();

        @Override
        public void onTransition(String policy, String kind, String fromState, String toState) {
            transitions.add(policy + " " + kind + " " + fromState + "->" + toState);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Transitions {
        @Bean
        RecordingSink sloTestSink() {
            return new RecordingSink();
        }
    }
}
