package dev.nines.slo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The SLOs of a registry as a health check shows them: per SLO its objective, attainment, error
 * budget left, alert state and burn rates, and whether the service should call itself degraded
 * because a budget burns fast. Plugs into the web module's health detail
 * ({@code HealthEndpoint.builder().section("slos", health::detail, health::degraded)}) or any other.
 *
 * <p>Each {@link #detail()} evaluates the registry ({@link SloRegistry#evaluate()}, which also
 * reports state changes) and remembers whether an SLO burned fast; {@link #degraded()} answers from
 * that evaluation, so a health check that asks for both computes the SLOs once. Thread-safe.
 */
public final class SloHealth {

    private final SloRegistry registry;
    private final boolean degradeOnFastBurn;
    private volatile boolean fastBurn;

    private SloHealth(SloRegistry registry, boolean degradeOnFastBurn) {
        this.registry = registry;
        this.degradeOnFastBurn = degradeOnFastBurn;
    }

    /**
     * Shows {@code registry}'s SLOs; with {@code degradeOnFastBurn}, the service is
     * {@linkplain #degraded() degraded} while any SLO's page alert fires (off, SLOs only inform).
     */
    public static SloHealth of(SloRegistry registry, boolean degradeOnFastBurn) {
        return new SloHealth(Objects.requireNonNull(registry, "registry"), degradeOnFastBurn);
    }

    /** Evaluates the SLOs and returns their detail, keyed by SLO name, in the order they were added. */
    public Map<String, Object> detail() {
        Map<String, Object> detail = new LinkedHashMap<>();
        boolean burning = false;
        List<SloStatus> statuses = registry.evaluate();
        for (SloStatus status : statuses) {
            registry.get(status.name()).ifPresent(slo -> detail.put(status.name(), describe(slo, status)));
            burning |= status.fastBurn();
        }
        fastBurn = burning;
        return detail;
    }

    /**
     * Returns whether the last {@link #detail()} saw an SLO burning fast, when this health was built to
     * degrade on it; false before any detail.
     */
    public boolean degraded() {
        return degradeOnFastBurn && fastBurn;
    }

    /**
     * One SLO's detail: {@code indicator} ("availability", "latency"), {@code threshold} (latency
     * only, "250ms"), {@code objective} ("99.9%"), {@code window} ("30d"), {@code good},
     * {@code total}, {@code attainment}, {@code budgetRemaining} (fraction),
     * {@code budgetRemainingEvents}, {@code state} ("ok", "ticket", "page"), {@code fastBurn},
     * {@code burnRates} (per distinct alert window, "5m", "1h") and per alert its {@code severity},
     * {@code threshold}, {@code longBurnRate}, {@code shortBurnRate} and {@code firing}. Fractions and
     * rates to six places.
     */
    public static Map<String, Object> describe(Slo slo, SloStatus status) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("indicator", slo.indicator().name().toLowerCase(java.util.Locale.ROOT));
        slo.threshold().ifPresent(t -> d.put("threshold", BurnRateAlert.label(t)));
        d.put("objective", status.objective().toString());
        d.put("window", BurnRateAlert.label(status.window()));
        d.put("good", status.good());
        d.put("total", status.total());
        d.put("attainment", round(status.attainment()));
        d.put("budgetRemaining", round(status.budgetRemaining()));
        d.put("budgetRemainingEvents", round(status.budgetRemainingEvents()));
        d.put("state", status.state());
        d.put("fastBurn", status.fastBurn());
        Map<String, Object> burnRates = new LinkedHashMap<>();
        Map<String, Object> alerts = new LinkedHashMap<>();
        for (SloStatus.AlertStatus a : status.alerts()) {
            burnRates.putIfAbsent(BurnRateAlert.label(a.alert().longWindow()), round(a.longBurnRate()));
            burnRates.putIfAbsent(BurnRateAlert.label(a.alert().shortWindow()), round(a.shortBurnRate()));
            Map<String, Object> alert = new LinkedHashMap<>();
            alert.put("severity", a.alert().severity());
            alert.put("threshold", a.alert().burnRate());
            alert.put("longBurnRate", round(a.longBurnRate()));
            alert.put("shortBurnRate", round(a.shortBurnRate()));
            alert.put("firing", a.firing());
            alerts.put(a.alert().name(), alert);
        }
        d.put("burnRates", burnRates);
        d.put("alerts", alerts);
        return d;
    }

    private static double round(double value) {
        return Math.round(value * 1e6) / 1e6;
    }

    @Override
    public String toString() {
        return "SloHealth[" + registry + (degradeOnFastBurn ? ", degrades on fast burn]" : "]");
    }
}
