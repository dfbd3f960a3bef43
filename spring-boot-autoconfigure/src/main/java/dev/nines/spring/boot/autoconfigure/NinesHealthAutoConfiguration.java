package dev.nines.spring.boot.autoconfigure;

import dev.nines.spring.boot.autoconfigure.internal.ConditionalOnCriticalPolicies;
import dev.nines.spring.boot.autoconfigure.internal.ConfiguredPolicies;
import dev.nines.spring.boot.autoconfigure.internal.PolicyHealth;
import dev.nines.spring.boot.autoconfigure.internal.ReadinessGroupPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Actuator health for the policies marked {@code critical: true} (circuit breakers and load
 * shedders): a composite contributor named {@code nines} with one member per such policy, DOWN
 * while a breaker is open or a shedder is in its CRITICAL_ONLY tier, made a member of the {@code readiness}
 * group and of no other probe, so liveness stays UP. Present when spring-boot-health is on the
 * class path and at least one policy is critical.
 *
 * <p>Whether an open breaker should take an instance out of rotation is a choice: every replica
 * shares the dependency, so all leave the load balancer together, and the endpoints that do not
 * need the dependency go with them (the nines {@code HealthEndpoint} keeps readiness UP for that
 * reason). Mark critical only what the instance cannot serve anything without.
 */
@AutoConfiguration(after = NinesAutoConfiguration.class,
        afterName = "org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration")
@ConditionalOnClass(HealthContributor.class)
@ConditionalOnBean(ConfiguredPolicies.class)
@ConditionalOnBooleanProperty(name = "nines.enabled", matchIfMissing = true)
public class NinesHealthAutoConfiguration {

    /** Created by Spring. */
    public NinesHealthAutoConfiguration() {
    }

    /**
     * The {@code nines} contributor: one member per critical policy.
     *
     * @param policies the configured policies
     * @return the composite contributor
     */
    @Bean
    @ConditionalOnCriticalPolicies
    public HealthContributor ninesHealthContributor(ConfiguredPolicies policies) {
        return PolicyHealth.of(policies);
    }

    /** Adds {@code nines} to the readiness group when the actuator's health endpoint is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor")
    @ConditionalOnCriticalPolicies
    static class Readiness {

        @Bean
        ReadinessGroupPostProcessor ninesReadinessGroupPostProcessor() {
            return new ReadinessGroupPostProcessor("nines");
        }
    }
}
