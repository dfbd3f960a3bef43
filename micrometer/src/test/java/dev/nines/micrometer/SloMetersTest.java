package dev.nines.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.slo.BurnRateAlert;
import dev.nines.slo.Slo;
import dev.nines.slo.SloRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SloMetersTest {

    private final ManualTicker sloTime = new ManualTicker();
    private final ManualTicker scrapeTime = new ManualTicker();
    private final SloRegistry slos = new SloRegistry();

    /** 99% over 30 days, the workbook's alerts; 90 good and 10 bad events: a burn rate of 10. */
    private Slo checkoutWithTenPercentBad() {
        Slo slo = slos.add(Slo.availability("checkout").objective(0.99).ticker(sloTime).build());
        for (int i = 0; i < 90; i++) {
            slo.record(true);
        }
        for (int i = 0; i < 10; i++) {
            slo.record(false);
        }
        return slo;
    }

    private static double gauge(MeterRegistry registry, String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    @Test
    void countersAndGaugesReadTheSlosStatus() {
        checkoutWithTenPercentBad();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new SloMeters(slos, Duration.ZERO, scrapeTime).bindTo(registry);

        assertEquals(100, registry.get(SloMeters.EVENTS).tag("slo", "checkout").functionCounter().count());
        assertEquals(90, registry.get(SloMeters.GOOD_EVENTS).tag("slo", "checkout").functionCounter().count());
        assertEquals(0.99, gauge(registry, SloMeters.OBJECTIVE, "slo", "checkout"), 1e-12);
        // 1% of 100 events may fail, 10 did: 9 budgets overspent
        assertEquals(-9, gauge(registry, SloMeters.BUDGET_REMAINING, "slo", "checkout"), 1e-9);
        assertEquals(-9, gauge(registry, SloMeters.BUDGET_REMAINING_EVENTS, "slo", "checkout"), 1e-9);
        for (String window : List.of("1h", "5m", "6h", "30m", "3d")) {
            assertEquals(10, gauge(registry, SloMeters.BURN_RATE, "slo", "checkout", "window", window), 1e-9, window);
        }
        assertEquals(5, registry.get(SloMeters.BURN_RATE).gauges().size());
        // 10 < 14.4: page-fast does not fire; 10 >= 6 and >= 1: page-slow and ticket do
        assertEquals(0, gauge(registry, SloMeters.ALERT_FIRING, "alert", "page-fast", "severity", "page"));
        assertEquals(1, gauge(registry, SloMeters.ALERT_FIRING, "alert", "page-slow", "severity", "page"));
        assertEquals(1, gauge(registry, SloMeters.ALERT_FIRING, "alert", "ticket", "severity", "ticket"));
    }

    @Test
    void theMetersOfOneSloShareOneStatusUntilItIsOlderThanMaxAge() {
        Slo slo = checkoutWithTenPercentBad();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new SloMeters(slos, Duration.ofSeconds(1), scrapeTime).bindTo(registry);
        assertEquals(-9, gauge(registry, SloMeters.BUDGET_REMAINING_EVENTS, "slo", "checkout"), 1e-9);

        for (int i = 0; i < 100; i++) {
            slo.record(false);
        }
        scrapeTime.advance(Duration.ofMillis(999));
        // every meter still reads the status computed a second ago, counters included
        assertEquals(-9, gauge(registry, SloMeters.BUDGET_REMAINING_EVENTS, "slo", "checkout"), 1e-9);
        assertEquals(100, registry.get(SloMeters.EVENTS).functionCounter().count());
        assertEquals(0, gauge(registry, SloMeters.ALERT_FIRING, "alert", "page-fast", "severity", "page"));

        scrapeTime.advance(Duration.ofMillis(1));
        // 200 events, 110 bad, 2 allowed
        assertEquals(-108, gauge(registry, SloMeters.BUDGET_REMAINING_EVENTS, "slo", "checkout"), 1e-9);
        assertEquals(200, registry.get(SloMeters.EVENTS).functionCounter().count());
        assertEquals(1, gauge(registry, SloMeters.ALERT_FIRING, "alert", "page-fast", "severity", "page"));
    }

    @Test
    void countersKeepEventsThatLeftTheWindowAndGaugesForgetThem() {
        Slo slo = slos.add(Slo.availability("search").objective(0.9).window(Duration.ofHours(2))
                .alerts(List.of(new BurnRateAlert("fast", "page", 2, Duration.ofHours(1), Duration.ofMinutes(5))))
                .ticker(sloTime).build());
        slo.record(true);
        slo.record(false);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new SloMeters(slos, Duration.ZERO, scrapeTime).bindTo(registry);
        assertEquals(5, gauge(registry, SloMeters.BURN_RATE, "slo", "search", "window", "1h"), 1e-9);
        assertEquals(1, gauge(registry, SloMeters.ALERT_FIRING, "slo", "search", "alert", "fast"));

        sloTime.advance(Duration.ofHours(3));
        slo.record(true);

        assertEquals(3, registry.get(SloMeters.EVENTS).tag("slo", "search").functionCounter().count());
        assertEquals(2, registry.get(SloMeters.GOOD_EVENTS).tag("slo", "search").functionCounter().count());
        assertEquals(1, gauge(registry, SloMeters.BUDGET_REMAINING, "slo", "search"));
        assertEquals(0, gauge(registry, SloMeters.BURN_RATE, "slo", "search", "window", "1h"));
        assertEquals(0, gauge(registry, SloMeters.ALERT_FIRING, "slo", "search", "alert", "fast"));
        assertEquals(2, registry.get(SloMeters.BURN_RATE).gauges().size());
    }

    @Test
    void prometheusScrapesTheCountersAsTotalsAndEveryGaugeWithItsTags() {
        checkoutWithTenPercentBad();
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new SloMeters(slos, Duration.ZERO, scrapeTime).bindTo(prometheus);

        String scrape = prometheus.scrape();

        assertEquals(100, sample(scrape, "nines_slo_events_total{slo=\"checkout\"}"));
        assertEquals(90, sample(scrape, "nines_slo_good_events_total{slo=\"checkout\"}"));
        assertEquals(0.99, sample(scrape, "nines_slo_objective{slo=\"checkout\"}"), 1e-12);
        assertEquals(-9, sample(scrape, "nines_slo_budget_remaining{slo=\"checkout\"}"), 1e-9);
        assertEquals(-9, sample(scrape, "nines_slo_budget_remaining_events{slo=\"checkout\"}"), 1e-9);
        for (String window : List.of("1h", "5m", "6h", "30m", "3d")) {
            assertEquals(10, sample(scrape, "nines_slo_burn_rate{slo=\"checkout\",window=\"" + window + "\"}"), 1e-9);
        }
        assertEquals(0, sample(scrape, "nines_slo_alert_firing{alert=\"page-fast\",severity=\"page\",slo=\"checkout\"}"));
        assertEquals(1, sample(scrape, "nines_slo_alert_firing{alert=\"page-slow\",severity=\"page\",slo=\"checkout\"}"));
        assertEquals(1, sample(scrape, "nines_slo_alert_firing{alert=\"ticket\",severity=\"ticket\",slo=\"checkout\"}"));
        assertTrue(scrape.contains("# TYPE nines_slo_events_total counter"), scrape);
    }

    /** The value of {@code series} in a Prometheus text scrape. */
    private static double sample(String scrape, String series) {
        return scrape.lines().filter(l -> l.startsWith(series + " ")).mapToDouble(l -> Double.parseDouble(
                l.substring(series.length() + 1))).findFirst().orElseThrow(() -> new AssertionError(series
                + " not in\n" + scrape));
    }

    @Test
    void onlyTheSlosRegisteredWhenBindingGetMeters() {
        checkoutWithTenPercentBad();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SloMeters meters = new SloMeters(slos, Duration.ZERO, scrapeTime);
        meters.bindTo(registry);
        slos.add(Slo.availability("late").ticker(sloTime).build());

        assertEquals(List.of("checkout"), registry.getMeters().stream().map(m -> m.getId().getTag("slo")).distinct()
                .toList());
        assertEquals("SloMeters[checkout]", meters.toString());
    }

    @Test
    void aNegativeMaxAgeIsRejectedWithItsValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SloMeters(slos, Duration.ofSeconds(-1), scrapeTime));
        assertEquals("maxAge must be >= 0 but was PT-1S", e.getMessage());
    }
}
