package dev.nines.spring.boot.autoconfigure.internal;

import dev.nines.slo.SloHealth;
import dev.nines.slo.SloRegistry;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code slo} health contributor: one detail per SLO as {@link SloHealth#describe} gives it
 * (objective, attainment, budget remaining, state, burn rate over each alert window), from one
 * evaluation of the registry per health request. Its status is UP,
 * or {@link #DEGRADED} while an SLO burns fast (a page alert fires) when so configured. DEGRADED is a
 * custom status: HTTP 200 by Spring Boot's default mapping, and left out of the aggregate status
 * unless {@code management.endpoint.health.status.order} lists it; the contributor belongs to no
 * probe group, so a fast burn never takes the instance out of the load balancer. Thread-safe.
 */
public final class SloHealthIndicator implements HealthIndicator {

    /** The status of a fast burn, when {@code nines.slo.health.degrade-on-fast-burn} is true. */
    public static final Status DEGRADED = new Status("DEGRADED", "an SLO's error budget burns fast");

    private final SloHealth health;

    /**
     * The health of {@code slos}' SLOs.
     *
     * @param degradeOnFastBurn whether a fast burn reports {@link #DEGRADED} rather than UP
     */
    public SloHealthIndicator(SloRegistry slos, boolean degradeOnFastBurn) {
        this.health = SloHealth.of(slos, degradeOnFastBurn);
    }

    @Override
    public Health health() {
        synchronized (health) { // the detail and the flag of one evaluation, not another request's
            Map<String, Object> detail = health.detail();
            return Health.status(health.degraded() ? DEGRADED : Status.UP).withDetails(detail).build();
        }
    }
}
