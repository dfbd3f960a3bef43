package dev.nines.demo;

import dev.nines.Priority;
import dev.nines.Ticker;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.PolicyKinds;
import dev.nines.metrics.RequestOutcome;
import dev.nines.slo.Availability;
import dev.nines.slo.BurnRateAlert;
import dev.nines.slo.Slo;
import dev.nines.slo.SloRegistry;
import dev.nines.slo.SloStatus;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A run's SLOs, computed by nines-slo: one availability {@link Slo} per priority in an
 * {@link SloRegistry}, fed through the registry's sink with the request event the web guard emits,
 * one for each request of the well-behaved clients the run recorded, at the moment it ended on the
 * run's own clock. Both runs are measured alike, so the unprotected one (which has no nines to emit
 * events) is judged by the same code.
 *
 * <p><b>What counts.</b> A fresh or degraded answer is good; a shed, failed or timed-out request is
 * bad, and so is a rate-limited one: the well-behaved clients stay within their limit, so a 429 to
 * them is the shop's failure, not theirs ({@link Slo.Treatment#FAILURE}, where a service's default is
 * to exclude refusals of clients over their limit). A timed-out request ends when the client gives
 * up. The abusive client is not counted.
 *
 * <p><b>Time, scaled to the run.</b> The workbook's alert table is written for a 30-day SLO window;
 * a game day lasts a minute or so. Every duration of it is divided by {@link #TIME_SCALE} (1,200):
 * one hour of the workbook is three seconds here. The SLO window becomes 36 minutes, longer than any
 * run (at most 30), so a run is one budget window and the table's attainment covers every request;
 * the fast-burn page (14.4× over 1 h, confirmed by 5 min) becomes 14.4× over 3 s confirmed by 250 ms,
 * shorter than any incident of the default script, so it fires and clears within one; the slow page
 * is 6× over 18 s confirmed by 1.5 s; the ticket 1× over 216 s confirmed by 18 s. The burn rates
 * (14.4, 6, 1) are the workbook's. The window's resolution is 250 ms, the shortest alert window.
 *
 * <p><b>Evaluation.</b> After the requests that ended within each 250 ms step are recorded, the
 * registry is {@linkplain SloRegistry#evaluate() evaluated} on the clock's reading at the end of the
 * step: that gives the burn-rate curves, each alert's firing and the SLO's state. Immutable once
 * built.
 */
final class RunSlos {

    /** How many times faster the game day's time runs than the workbook's. */
    static final long TIME_SCALE = 1_200;
    /** The SLO window: the workbook's 30 days, scaled. */
    static final Duration WINDOW = Duration.ofDays(30).dividedBy(TIME_SCALE);
    /** The window's bucket width and the evaluation step: the workbook's shortest window (5 min), scaled. */
    static final Duration RESOLUTION = Duration.ofMinutes(5).dividedBy(TIME_SCALE);
    /** The workbook's alert table with its windows scaled, most urgent first. */
    static final List<BurnRateAlert> ALERTS = scaled(BurnRateAlert.workbook());

    private static final long STEP = RESOLUTION.toNanos();

    private final int steps;
    private final Map<Priority, SloStatus> end = new EnumMap<>(Priority.class);
    private final Map<Priority, double[][]> longBurn = new EnumMap<>(Priority.class);
    private final Map<Priority, boolean[][]> firing = new EnumMap<>(Priority.class);
    private final Map<Priority, String[]> states = new EnumMap<>(Priority.class);

    /** Replays {@code result}'s requests into one SLO per priority; curves cover {@code seconds}. */
    RunSlos(RunResult result, int seconds) {
        this.steps = (int) (seconds * 1_000_000_000L / STEP);
        List<Sample> samples = result.samples().stream().filter(s -> !s.abuser())
                .sorted(Comparator.comparingLong(Sample::doneNanos)).toList();
        long last = samples.isEmpty() ? 0 : samples.get(samples.size() - 1).doneNanos();
        ReplayClock clock = new ReplayClock();
        SloRegistry registry = new SloRegistry();
        Map<Priority, Slo> slos = new EnumMap<>(Priority.class);
        for (Priority p : Priority.values()) {
            slos.put(p, registry.add(slo(p, window(Math.max(last, steps * STEP)), clock)));
            longBurn.put(p, new double[ALERTS.size()][steps]);
            firing.put(p, new boolean[ALERTS.size()][steps]);
            states.put(p, new String[steps]);
        }
        MetricsSink sink = registry.sink();
        int next = 0;
        for (int k = 0; k < steps; k++) {
            long stepEnd = (k + 1) * STEP;
            while (next < samples.size() && samples.get(next).doneNanos() < stepEnd) {
                feed(sink, clock, samples.get(next++));
            }
            clock.set(stepEnd - 1); // the last instant of the step: its bucket is complete
            for (SloStatus status : registry.evaluate()) {
                Priority p = Priority.valueOf(status.name());
                states.get(p)[k] = status.state();
                for (int a = 0; a < ALERTS.size(); a++) {
                    SloStatus.AlertStatus as = status.alerts().get(a);
                    longBurn.get(p)[a][k] = as.longBurnRate();
                    firing.get(p)[a][k] = as.firing();
                }
            }
        }
        while (next < samples.size()) {
            feed(sink, clock, samples.get(next++));
        }
        clock.set(Math.max(clock.read(), last));
        slos.forEach((p, slo) -> end.put(p, slo.status()));
    }

    /** The SLO of {@code priority}'s well-behaved requests, on {@code clock}, over {@code window}. */
    private static Slo slo(Priority priority, Duration window, Ticker clock) {
        return Slo.availability(priority.name())
                .priorities(priority)
                .objective(objective(priority))
                .window(window)
                .resolution(RESOLUTION)
                .alerts(ALERTS)
                .degraded(Slo.Treatment.ANSWER)
                .rateLimited(Slo.Treatment.FAILURE)
                .ticker(clock)
                .build();
    }

    /** The objective of {@code priority}: {@link RunReport#SLO}'s percentage, exactly. */
    static Availability objective(Priority priority) {
        return Availability.of(BigDecimal.valueOf(RunReport.SLO.get(priority)).movePointLeft(2));
    }

    /** {@link #WINDOW}, or a longer whole number of steps when a run's requests end after it. */
    private static Duration window(long lastNanos) {
        long needed = (lastNanos / STEP + 1) * STEP;
        return needed <= WINDOW.toNanos() ? WINDOW : Duration.ofNanos(needed);
    }

    /** Reports {@code s} to {@code sink} as the guard of its endpoint would have, when it ended. */
    private static void feed(MetricsSink sink, ReplayClock clock, Sample s) {
        clock.set(s.doneNanos());
        String endpoint = Endpoint.of(s.priority()).name().toLowerCase(Locale.ROOT);
        switch (s.result()) {
            case OK -> sink.onRequest(endpoint, s.priority(), RequestOutcome.FRESH, null, null, s.latencyNanos());
            case DEGRADED -> sink.onRequest(endpoint, s.priority(), RequestOutcome.DEGRADED, null, null,
                    s.latencyNanos());
            case SHED -> sink.onRequest(endpoint, s.priority(), RequestOutcome.REJECTED, "shop",
                    PolicyKinds.LOAD_SHEDDER, s.latencyNanos());
            case RATE_LIMITED -> sink.onRequest(endpoint, s.priority(), RequestOutcome.REJECTED, "per-client",
                    PolicyKinds.RATE_LIMITER, s.latencyNanos());
            case ERROR -> sink.onRequest(endpoint, s.priority(), RequestOutcome.FAILED, null, null, s.latencyNanos());
            case TIMEOUT -> sink.onRequest(endpoint, s.priority(), RequestOutcome.TIMED_OUT, null, null,
                    s.latencyNanos());
            default -> throw new IllegalStateException("unknown result " + s.result());
        }
    }

    private static List<BurnRateAlert> scaled(List<BurnRateAlert> table) {
        List<BurnRateAlert> scaled = new ArrayList<>();
        for (BurnRateAlert a : table) {
            scaled.add(new BurnRateAlert(a.name(), a.severity(), a.burnRate(), a.longWindow().dividedBy(TIME_SCALE),
                    a.shortWindow().dividedBy(TIME_SCALE)));
        }
        return List.copyOf(scaled);
    }

    /** The SLO of {@code priority} once every request of the run is counted. */
    SloStatus status(Priority priority) {
        return end.get(priority);
    }

    /** How many evaluation steps the curves have. */
    int steps() {
        return steps;
    }

    /** The width of one step in seconds. */
    static double stepSeconds() {
        return STEP / 1e9;
    }

    /** The burn rate over alert {@code alert}'s long window at the end of each step. */
    double[] longBurnRate(Priority priority, int alert) {
        return longBurn.get(priority)[alert].clone();
    }

    /** Whether alert {@code alert} fired at the end of each step. */
    boolean[] firing(Priority priority, int alert) {
        return firing.get(priority)[alert].clone();
    }

    /** The SLO's state ({@link SloStatus#OK} or the severity of its most urgent firing alert) at the end of each step. */
    String[] states(Priority priority) {
        return states.get(priority).clone();
    }

    /**
     * A stretch during which an alert fired, in seconds from the start of the run.
     *
     * @param from    the first evaluation that saw it firing
     * @param to      the first evaluation that saw it clear, or the last evaluation if it never did
     * @param cleared whether it cleared before the curves end
     */
    record Stretch(double from, double to, boolean cleared) {
    }

    /** The stretches during which alert {@code alert} of {@code priority} fired, in order. */
    List<Stretch> firedDuring(Priority priority, int alert) {
        boolean[] f = firing.get(priority)[alert];
        List<Stretch> stretches = new ArrayList<>();
        int start = -1;
        for (int k = 0; k <= f.length; k++) {
            boolean on = k < f.length && f[k];
            if (on && start < 0) {
                start = k;
            } else if (!on && start >= 0) {
                stretches.add(new Stretch((start + 1) * stepSeconds(), Math.min(k + 1, f.length) * stepSeconds(),
                        k < f.length));
                start = -1;
            }
        }
        return stretches;
    }

    /** A ticker the replay sets: the run's own time of the request being recorded or evaluated. */
    private static final class ReplayClock implements Ticker {
        private long now;

        void set(long nanos) {
            now = nanos;
        }

        @Override
        public long read() {
            return now;
        }
    }
}
