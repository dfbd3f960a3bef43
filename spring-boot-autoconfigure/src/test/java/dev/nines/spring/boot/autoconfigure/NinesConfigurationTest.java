package dev.nines.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.annotation.PolicyRegistry;
import dev.nines.bulkhead.SemaphoreBulkhead;
import dev.nines.bulkhead.ThreadPoolBulkhead;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.circuitbreaker.CircuitBreakerConfig;
import dev.nines.ratelimit.KeyedRateLimiter;
import dev.nines.ratelimit.RateLimiter;
import dev.nines.retry.Retry;
import dev.nines.retry.RetryBudget;
import dev.nines.shedding.LoadShedder;
import dev.nines.shedding.throttle.AdaptiveThrottle;
import dev.nines.spring.boot.autoconfigure.internal.NinesConfigurationException;
import dev.nines.spring.boot.autoconfigure.internal.NinesFailureAnalyzer;
import dev.nines.timeout.Timeout;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class NinesConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(NinesAutoConfiguration.class));

    @Test
    void anInstanceIsTheDefaultsOverriddenByItsOwnEntries() {
        runner.withPropertyValues(
                "nines.circuit-breaker.defaults.failure-rate-threshold=0.25",
                "nines.circuit-breaker.defaults.minimum-calls=7",
                "nines.circuit-breaker.instances.payments.minimum-calls=5",
                "nines.circuit-breaker.instances.payments.open-duration=10s",
                "nines.circuit-breaker.instances.search.count-window=40").run(context -> {
                    assertThat(context).hasNotFailed();
                    PolicyRegistry registry = context.getBean(PolicyRegistry.class);
                    CircuitBreakerConfig payments = registry.find("payments", CircuitBreaker.class).orElseThrow().config();
                    assertThat(payments.failureRateThreshold()).isEqualTo(0.25);
                    assertThat(payments.minimumCalls()).isEqualTo(5);
                    assertThat(payments.openDuration()).isEqualTo(Duration.ofSeconds(10));
                    CircuitBreakerConfig search = registry.find("search", CircuitBreaker.class).orElseThrow().config();
                    assertThat(search.minimumCalls()).isEqualTo(7);
                    assertThat(search.windowSize()).isEqualTo(40);
                    assertThat(search.openDuration()).isEqualTo(Duration.ofSeconds(60)); // the builder's default
                });
    }

    @Test
    void everySectionBuildsItsInstancesIntoTheRegistry() {
        runner.withPropertyValues(
                "nines.retry-budget.instances.shared.retry-ratio=0.2",
                "nines.retry.instances.fetch.max-attempts=4",
                "nines.retry.instances.fetch.budget=shared",
                "nines.retry.instances.fetch.backoff.type=fixed",
                "nines.retry.instances.fetch.backoff.delay=50ms",
                "nines.timeout.instances.slow.timeout=2s",
                "nines.bulkhead.instances.db.max-concurrent=10",
                "nines.thread-pool-bulkhead.instances.pool.max-threads=2",
                "nines.rate-limiter.instances.api.limit=100/1s",
                "nines.rate-limiter.instances.api.burst=20",
                "nines.keyed-rate-limiter.instances.clients.limit=6000/1m",
                "nines.load-shedder.instances.inbound.limit-type=gradient",
                "nines.load-shedder.instances.inbound.gradient.max-limit=200",
                "nines.load-shedder.instances.inbound.shares.P3=0.4",
                "nines.adaptive-throttle.instances.backend.k=1.5",
                "nines.circuit-breaker.instances.[Payment.charge].minimum-calls=3").run(context -> {
                    assertThat(context).hasNotFailed();
                    PolicyRegistry r = context.getBean(PolicyRegistry.class);
                    assertThat(r.find("shared", RetryBudget.class)).isPresent();
                    Retry fetch = r.find("fetch", Retry.class).orElseThrow();
                    assertThat(fetch.config().maxAttempts()).isEqualTo(4);
                    assertThat(fetch.config().budget()).containsSame(r.find("shared", RetryBudget.class).orElseThrow());
                    assertThat(r.find("slow", Timeout.class).orElseThrow().config().timeout()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(r.find("db", SemaphoreBulkhead.class).orElseThrow().config().maxConcurrent()).isEqualTo(10);
                    assertThat(r.find("pool", ThreadPoolBulkhead.class)).isPresent();
                    RateLimiter api = r.find("api", RateLimiter.class).orElseThrow();
                    assertThat(api.toString()).contains("100 per PT1S (burst 20)");
                    assertThat(r.find("clients", KeyedRateLimiter.class)).isPresent();
                    LoadShedder inbound = r.find("inbound", LoadShedder.class).orElseThrow();
                    assertThat(inbound.config().share(dev.nines.Priority.P3)).isEqualTo(0.4);
                    assertThat(r.find("backend", AdaptiveThrottle.class)).isPresent();
                    assertThat(r.find("Payment.charge", CircuitBreaker.class).orElseThrow().config().minimumCalls())
                            .isEqualTo(3);
                });
    }

    @Test
    void anInvalidValueFailsTheStartupNamingThePropertyPathAndTheValue() {
        runner.withPropertyValues("nines.circuit-breaker.instances.payments.failure-rate-threshold=150",
                "nines.circuit-breaker.instances.payments.half-open-probes=0").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause().isInstanceOf(NinesConfigurationException.class)
                            .hasMessageContaining("nines.circuit-breaker.instances.payments.failure-rate-threshold:"
                                    + " must be a fraction in (0, 1] but was 150.0")
                            .hasMessageContaining("nines.circuit-breaker.instances.payments.half-open-probes: must be"
                                    + " in [1, 1000] but was 0");
                });
    }

    @Test
    void anInvalidDefaultIsReportedAtTheDefaultsPath() {
        runner.withPropertyValues("nines.bulkhead.defaults.max-concurrent=0",
                "nines.bulkhead.instances.db.max-wait=1s").run(context -> assertThat(context.getStartupFailure())
                        .rootCause().hasMessageContaining("nines.bulkhead.defaults.max-concurrent: must be >= 1 but was 0"));
    }

    @Test
    void aRateThatCannotBeReadFailsNamingItsPath() {
        runner.withPropertyValues("nines.rate-limiter.instances.api.limit=fast").run(context -> assertThat(
                context.getStartupFailure()).rootCause().hasMessageContaining(
                        "nines.rate-limiter.instances.api.limit: must be permits/period, like 100/1s, 100/s or"
                                + " 6000/1m, but was 'fast'"));
    }

    @Test
    void aRetryNamingAnUnknownBudgetFails() {
        runner.withPropertyValues("nines.retry-budget.instances.shared.retry-ratio=0.2",
                "nines.retry.instances.fetch.budget=shraed").run(context -> assertThat(context.getStartupFailure())
                        .rootCause().hasMessageContaining("nines.retry.instances.fetch.budget: must be one of"
                                + " nines.retry-budget.instances [shared] but was shraed"));
    }

    @Test
    void aMisspeltKeyUnderAnInstanceFailsInsteadOfBeingIgnored() {
        runner.withPropertyValues("nines.circuit-breaker.instances.payments.failure-rate-treshold=0.5")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(
                            UnboundConfigurationPropertiesException.class);
                    BindException bind = findCause(context.getStartupFailure(), BindException.class);
                    assertThat(bind.getName().toString()).isEqualTo("nines.circuit-breaker");
                    assertThat(context.getStartupFailure()).rootCause().hasMessageContaining(
                            "nines.circuit-breaker.instances.payments.failure-rate-treshold");
                });
    }

    @Test
    void theWebGuardsSectionIsNotTakenForATypo() {
        runner.withPropertyValues("nines.web.trusted-proxies=10.0.0.0/8",
                "nines.circuit-breaker.instances.payments.minimum-calls=5")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void theFailureAnalyzerPrintsOneLinePerProblemAndTheAction() {
        runner.withPropertyValues("nines.circuit-breaker.instances.payments.failure-rate-threshold=150",
                "nines.timeout.instances.slow.timeout=0s").run(context -> {
                    FailureAnalysis analysis = new NinesFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis).isNotNull();
                    assertThat(analysis.getDescription()).startsWith("Invalid nines configuration:")
                            .contains("\n    nines.circuit-breaker.instances.payments.failure-rate-threshold: must be"
                                    .replace("\n", System.lineSeparator()))
                            .contains("nines.timeout.instances.slow.timeout: must be > 0 but was PT0S");
                    assertThat(analysis.getAction()).contains("nines.* properties");
                });
    }

    @Test
    void anApplicationsOwnRegistryGetsTheConfiguredInstances() {
        runner.withUserConfiguration(OwnRegistry.class)
                .withPropertyValues("nines.circuit-breaker.instances.payments.minimum-calls=5").run(context -> {
                    assertThat(context).hasSingleBean(PolicyRegistry.class);
                    assertThat(context.getBean(PolicyRegistry.class)).isSameAs(OwnRegistry.REGISTRY);
                    assertThat(OwnRegistry.REGISTRY.find("payments", CircuitBreaker.class)).isPresent();
                });
    }

    @Test
    void ninesEnabledFalseTurnsEverythingOff() {
        runner.withPropertyValues("nines.enabled=false", "nines.circuit-breaker.instances.payments.minimum-calls=5")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(PolicyRegistry.class);
                    assertThat(context).doesNotHaveBean("ninesAnnotationBeanPostProcessor");
                });
    }

    private static <T extends Throwable> T findCause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + t);
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnRegistry {
        static final PolicyRegistry REGISTRY = new PolicyRegistry();

        @Bean
        PolicyRegistry myRegistry() {
            return REGISTRY;
        }
    }
}
