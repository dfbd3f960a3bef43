package dev.nines.slo;

import dev.nines.CoarseTicker;
import dev.nines.Priority;
import dev.nines.Ticker;
import dev.nines.metrics.PolicyKinds;
import dev.nines.metrics.RequestOutcome;
import dev.nines.slo.internal.RollingWindow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A service level objective on a stream of requests: which requests it counts, what makes one good
 * (its SLI), what fraction must be good (the objective) and over what window, and the burn-rate
 * alerts on its error budget.
 *
 * <p>Two SLIs, one per SLO (an endpoint with both has two SLOs):
 * <ul>
 *   <li><b>availability</b> ({@link #availability}): good when answered. A fresh answer is good;
 *       failed, timed-out and rejected requests are bad, except that a request refused by a rate
 *       limiter is the client's fault and {@linkplain Builder#rateLimited excluded} by default, and a
 *       degraded answer (a fallback's) is {@linkplain Builder#degraded good} by default.</li>
 *   <li><b>latency</b> ({@link #latency}): good when answered within a threshold. Only answers are
 *       counted (a request without an answer is the availability SLI's business); degraded answers
 *       and rate-limit refusals are treated as configured, then judged by their latency like any
 *       answer.</li>
 * </ul>
 * Cancelled requests (the caller gave up) are never counted.
 *
 * <p>Requests reach an SLO only through the one final event per request of the metrics SPI
 * ({@link dev.nines.metrics.MetricsSink#onRequest}, reported by a {@code Pipeline} and by the web
 * endpoint guard): add the SLO to an {@link SloRegistry} and pass its {@linkplain SloRegistry#sink()
 * sink} to them. {@link #record(boolean)} counts an event directly.
 *
 * <p><b>Memory and time.</b> The window is a ring of fixed buckets, 8 bytes each: 30 days at the
 * default one-minute resolution takes 345,600 bytes, whatever the traffic. Recording costs one read of
 * the ticker and one compare-and-set, allocates nothing, and takes no lock. The default ticker is the
 * shared {@link CoarseTicker} (one millisecond), so recording does not read the clock; an event lands
 * in the bucket of a reading at most about a millisecond old.
 *
 * <p><b>Restarts.</b> The window lives in the process: it starts empty when the process starts, and
 * each instance of a fleet sees only its own requests. The fleet-wide truth is Prometheus evaluating
 * the rules {@code PrometheusRules} generates over every instance's counters.
 *
 * <p>Thread-safe. Build with {@link #availability(String)} or {@link #latency(String, Duration)}.
 */
public final class Slo {

    /** What an SLO counts as good. */
    public enum Indicator {
        /** Good when answered. */
        AVAILABILITY,
        /** Good when answered within the threshold. */
        LATENCY
    }

    /** How an SLO counts a kind of request that is neither plainly good nor plainly bad. */
    public enum Treatment {
        /** Counted as an answer: good for availability, judged by its latency for latency. */
        ANSWER,
        /** Counted as a bad event. */
        FAILURE,
        /** Not counted at all. */
        EXCLUDED
    }

    /** The longest window, resolution or threshold accepted: far beyond any use, and safe in nanoseconds. */
    static final Duration LONGEST = Duration.ofDays(3650);

    private static final int BAD = 0;
    private static final int GOOD = 1;
    private static final int EXCLUDED = 2;

    private final String name;
    private final Indicator indicator;
    private final long thresholdNanos;
    private final Availability objective;
    private final double allowedBad;
    private final Set<String> requests;
    private final Set<Priority> priorities;
    private final boolean allPriorities;
    private final int priorityMask; // bit p.ordinal() set for each priority counted
    private final Treatment degraded;
    private final Treatment rateLimited;
    private final List<BurnRateAlert> alerts;
    private final Ticker ticker;
    private final RollingWindow window;

    private Slo(Builder b) {
        this.name = b.name;
        this.indicator = b.indicator;
        this.thresholdNanos = b.threshold == null ? 0 : b.threshold.toNanos();
        this.objective = b.objective;
        this.allowedBad = 1 - b.objective.doubleValue();
        this.requests = Set.copyOf(b.requests);
        this.priorities = b.priorities.isEmpty() ? Set.of() : Set.copyOf(b.priorities);
        this.allPriorities = b.priorities.isEmpty();
        int mask = 0;
        for (Priority p : b.priorities) {
            mask |= 1 << p.ordinal();
        }
        this.priorityMask = mask;
        this.degraded = b.degraded;
        this.rateLimited = b.rateLimited;
        this.alerts = List.copyOf(b.alerts);
        this.ticker = b.ticker;
        this.window = new RollingWindow(b.window, b.resolution, b.ticker);
    }

    /** Starts an availability SLO named {@code name}: good when answered. */
    public static Builder availability(String name) {
        return new Builder(name, Indicator.AVAILABILITY, null);
    }

    /**
     * Starts a latency SLO named {@code name}: good when answered in at most {@code threshold}.
     *
     * @throws IllegalArgumentException if {@code threshold} is not positive
     */
    public static Builder latency(String name, Duration threshold) {
        Objects.requireNonNull(threshold, "threshold");
        if (threshold.isNegative() || threshold.isZero() || threshold.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("slo " + name + ": threshold must be within (0, " + LONGEST
                    + "] but was " + threshold);
        }
        return new Builder(name, Indicator.LATENCY, threshold);
    }

    /**
     * Returns whether this SLO counts requests named {@code request} of {@code priority} (null when the
     * request had none, which only an SLO over every priority counts).
     */
    public boolean matches(String request, Priority priority) {
        return (requests.isEmpty() || requests.contains(request)) && countsPriority(priority);
    }

    /** Whether this SLO counts requests of {@code priority}: what routing checks once the name matched. */
    boolean countsPriority(Priority priority) {
        return allPriorities || (priority != null && (priorityMask & (1 << priority.ordinal())) != 0);
    }

    /**
     * Counts one request that ended with {@code outcome}, as this SLO's SLI says, whether or not it
     * {@linkplain #matches matches}: the arguments of {@link dev.nines.metrics.MetricsSink#onRequest}.
     */
    public void record(RequestOutcome outcome, String rejectedKind, long latencyNanos) {
        int verdict = classify(outcome, rejectedKind, latencyNanos);
        if (verdict != EXCLUDED) {
            window.record(verdict == GOOD);
        }
    }

    /** Counts one event, good or bad, at the ticker's current reading. */
    public void record(boolean good) {
        window.record(good);
    }

    private int classify(RequestOutcome outcome, String rejectedKind, long latencyNanos) {
        Treatment treatment;
        switch (outcome) {
            case FRESH -> treatment = Treatment.ANSWER;
            case DEGRADED -> treatment = degraded;
            case REJECTED -> treatment = PolicyKinds.RATE_LIMITER.equals(rejectedKind) ? rateLimited
                    : indicator == Indicator.AVAILABILITY ? Treatment.FAILURE : Treatment.EXCLUDED;
            case CANCELLED -> treatment = Treatment.EXCLUDED;
            default -> treatment = indicator == Indicator.AVAILABILITY ? Treatment.FAILURE : Treatment.EXCLUDED;
        }
        return switch (treatment) {
            case EXCLUDED -> EXCLUDED;
            case FAILURE -> BAD;
            case ANSWER -> indicator == Indicator.AVAILABILITY || latencyNanos <= thresholdNanos ? GOOD : BAD;
        };
    }

    /**
     * Returns the burn rate over the last {@code over}: the bad fraction of its events divided by the
     * fraction the objective allows ({@code 1 - objective}); 1 spends the budget exactly over the
     * window, 0 when no event was counted. Rounded up to whole buckets.
     *
     * @throws IllegalArgumentException if {@code over} is not positive or is longer than the window
     */
    public double burnRate(Duration over) {
        return burnRate(window.sum(over));
    }

    private double burnRate(EventCounts counts) {
        return counts.total() == 0 ? 0 : counts.bad() / (double) counts.total() / allowedBad;
    }

    /** Returns the good and total events over the last {@code over} (rounded up to whole buckets). */
    public EventCounts counts(Duration over) {
        return window.sum(over);
    }

    /**
     * Returns every event counted since this SLO was created, also those that left the window: what
     * the Prometheus counters expose. Monotonic; costs a pass over every bucket, so meant for a scrape.
     */
    public EventCounts cumulative() {
        return window.cumulative();
    }

    /** Returns the events a full bucket could not count (over 2<sup>25</sup> in one bucket). */
    public long saturated() {
        return window.saturated();
    }

    /**
     * Computes the SLO's state now: counts over the window, the error budget left and each alert's
     * burn rates, all as of one ticker reading. Costs a pass over the window's buckets (55–95
     * µs in JMH for 30 days at one minute): for health checks, scrapes and periodic evaluation.
     */
    public SloStatus status() {
        long now = ticker.read();
        EventCounts all = window.sum(now, window.length());
        List<SloStatus.AlertStatus> states = new ArrayList<>(alerts.size());
        for (BurnRateAlert a : alerts) {
            double longBurn = burnRate(window.sum(now, a.longWindow()));
            double shortBurn = burnRate(window.sum(now, a.shortWindow()));
            states.add(new SloStatus.AlertStatus(a, longBurn, shortBurn, a.firesAt(longBurn, shortBurn)));
        }
        double allowed = allowedBad * all.total();
        double attainment = all.total() == 0 ? 1 : all.good() / (double) all.total();
        double remaining = all.total() == 0 ? 1 : 1 - all.bad() / allowed;
        return new SloStatus(name, objective, window.length(), all.good(), all.total(), attainment, remaining,
                allowed - all.bad(), states);
    }

    /** Returns the SLO's name. */
    public String name() {
        return name;
    }

    /** Returns what this SLO counts as good. */
    public Indicator indicator() {
        return indicator;
    }

    /** Returns the latency threshold of a {@link Indicator#LATENCY} SLO; empty for availability. */
    public Optional<Duration> threshold() {
        return indicator == Indicator.LATENCY ? Optional.of(Duration.ofNanos(thresholdNanos)) : Optional.empty();
    }

    /** Returns the fraction of events that must be good. */
    public Availability objective() {
        return objective;
    }

    /** Returns the window the budget is counted over. */
    public Duration window() {
        return window.length();
    }

    /** Returns the width of one bucket of the window. */
    public Duration resolution() {
        return window.resolution();
    }

    /** Returns the names of the requests counted; empty means every request. */
    public Set<String> requests() {
        return requests;
    }

    /** Returns the priorities counted; empty means every request, with a priority or without. */
    public Set<Priority> priorities() {
        return priorities;
    }

    /** Returns how degraded answers are counted. */
    public Treatment degraded() {
        return degraded;
    }

    /** Returns how requests refused by a rate limiter are counted. */
    public Treatment rateLimited() {
        return rateLimited;
    }

    /** Returns the burn-rate alert table, most urgent first. */
    public List<BurnRateAlert> alerts() {
        return alerts;
    }

    /** Returns the bytes the window's buckets take (8 per bucket). */
    public long windowBytes() {
        return window.bucketBytes();
    }

    @Override
    public String toString() {
        return "Slo[" + name + ", " + indicator.name().toLowerCase(java.util.Locale.ROOT)
                + (indicator == Indicator.LATENCY ? " <= " + Duration.ofNanos(thresholdNanos) : "")
                + ", " + objective + " over " + window.length() + "]";
    }

    /**
     * Builds an {@link Slo}. Defaults: objective 99.9%, window 30 days at one-minute resolution, every
     * request of every priority, degraded answers counted as answers, rate-limit refusals excluded, the
     * workbook's {@linkplain BurnRateAlert#workbook() alert table}, the shared {@link CoarseTicker}.
     */
    public static final class Builder {
        private final String name;
        private final Indicator indicator;
        private final Duration threshold;
        private Availability objective = Availability.parse("99.9%");
        private Duration window = Duration.ofDays(30);
        private Duration resolution = Duration.ofMinutes(1);
        private final Set<String> requests = new LinkedHashSet<>();
        private final Set<Priority> priorities = EnumSet.noneOf(Priority.class);
        private Treatment degraded = Treatment.ANSWER;
        private Treatment rateLimited = Treatment.EXCLUDED;
        private List<BurnRateAlert> alerts = BurnRateAlert.workbook();
        private Ticker ticker;

        private Builder(String name, Indicator indicator, Duration threshold) {
            Objects.requireNonNull(name, "name");
            if (!name.matches("[A-Za-z0-9_.-]+")) {
                throw new IllegalArgumentException("slo name must be letters, digits, '.', '_' or '-' but was '"
                        + name + "'");
            }
            this.name = name;
            this.indicator = indicator;
            this.threshold = threshold;
        }

        /** Sets the fraction of events that must be good, strictly between 0 and 1. Default 99.9%. */
        public Builder objective(Availability objective) {
            this.objective = Objects.requireNonNull(objective, "objective");
            return this;
        }

        /** Sets the objective as a fraction, {@code 0.999} for 99.9%. */
        public Builder objective(double fraction) {
            return objective(Availability.of(fraction));
        }

        /** Sets the window the budget is counted over, a whole number of resolutions. Default 30 days. */
        public Builder window(Duration window) {
            this.window = Objects.requireNonNull(window, "window");
            return this;
        }

        /**
         * Sets the width of one bucket. Default one minute. Memory is 8 bytes per bucket; every alert
         * window must be a whole number of buckets.
         */
        public Builder resolution(Duration resolution) {
            this.resolution = Objects.requireNonNull(resolution, "resolution");
            return this;
        }

        /** Counts only requests (endpoints or pipelines) with one of these names. Default: every request. */
        public Builder requests(String... names) {
            for (String n : names) {
                requests.add(Objects.requireNonNull(n, "request name"));
            }
            return this;
        }

        /** Counts only requests of these priorities. Default: every request, with a priority or without. */
        public Builder priorities(Priority... values) {
            for (Priority p : values) {
                priorities.add(Objects.requireNonNull(p, "priority"));
            }
            return this;
        }

        /** Sets how degraded answers (a fallback's) are counted. Default {@link Treatment#ANSWER}. */
        public Builder degraded(Treatment treatment) {
            this.degraded = Objects.requireNonNull(treatment, "degraded");
            return this;
        }

        /** Sets how requests refused by a rate limiter are counted. Default {@link Treatment#EXCLUDED}. */
        public Builder rateLimited(Treatment treatment) {
            this.rateLimited = Objects.requireNonNull(treatment, "rateLimited");
            return this;
        }

        /** Sets the burn-rate alert table, most urgent first; empty for none. Default the workbook's. */
        public Builder alerts(List<BurnRateAlert> table) {
            this.alerts = List.copyOf(Objects.requireNonNull(table, "alerts"));
            return this;
        }

        /** Sets the ticker the window reads. Default the shared one-millisecond {@link CoarseTicker}. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * Builds the SLO.
         *
         * @throws IllegalArgumentException naming the field and its value: an objective not strictly
         *     between 0 and 1, a window that is not a positive whole number of resolutions, an alert
         *     window longer than the SLO's window or not a whole number of resolutions, two alerts with
         *     one name
         */
        public Slo build() {
            String at = "slo " + name + ": ";
            if (objective.compareTo(Availability.NONE) <= 0 || objective.compareTo(Availability.PERFECT) >= 0) {
                throw new IllegalArgumentException(at + "objective must be strictly between 0 and 100% (a"
                        + " 100% objective has no budget) but was " + objective);
            }
            if (resolution.isNegative() || resolution.isZero() || resolution.compareTo(LONGEST) > 0) {
                throw new IllegalArgumentException(at + "resolution must be within (0, " + LONGEST + "] but was "
                        + resolution);
            }
            if (window.compareTo(LONGEST) > 0) {
                throw new IllegalArgumentException(at + "window must be at most " + LONGEST + " but was " + window);
            }
            requireWhole(at + "window", window);
            Set<String> names = new HashSet<>();
            for (BurnRateAlert a : alerts) {
                if (!names.add(a.name())) {
                    throw new IllegalArgumentException(at + "two alerts are named " + a.name());
                }
                if (a.longWindow().compareTo(window) > 0) {
                    throw new IllegalArgumentException(at + "alert " + a.name() + "'s longWindow must fit in the"
                            + " window " + window + " but was " + a.longWindow() + " (set a longer window or"
                            + " an alert table that fits)");
                }
                requireWhole(at + "alert " + a.name() + "'s longWindow", a.longWindow());
                requireWhole(at + "alert " + a.name() + "'s shortWindow", a.shortWindow());
            }
            if (ticker == null) {
                ticker = CoarseTicker.shared();
            }
            return new Slo(this);
        }

        private void requireWhole(String field, Duration d) {
            long r = resolution.toNanos();
            if (d.isNegative() || d.isZero() || d.toNanos() % r != 0) {
                throw new IllegalArgumentException(field + " must be a positive whole number of resolutions ("
                        + resolution + ") but was " + d);
            }
        }
    }
}
