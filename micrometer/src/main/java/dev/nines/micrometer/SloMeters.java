package dev.nines.micrometer;

import dev.nines.Ticker;
import dev.nines.slo.BurnRateAlert;
import dev.nines.slo.EventCounts;
import dev.nines.slo.Slo;
import dev.nines.slo.SloRegistry;
import dev.nines.slo.SloStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Exposes the SLOs of an {@link SloRegistry} as Micrometer meters, for scrapes and for the rules
 * that Prometheus evaluates across a fleet.
 *
 * <table>
 * <caption>The meters, each tagged {@code slo} with the SLO's name</caption>
 * <tr><th>Name</th><th>Type</th><th>Extra tags</th><th>What it reads</th></tr>
 * <tr><td>{@value #EVENTS}</td><td>function counter</td><td></td>
 *     <td>every event the SLO counted since it was created ({@link Slo#cumulative()}); Prometheus
 *     {@code nines_slo_events_total}</td></tr>
 * <tr><td>{@value #GOOD_EVENTS}</td><td>function counter</td><td></td>
 *     <td>the good ones among them; Prometheus {@code nines_slo_good_events_total}</td></tr>
 * <tr><td>{@value #OBJECTIVE}</td><td>gauge</td><td></td><td>the objective, a fraction ({@code 0.999})</td></tr>
 * <tr><td>{@value #BUDGET_REMAINING}</td><td>gauge</td><td></td>
 *     <td>the fraction of the error budget left over the window; negative when overspent</td></tr>
 * <tr><td>{@value #BUDGET_REMAINING_EVENTS}</td><td>gauge</td><td></td>
 *     <td>the bad events the budget still allows for the window's events so far</td></tr>
 * <tr><td>{@value #BURN_RATE}</td><td>gauge</td><td>window</td>
 *     <td>the burn rate over each distinct window of the SLO's alert table ({@code 1h}, {@code 5m},
 *     {@code 3d}, ...)</td></tr>
 * <tr><td>{@value #ALERT_FIRING}</td><td>gauge</td><td>alert, severity</td>
 *     <td>1 while the alert fires, else 0</td></tr>
 * </table>
 *
 * <p>Computing an SLO's status costs a pass over its window (55–95 µs in JMH for 30 days at one
 * minute), so the gauges do not each compute one: every SLO keeps one status, with its cumulative
 * counts, for {@code maxAge} (one second by default) as read on the ticker, and every meter of the
 * SLO reads it. A scrape thus costs one status per SLO.
 *
 * <p>The SLOs are those in the registry when {@link #bindTo} runs; one added later is exposed by
 * binding again, and a removed one keeps its meters until the registry removes them. In-process
 * windows start empty with the process; the counters are what a fleet's rules should use.
 *
 * <p>Thread-safe.
 */
public final class SloMeters implements MeterBinder {

    /** The counter of every counted event. */
    public static final String EVENTS = "nines.slo.events";
    /** The counter of the good events. */
    public static final String GOOD_EVENTS = "nines.slo.good.events";
    /** The gauge of the objective. */
    public static final String OBJECTIVE = "nines.slo.objective";
    /** The gauge of the fraction of the error budget left. */
    public static final String BUDGET_REMAINING = "nines.slo.budget.remaining";
    /** The gauge of the bad events the budget still allows. */
    public static final String BUDGET_REMAINING_EVENTS = "nines.slo.budget.remaining.events";
    /** The gauge of the burn rate over one window. */
    public static final String BURN_RATE = "nines.slo.burn.rate";
    /** The gauge of whether an alert fires. */
    public static final String ALERT_FIRING = "nines.slo.alert.firing";

    private final SloRegistry slos;
    private final long maxAgeNanos;
    private final Ticker ticker;
    /** Keeps the readings alive: function counters hold their state weakly. */
    private final List<Reading> readings = new CopyOnWriteArrayList<>();

    /** Meters of the SLOs of {@code slos}, each SLO's status kept for one second. */
    public SloMeters(SloRegistry slos) {
        this(slos, Duration.ofSeconds(1), Ticker.system());
    }

    /**
     * Meters of the SLOs of {@code slos}, each SLO's status computed at most once per {@code maxAge}
     * as {@code ticker} reads.
     *
     * @param maxAge how long a computed status serves the meters, zero to compute one per reading
     * @throws IllegalArgumentException if {@code maxAge} is negative
     */
    public SloMeters(SloRegistry slos, Duration maxAge, Ticker ticker) {
        this.slos = Objects.requireNonNull(slos, "slos");
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("maxAge must be >= 0 but was " + maxAge);
        }
        this.maxAgeNanos = maxAge.toNanos();
        this.ticker = Objects.requireNonNull(ticker, "ticker");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (Slo slo : slos.all()) {
            bind(registry, slo);
        }
    }

    private void bind(MeterRegistry registry, Slo slo) {
        Reading r = new Reading(slo, ticker, maxAgeNanos);
        readings.add(r);
        Tags tags = Tags.of("slo", slo.name());
        FunctionCounter.builder(EVENTS, r, x -> x.cumulative().total())
                .tags(tags).description("Events the SLO counted since the process started").register(registry);
        FunctionCounter.builder(GOOD_EVENTS, r, x -> x.cumulative().good())
                .tags(tags).description("Good events the SLO counted since the process started").register(registry);
        double objective = slo.objective().doubleValue();
        Gauge.builder(OBJECTIVE, r, x -> objective).strongReference(true)
                .tags(tags).description("The fraction of events that must be good").register(registry);
        Gauge.builder(BUDGET_REMAINING, r, x -> x.status().budgetRemaining()).strongReference(true)
                .tags(tags).description("The fraction of the error budget left over the window").register(registry);
        Gauge.builder(BUDGET_REMAINING_EVENTS, r, x -> x.status().budgetRemainingEvents()).strongReference(true)
                .tags(tags).description("The bad events the error budget still allows").register(registry);
        for (Map.Entry<Duration, BurnRate> w : burnRates(slo.alerts()).entrySet()) {
            BurnRate read = w.getValue();
            Gauge.builder(BURN_RATE, r, x -> read.of(x.status())).strongReference(true)
                    .tags(tags.and("window", BurnRateAlert.label(w.getKey())))
                    .description("The error budget's burn rate over the window; 1 spends it exactly")
                    .register(registry);
        }
        List<BurnRateAlert> alerts = slo.alerts();
        for (int i = 0; i < alerts.size(); i++) {
            int index = i;
            BurnRateAlert a = alerts.get(i);
            Gauge.builder(ALERT_FIRING, r, x -> x.status().alerts().get(index).firing() ? 1 : 0)
                    .strongReference(true).tags(tags.and("alert", a.name(), "severity", a.severity()))
                    .description("1 while the burn-rate alert fires").register(registry);
        }
    }

    /** Reads one window's burn rate from a status. */
    @FunctionalInterface
    private interface BurnRate {
        double of(SloStatus status);
    }

    /** Each distinct window of the table, in table order, read from the first alert that has it. */
    private static Map<Duration, BurnRate> burnRates(List<BurnRateAlert> alerts) {
        Map<Duration, BurnRate> windows = new LinkedHashMap<>();
        for (int i = 0; i < alerts.size(); i++) {
            int index = i;
            windows.putIfAbsent(alerts.get(i).longWindow(), s -> s.alerts().get(index).longBurnRate());
            windows.putIfAbsent(alerts.get(i).shortWindow(), s -> s.alerts().get(index).shortBurnRate());
        }
        return windows;
    }


    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        for (Reading r : readings) {
            names.add(r.slo.name());
        }
        return "SloMeters" + names;
    }

    /** One SLO's status and cumulative counts, computed at most once per max age. Thread-safe. */
    private static final class Reading {
        final Slo slo;
        private final Ticker ticker;
        private final long maxAgeNanos;
        private SloStatus status; // guarded by this
        private EventCounts cumulative; // guarded by this
        private long readAt; // guarded by this

        Reading(Slo slo, Ticker ticker, long maxAgeNanos) {
            this.slo = slo;
            this.ticker = ticker;
            this.maxAgeNanos = maxAgeNanos;
        }

        synchronized SloStatus status() {
            refresh();
            return status;
        }

        synchronized EventCounts cumulative() {
            refresh();
            return cumulative;
        }

        private void refresh() {
            long now = ticker.read();
            if (status == null || now - readAt >= maxAgeNanos) {
                status = slo.status();
                cumulative = slo.cumulative();
                readAt = now;
            }
        }
    }
}
