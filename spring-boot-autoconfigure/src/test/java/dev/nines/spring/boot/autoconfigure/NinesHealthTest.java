package dev.nines.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.annotation.PolicyRegistry;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.shedding.LoadShedder;
import dev.nines.shedding.Tier;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.application.AvailabilityHealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class NinesHealthTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(NinesAutoConfiguration.class, NinesHealthAutoConfiguration.class,
                    ApplicationAvailabilityAutoConfiguration.class, AvailabilityHealthContributorAutoConfiguration.class,
                    AvailabilityProbesAutoConfiguration.class, HealthContributorAutoConfiguration.class,
                    HealthContributorRegistryAutoConfiguration.class, HealthEndpointAutoConfiguration.class))
            .withPropertyValues("nines.circuit-breaker.instances.payments.critical=true",
                    "nines.circuit-breaker.instances.search.minimum-calls=5",
                    "nines.load-shedder.instances.inbound.critical=true");

    @Test
    void anOpenCriticalBreakerMakesReadinessDownAndLeavesLivenessUp() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
            AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
            HealthEndpoint health = context.getBean(HealthEndpoint.class);
            assertThat(health.healthForPath("readiness").getStatus()).isEqualTo(Status.UP);
            assertThat(health.healthForPath("liveness").getStatus()).isEqualTo(Status.UP);
            CircuitBreaker payments = context.getBean(PolicyRegistry.class).find("payments", CircuitBreaker.class)
                    .orElseThrow();
            payments.forceOpen();
            assertThat(health.healthForPath("readiness").getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.healthForPath("liveness").getStatus()).isEqualTo(Status.UP);
            assertThat(health.healthForPath("nines", "payments").getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.healthForPath("nines", "inbound").getStatus()).isEqualTo(Status.UP);
            payments.reset();
            assertThat(health.healthForPath("readiness").getStatus()).isEqualTo(Status.UP);
        });
    }

    @Test
    void aCriticalShedderAdmittingOnlyP0MakesReadinessDown() {
        runner.run(context -> {
            AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
            AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
            HealthEndpoint health = context.getBean(HealthEndpoint.class);
            LoadShedder inbound = context.getBean(PolicyRegistry.class).find("inbound", LoadShedder.class).orElseThrow();
            inbound.forceTier(Tier.ESSENTIAL);
            assertThat(health.healthForPath("readiness").getStatus()).isEqualTo(Status.UP);
            inbound.forceTier(Tier.CRITICAL_ONLY);
            assertThat(health.healthForPath("readiness").getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.healthForPath("liveness").getStatus()).isEqualTo(Status.UP);
            inbound.clearForcedTier();
            assertThat(health.healthForPath("readiness").getStatus()).isEqualTo(Status.UP);
        });
    }

    @Test
    void anOpenBreakerThatIsNotCriticalLeavesReadinessUp() {
        runner.run(context -> {
            AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
            CircuitBreaker search = context.getBean(PolicyRegistry.class).find("search", CircuitBreaker.class)
                    .orElseThrow();
            search.forceOpen();
            assertThat(context.getBean(HealthEndpoint.class).healthForPath("readiness").getStatus())
                    .isEqualTo(Status.UP);
            assertThat(context.getBean(HealthEndpoint.class).healthForPath("nines", "search")).isNull();
            search.reset();
        });
    }

    @Test
    void withoutCriticalPoliciesThereIsNoNinesContributor() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(NinesAutoConfiguration.class, NinesHealthAutoConfiguration.class))
                .withPropertyValues("nines.circuit-breaker.instances.search.minimum-calls=5")
                .run(context -> assertThat(context).doesNotHaveBean("ninesHealthContributor"));
    }
}
