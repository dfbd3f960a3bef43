package dev.nines.spring.boot.autoconfigure.internal;

import dev.nines.Policy;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.circuitbreaker.CircuitState;
import dev.nines.shedding.LoadShedder;
import dev.nines.shedding.Tier;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The health of the policies marked critical, one indicator per policy under one composite
 * contributor: a circuit breaker is DOWN while OPEN or FORCED_OPEN, a load shedder while its tier
 * is {@code CRITICAL_ONLY} (it admits P0 alone, or sheds even P0), a fleet limiter while the breaker
 * guarding its Redis is open. Each shows the state the nines
 * {@code HealthEndpoint} detail shows. Read on every health request; thread-safe.
 */
public final class PolicyHealth {

    private PolicyHealth() {
    }

    /** The composite of {@code policies}' critical members, by policy name. */
    public static CompositeHealthContributor of(ConfiguredPolicies policies) {
        Map<String, HealthContributor> members = new LinkedHashMap<>();
        for (CircuitBreaker b : policies.critical(CircuitBreaker.class)) {
            members.put(b.name(), (HealthIndicator) () -> breaker(b));
        }
        for (LoadShedder s : policies.critical(LoadShedder.class)) {
            members.put(s.name(), (HealthIndicator) () -> shedder(s));
        }
        if (FleetBuilders.available(PolicyHealth.class.getClassLoader())) {
            for (Policy p : policies.critical(Policy.class)) {
                CircuitBreaker redis = FleetBuilders.redisBreaker(p);
                if (redis != null) {
                    members.put(p.name(), (HealthIndicator) () -> fleet(redis));
                }
            }
        }
        return CompositeHealthContributor.fromMap(members);
    }

    static Health breaker(CircuitBreaker b) {
        CircuitState state = b.state();
        boolean open = state == CircuitState.OPEN || state == CircuitState.FORCED_OPEN;
        return (open ? Health.down() : Health.up()).withDetail("kind", "circuit-breaker")
                .withDetail("state", state.name()).withDetail("failureRate", round(b.failureRate()))
                .withDetail("slowCallRate", round(b.slowCallRate())).build();
    }

    static Health fleet(CircuitBreaker redis) {
        CircuitState state = redis.state();
        boolean open = state == CircuitState.OPEN || state == CircuitState.FORCED_OPEN;
        return (open ? Health.down() : Health.up()).withDetail("kind", "fleet-rate-limiter")
                .withDetail("redis", open ? "not answering" : "answering").withDetail("breaker", state.name()).build();
    }

    static Health shedder(LoadShedder s) {
        Tier tier = s.tier();
        return (tier == Tier.CRITICAL_ONLY ? Health.down() : Health.up()).withDetail("kind", "load-shedder")
                .withDetail("tier", tier.name()).withDetail("limit", s.limit()).withDetail("inFlight", s.inFlight())
                .withDetail("queued", s.queued()).build();
    }

    /** A breaker's rate, a fraction, to four places; -1 (unknown) stays -1. */
    private static double round(float rate) {
        return rate < 0 ? -1 : Math.round(rate * 10_000) / 10_000.0;
    }
}
