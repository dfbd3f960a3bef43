package dev.nines.spring.boot.autoconfigure.internal;

import dev.nines.slo.Slo;
import dev.nines.slo.SloRegistry;
import dev.nines.slo.SloStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code slo} health contributor: one detail per SLO (objective, attainment, budget remaining,
 * state, burn rate over each alert window), each computed on the health request. Its status is UP,
 * or {@link #DEGRADED} while an SLO burns fast (a page alert fires) when so configured. DEGRADED is a
 * custom status: HTTP 200 by Spring Boot's default mapping, and left out of the aggregate status
 * unless {@code management.endpoint.health.status.order} lists it; the contributor belongs to no
 * probe group, so a fast burn never takes the instance out of the load balancer. Thread-safe.
 */
public final class SloHealth implements HealthIndicator {

    /** The status of a fast burn, when {@code nines.slo.health.degrade-on-fast-burn} is true. */
    public static final Status DEGRADED = new Status("DEGRADED", "an SLO's error budget burns fast");

    private final SloRegistry slos;
    private final boolean degradeOnFastBurn;

    /**
     * The health of {@code slos}' SLOs.
     *
     * @param degradeOnFastBurn whether a fast burn reports {@link #DEGRADED} rather than UP
     */
    public SloHealth(SloRegistry slos, boolean degradeOnFastBurn) {
        this.slos = slos;
        this.degradeOnFastBurn = degradeOnFastBurn;
    }

    @Override
    public Health health() {
        boolean fastBurn = false;
        Map<String, Object> details = new LinkedHashMap<>();
        for (Slo slo : slos.all()) {
            SloStatus s = slo.status();
            fastBurn |= s.fastBurn();
            details.put(slo.name(), details(slo, s));
        }
        return Health.status(fastBurn && degradeOnFastBurn ? DEGRADED : Status.UP).withDetails(details).build();
    }

    private static Map<String, Object> details(Slo slo, SloStatus s) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("indicator", slo.indicator().name().toLowerCase(java.util.Locale.ROOT));
        slo.threshold().ifPresent(t -> d.put("threshold", t.toString()));
        d.put("objective", s.objective().toString());
        d.put("window", s.window().toString());
        d.put("good", s.good());
        d.put("total", s.total());
        d.put("attainment", round(s.attainment()));
        d.put("budgetRemaining", round(s.budgetRemaining()));
        d.put("budgetRemainingEvents", round(s.budgetRemainingEvents()));
        d.put("state", s.state());
        d.put("fastBurn", s.fastBurn());
        Map<String, Object> burnRates = new LinkedHashMap<>();
        Map<String, Object> alerts = new LinkedHashMap<>();
        for (SloStatus.AlertStatus a : s.alerts()) {
            burnRates.putIfAbsent(window(a.alert().longWindow()), round(a.longBurnRate()));
            burnRates.putIfAbsent(window(a.alert().shortWindow()), round(a.shortBurnRate()));
            alerts.put(a.alert().name(), a.firing() ? "firing" : "ok");
        }
        d.put("burnRates", burnRates);
        d.put("alerts", alerts);
        return d;
    }

    /** A window as Prometheus spells durations: {@code 3d}, {@code 1h}, {@code 30m}. */
    static String window(Duration d) {
        long s = d.toSeconds();
        if (d.toNanos() % 1_000_000_000L != 0 || s == 0) {
            return d.toMillis() + "ms";
        }
        if (s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s % 3_600 == 0) {
            return s / 3_600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    /** Rounded to six decimal places: enough for 99.9999%, short in JSON. */
    private static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }
}
