package dev.nines.spring.boot.autoconfigure.internal;

import dev.nines.spring.boot.autoconfigure.CircuitBreakerProperties;
import dev.nines.spring.boot.autoconfigure.LoadShedderProperties;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** The condition of {@link ConditionalOnCriticalPolicies}; binds leniently, the factory validates. */
final class CriticalPoliciesCondition extends SpringBootCondition {

    CriticalPoliciesCondition() {
    }

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Binder binder = Binder.get(context.getEnvironment());
        CircuitBreakerProperties breakers = binder.bindOrCreate("nines.circuit-breaker", CircuitBreakerProperties.class);
        LoadShedderProperties shedders = binder.bindOrCreate("nines.load-shedder", LoadShedderProperties.class);
        boolean breakerDefault = Boolean.TRUE.equals(breakers.getDefaults().getCritical());
        boolean shedderDefault = Boolean.TRUE.equals(shedders.getDefaults().getCritical());
        boolean any = breakers.getInstances().values().stream()
                .anyMatch(s -> s.getCritical() == null ? breakerDefault : s.getCritical())
                || shedders.getInstances().values().stream()
                        .anyMatch(s -> s.getCritical() == null ? shedderDefault : s.getCritical());
        any |= FleetBuilders.available(context.getClassLoader()) && FleetBuilders.anyCritical(binder);
        return any ? ConditionOutcome.match("a nines policy is critical")
                : ConditionOutcome.noMatch("no nines circuit breaker or load shedder is critical");
    }
}
