package dev.nines.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.Policy;
import dev.nines.annotation.PolicyRegistry;
import dev.nines.bulkhead.SemaphoreBulkhead;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.circuitbreaker.CircuitState;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.MetricsSink;
import dev.nines.ratelimit.Rate;
import dev.nines.ratelimit.RateLimiter;
import dev.nines.retry.Retry;
import dev.nines.retry.RetryBudget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * A changed {@code nines.*} configuration reaches the running policies through Spring Cloud's
 * refresh event (a real {@link EnvironmentChangeEvent}), keeping their state, and a bad one is
 * refused with one log line and the old configuration kept.
 */
@ExtendWith(OutputCaptureExtension.class)
class NinesReloadTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(NinesAutoConfiguration.class));

    /** Puts {@code properties} over the environment and tells the context, as Spring Cloud's refresh does. */
    private static void change(AssertableApplicationContext context, Map<String, Object> properties) {
        ConfigurableEnvironment environment = context.getEnvironment();
        environment.getPropertySources().remove("changed");
        environment.getPropertySources().addFirst(new MapPropertySource("changed", properties));
        context.publishEvent(new EnvironmentChangeEvent(context, properties.keySet()));
    }

    @Test
    void aLimitChangedUnderLoadCreatesNoPermitAndLosesNoCall() {
        runner.withPropertyValues("nines.rate-limiter.instances.api.limit=5/1h").run(context -> {
            RateLimiter api = context.getBean(PolicyRegistry.class).find("api", RateLimiter.class).orElseThrow();
            LongAdder granted = new LongAdder();
            LongAdder refused = new LongAdder();
            LongAdder calls = new LongAdder();
            AtomicBoolean running = new AtomicBoolean(true);
            CountDownLatch done = new CountDownLatch(4);
            List<Thread> takers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Thread taker = new Thread(() -> {
                    try {
                        while (running.get()) {
                            calls.increment();
                            if (api.tryAcquire()) {
                                granted.increment();
                            } else {
                                refused.increment();
                            }
                        }
                    } finally {
                        done.countDown();
                    }
                });
                takers.add(taker);
                taker.start();
            }
            try {
                awaitAtLeast(refused, 1_000); // the burst of 5 is gone
                // ten times the burst, at a rate that refills nothing within the test: a limiter
                // rebuilt instead of reconfigured would hand out 50 more at once
                change(context, Map.of("nines.rate-limiter.instances.api.limit", "1/1h",
                        "nines.rate-limiter.instances.api.burst", "50"));
                assertThat(api.limits()).containsExactly(Rate.of(1, Duration.ofHours(1), 50));
                long refusedAtChange = refused.sum();
                awaitAtLeast(refused, refusedAtChange + 1_000); // decisions under the new limit
            } finally {
                running.set(false);
                done.await();
            }
            assertThat(granted.sum()).as("the burst of the first limit, and no permit since").isEqualTo(5);
            assertThat(granted.sum() + refused.sum()).as("every call answered once").isEqualTo(calls.sum());
        });
    }

    private static void awaitAtLeast(LongAdder counter, long n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (counter.sum() < n) {
            assertThat(System.nanoTime() - deadline).as("waiting for " + n + " decisions").isNegative();
            Thread.sleep(1); // waiting for the takers' progress, not for time to pass
        }
    }

    @Test
    void aBreakerKeepsItsStateAndTakesItsNewThresholds() {
        runner.withPropertyValues("nines.circuit-breaker.instances.payments.failure-rate-threshold=0.5",
                "nines.circuit-breaker.instances.payments.minimum-calls=2").run(context -> {
                    CircuitBreaker payments = context.getBean(PolicyRegistry.class)
                            .find("payments", CircuitBreaker.class).orElseThrow();
                    for (int i = 0; i < 2; i++) {
                        assertThat(payments.tryAcquirePermission()).isTrue();
                        payments.onError(0, new IllegalStateException("down"));
                    }
                    assertThat(payments.state()).isEqualTo(CircuitState.OPEN);
                    NinesReloader.Result result = reload(context,
                            Map.of("nines.circuit-breaker.instances.payments.failure-rate-threshold", "0.2"));
                    assertThat(result.reconfigured()).containsExactly("payments");
                    assertThat(result.refused()).isEmpty();
                    assertThat(payments.state()).isEqualTo(CircuitState.OPEN);
                    assertThat(payments.config().failureRateThreshold()).isEqualTo(0.2);
                });
    }

    private static NinesReloader.Result reload(AssertableApplicationContext context, Map<String, Object> properties) {
        ConfigurableEnvironment environment = context.getEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("changed", properties));
        return context.getBean(NinesReloader.class).reload();
    }

    @Test
    void anInvalidChangeIsRefusedWithOneLogLineAndTheRunningConfigurationKept(CapturedOutput output) {
        runner.withPropertyValues("nines.rate-limiter.instances.api.limit=5/1s",
                "nines.circuit-breaker.instances.payments.minimum-calls=10").run(context -> {
                    PolicyRegistry registry = context.getBean(PolicyRegistry.class);
                    RateLimiter api = registry.find("api", RateLimiter.class).orElseThrow();
                    CircuitBreaker payments = registry.find("payments", CircuitBreaker.class).orElseThrow();
                    List<String> changed = new ArrayList<>();
                    registry.addListener(new PolicyRegistry.Listener() {
                        @Override
                        public void onReconfigured(Policy policy, Object previousConfig, Object newConfig) {
                            changed.add(policy.name());
                        }
                    });
                    // one valid change beside an invalid one: nothing applies
                    change(context, Map.of("nines.circuit-breaker.instances.payments.minimum-calls", "20",
                            "nines.rate-limiter.instances.api.burst", "-3"));
                    assertThat(changed).isEmpty();
                    assertThat(api.limits()).containsExactly(Rate.of(5, Duration.ofSeconds(1), 5));
                    assertThat(payments.config().minimumCalls()).isEqualTo(10);
                    List<String> lines = output.getAll().lines()
                            .filter(l -> l.contains("refused the changed configuration")).toList();
                    assertThat(lines).hasSize(1);
                    assertThat(lines.get(0)).contains("nines.rate-limiter.instances.api.burst").contains("-3");
                });
    }

    @Test
    void anUnknownKeyIsRefusedLikeAnInvalidValue(CapturedOutput output) {
        runner.withPropertyValues("nines.circuit-breaker.instances.payments.minimum-calls=10").run(context -> {
            NinesReloader.Result result = reload(context,
                    Map.of("nines.circuit-breaker.instances.payments.minimun-calls", "20"));
            assertThat(result.applied()).isFalse();
            assertThat(result.reconfigured()).isEmpty();
            assertThat(output.getAll()).contains("refused the changed configuration").contains("minimun-calls");
            assertThat(context.getBean(PolicyRegistry.class).find("payments", CircuitBreaker.class).orElseThrow()
                    .config().minimumCalls()).isEqualTo(10);
        });
    }

    @Test
    void onlyChangedInstancesAreReconfiguredAndOnlyForNinesKeys() {
        runner.withPropertyValues("nines.circuit-breaker.instances.payments.minimum-calls=10",
                "nines.circuit-breaker.instances.search.minimum-calls=10").run(context -> {
                    PolicyRegistry registry = context.getBean(PolicyRegistry.class);
                    List<String> changed = new ArrayList<>();
                    registry.addListener(new PolicyRegistry.Listener() {
                        @Override
                        public void onReconfigured(Policy policy, Object previousConfig, Object newConfig) {
                            changed.add(policy.name());
                        }
                    });
                    change(context, Map.of("server.port", "9000"));
                    assertThat(changed).as("not a nines key").isEmpty();
                    assertThat(context.getBean(NinesReloader.class).reload().reconfigured()).as("nothing changed")
                            .isEmpty();
                    change(context, Map.of("nines.circuit-breaker.instances.search.minimum-calls", "12"));
                    assertThat(changed).containsExactly("search");
                });
    }

    @Test
    void aPolicyThatCannotChangeIsNamedAndTheOthersStillChange(CapturedOutput output) {
        runner.withPropertyValues("nines.thread-pool-bulkhead.instances.pool.max-threads=2",
                "nines.circuit-breaker.instances.payments.minimum-calls=10").run(context -> {
                    NinesReloader.Result result = reload(context, Map.of(
                            "nines.thread-pool-bulkhead.instances.pool.max-threads", "4",
                            "nines.circuit-breaker.instances.payments.minimum-calls", "20"));
                    assertThat(result.reconfigured()).containsExactly("payments");
                    assertThat(result.refused()).singleElement().asString()
                            .startsWith("nines.thread-pool-bulkhead.instances.pool: a ThreadPoolBulkhead cannot change");
                    assertThat(output.getAll().lines().filter(l -> l.contains("kept the running configuration of")))
                            .hasSize(1);
                });
    }

    @Test
    void aNewInstanceIsRegisteredAndARetryKeepsItsSharedBudget() {
        runner.withPropertyValues("nines.retry-budget.instances.shared.retry-ratio=0.2",
                "nines.retry.instances.fetch.max-attempts=3", "nines.retry.instances.fetch.budget=shared")
                .run(context -> {
                    PolicyRegistry registry = context.getBean(PolicyRegistry.class);
                    RetryBudget shared = registry.find("shared", RetryBudget.class).orElseThrow();
                    Retry fetch = registry.find("fetch", Retry.class).orElseThrow();
                    NinesReloader.Result result = reload(context, Map.of("nines.retry.instances.fetch.max-attempts", "5",
                            "nines.circuit-breaker.instances.fresh.minimum-calls", "7"));
                    assertThat(result.reconfigured()).containsExactly("fetch");
                    assertThat(result.added()).containsExactly("fresh");
                    assertThat(fetch.config().maxAttempts()).isEqualTo(5);
                    assertThat(fetch.config().budget()).containsSame(shared);
                    assertThat(registry.find("fresh", CircuitBreaker.class).orElseThrow().config().minimumCalls())
                            .isEqualTo(7);
                });
    }

    @Test
    void aReloadLeavesTheGaugesOfTheRunningPoliciesAlone() {
        InMemoryMetrics metrics = new InMemoryMetrics();
        runner.withBean(MetricsSink.class, () -> metrics)
                .withPropertyValues("nines.bulkhead.instances.db.max-concurrent=10",
                        "nines.bulkhead.instances.files.max-concurrent=4")
                .run(context -> {
                    PolicyRegistry registry = context.getBean(PolicyRegistry.class);
                    SemaphoreBulkhead db = registry.find("db", SemaphoreBulkhead.class).orElseThrow();
                    SemaphoreBulkhead files = registry.find("files", SemaphoreBulkhead.class).orElseThrow();
                    assertThat(db.tryAcquirePermission()).isTrue();
                    assertThat(files.tryAcquirePermission()).isTrue();
                    // db unchanged, files changed: each gauge must still read its running bulkhead,
                    // not an instance built only to check or to carry the new configuration
                    reload(context, Map.of("nines.bulkhead.instances.files.max-concurrent", "6"));
                    assertThat(metrics.gauge("db", SemaphoreBulkhead.GAUGE_IN_FLIGHT)).hasValue(1);
                    assertThat(metrics.gauge("db", SemaphoreBulkhead.GAUGE_AVAILABLE)).hasValue(9);
                    assertThat(metrics.gauge("files", SemaphoreBulkhead.GAUGE_IN_FLIGHT)).hasValue(1);
                    assertThat(metrics.gauge("files", SemaphoreBulkhead.GAUGE_AVAILABLE)).hasValue(5);
                    db.releasePermission();
                    files.releasePermission();
                });
    }

    @Test
    void theRefreshListenerMatchesNinesKeysAsWrittenAndAsEnvironmentVariables() {
        assertThat(Set.of("nines.retry.instances.x.max-attempts", "NINES_RETRY_INSTANCES_X_MAXATTEMPTS"))
                .allMatch(NinesAutoConfiguration.SpringCloudRefresh::isNines);
        assertThat(Set.of("server.port", "ninesish.x", "spring.nines")).noneMatch(NinesAutoConfiguration.SpringCloudRefresh::isNines);
    }
}
