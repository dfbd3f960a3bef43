package dev.nines.shedding;

import dev.nines.Priority;
import dev.nines.Scheduler;
import dev.nines.Ticker;
import dev.nines.internal.Validation;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.MetricsSink;
import dev.nines.shedding.limit.ConcurrencyLimit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * The immutable configuration of a {@link LoadShedder}, made by its validating {@link Builder}.
 * Thread-safe. Durations are {@link Duration}s; shares are fractions of the limit.
 */
public final class LoadShedderConfig {

    /** The default of {@link #sampleEvery()}: one admission in 8 is timed for the limit. */
    public static final int DEFAULT_SAMPLE_EVERY = 8;
    /** The largest allowed {@link #sampleEvery()}. */
    public static final int MAX_SAMPLE_EVERY = 1024;

    private final String name;
    private final ConcurrencyLimit limit;
    private final int sampleEvery;
    private final Priority defaultPriority;
    private final double[] shares;
    private final Ticker ticker;
    private final MetricsSink metrics;
    /** What the user set, {@code null} if nothing: kept unresolved for {@link #toBuilder()}. */
    private final MetricsSink configuredMetrics;
    /** The factory the user set, {@code null} if they gave an instance. */
    private final Supplier<? extends ConcurrencyLimit> limitFactory;
    private final Duration tierHold;
    /** What the user set, {@code null} for the default (which depends on the ticker). */
    private final Scheduler tierTimer;
    private final List<TierListener> listeners;
    private final int queueCapacity;
    private final Duration maxQueueWait;
    private final Duration codelTarget;
    private final Duration codelInterval;
    private final DoubleSupplier cpuLoad;
    private final double cpuThreshold;
    private final Duration cpuSampleInterval;
    private final OutcomeClassifier outcomeClassifier;

    private LoadShedderConfig(Builder b, ConcurrencyLimit limit) {
        this.name = b.name;
        this.limit = limit;
        this.limitFactory = b.limitFactory;
        this.configuredMetrics = b.metrics;
        this.sampleEvery = b.sampleEvery;
        this.defaultPriority = b.defaultPriority;
        this.shares = b.shares.clone();
        this.ticker = b.ticker;
        this.metrics = Metrics.resolve(b.metrics);
        this.tierHold = b.tierHold;
        this.tierTimer = b.tierTimer;
        this.listeners = List.copyOf(b.listeners);
        this.queueCapacity = b.queueCapacity;
        this.maxQueueWait = b.maxQueueWait;
        this.codelTarget = b.codelTarget;
        this.codelInterval = b.codelInterval;
        this.cpuLoad = b.cpuLoad;
        this.cpuThreshold = b.cpuThreshold;
        this.cpuSampleInterval = b.cpuSampleInterval;
        this.outcomeClassifier = b.outcomeClassifier;
    }

    /** The shedder's name, used by metrics, errors and the {@code @WithPriority} annotation. */
    public String name() {
        return name;
    }

    /**
     * The limit algorithm of the shedder built from this configuration. One that learns belongs to
     * that shedder alone: a shedder built from {@link #toBuilder()} gets a fresh one.
     */
    public ConcurrencyLimit limit() {
        return limit;
    }

    /**
     * One admission in how many is timed to give the limit a latency sample; a power of two in
     * [1, {@value #MAX_SAMPLE_EVERY}]. Default {@value #DEFAULT_SAMPLE_EVERY}. See
     * {@link Builder#sampleEvery(int)} for the trade-off.
     */
    public int sampleEvery() {
        return sampleEvery;
    }

    /** The priority of a call whose context carries none. Default {@link Priority#P2}. */
    public Priority defaultPriority() {
        return defaultPriority;
    }

    /** The share of the limit {@code priority} may use. Defaults P0 1.0, P1 0.9, P2 0.7, P3 0.5. */
    public double share(Priority priority) {
        return shares[priority.ordinal()];
    }

    double[] shares() {
        return shares;
    }

    /** The time source. Default {@link Ticker#system()}. */
    public Ticker ticker() {
        return ticker;
    }

    /** The metrics sink (guarded). Default {@link Metrics#getDefault()} at build time. */
    public MetricsSink metrics() {
        return metrics;
    }

    /**
     * How long a priority counts as shed, for the tier, after its last rejection. Default 1 s. A
     * tier ends within its hold plus one clock tick of its last dated rejection, traffic or not
     * (see {@link #tierTimer()}). A rejection of a priority the tier already sheds reads no clock
     * and is dated by the next release, tier read, gauge read or end-of-hold check, so the hold
     * may run past this (without traffic, by at most one more hold), never short of it.
     */
    public Duration tierHold() {
        return tierHold;
    }

    /**
     * The timer of the end-of-hold checks that end a tier when no traffic comes: the one given to
     * {@link Builder#tierTimer}, else {@link Scheduler#system()} while the ticker is
     * {@link Ticker#system()}; empty with any other ticker (a real timer cannot follow a manual
     * clock), when tiers end only on the next release, {@link LoadShedder#tier()} or gauge read.
     */
    public Optional<Scheduler> tierTimer() {
        if (tierTimer != null) {
            return Optional.of(tierTimer);
        }
        return ticker == Ticker.system() ? Optional.of(Scheduler.system()) : Optional.empty();
    }

    /** The tier listeners, in registration order. */
    public List<TierListener> listeners() {
        return listeners;
    }

    /** How many blocking callers may wait for a slot; 0 (the default) disables the queue. */
    public int queueCapacity() {
        return queueCapacity;
    }

    /** The longest wait in the queue while it is not standing. Default 100 ms. */
    public Duration maxQueueWait() {
        return maxQueueWait;
    }

    /** The CoDel target: waits are cut to this once the queue stands. Default 5 ms. */
    public Duration codelTarget() {
        return codelTarget;
    }

    /** How long waits must exceed the target before they are cut short. Default 100 ms. */
    public Duration codelInterval() {
        return codelInterval;
    }

    /**
     * The CPU load supplier (0..1), if the CPU signal is on; only ever with a limit that takes
     * samples (see {@link Builder#cpuSignal}).
     */
    public Optional<DoubleSupplier> cpuLoad() {
        return Optional.ofNullable(cpuLoad);
    }

    /** The CPU load at and above which completions count as overload samples. Default 0.9. */
    public double cpuThreshold() {
        return cpuThreshold;
    }

    /** The shortest time between two CPU samples. Default 1 s. */
    public Duration cpuSampleInterval() {
        return cpuSampleInterval;
    }

    /**
     * What an admitted call that threw means, on the policy path. Default
     * {@link OutcomeClassifier#standard()}.
     */
    public OutcomeClassifier outcomeClassifier() {
        return outcomeClassifier;
    }

    /**
     * A builder holding this configuration, to derive another shedder from it. What the user never
     * set stays unset (the metrics sink is resolved again when that builder builds). The derived
     * shedder gets a limit of its own, with nothing learned: from the same factory, or
     * {@link ConcurrencyLimit#fresh()} of this one.
     */
    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.limit = limit;
        b.limitFactory = limitFactory;
        b.limitTaken = true; // this limit is in use: the derived shedder gets a fresh one
        b.sampleEvery = sampleEvery;
        b.defaultPriority = defaultPriority;
        b.shares = shares.clone();
        b.ticker = ticker;
        b.metrics = configuredMetrics;
        b.tierHold = tierHold;
        b.tierTimer = tierTimer;
        b.listeners.addAll(listeners);
        b.queueCapacity = queueCapacity;
        b.maxQueueWait = maxQueueWait;
        b.codelTarget = codelTarget;
        b.codelInterval = codelInterval;
        b.cpuLoad = cpuLoad;
        b.cpuThreshold = cpuThreshold;
        b.cpuSampleInterval = cpuSampleInterval;
        b.outcomeClassifier = outcomeClassifier;
        return b;
    }

    /**
     * Configures a {@link LoadShedder}. Not thread-safe. {@link #build()} validates every field and
     * reports all invalid ones in one {@link IllegalArgumentException}.
     */
    public static final class Builder {
        private final String name;
        private ConcurrencyLimit limit = ConcurrencyLimit.fixed(100);
        private Supplier<? extends ConcurrencyLimit> limitFactory;
        /** Whether {@link #limit} serves a shedder already (built from here, or the config this came from). */
        private boolean limitTaken;
        private int sampleEvery = DEFAULT_SAMPLE_EVERY;
        private Priority defaultPriority = Priority.P2;
        private double[] shares = {1.0, 0.9, 0.7, 0.5};
        private Ticker ticker = Ticker.system();
        private MetricsSink metrics;
        private Duration tierHold = Duration.ofSeconds(1);
        private Scheduler tierTimer;
        private final List<TierListener> listeners = new ArrayList<>();
        private int queueCapacity;
        private Duration maxQueueWait = Duration.ofMillis(100);
        private Duration codelTarget = Duration.ofMillis(5);
        private Duration codelInterval = Duration.ofMillis(100);
        private DoubleSupplier cpuLoad;
        private double cpuThreshold = 0.9;
        private Duration cpuSampleInterval = Duration.ofSeconds(1);
        private OutcomeClassifier outcomeClassifier = OutcomeClassifier.standard();

        Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /**
         * The limit algorithm; default a fixed limit of 100. See {@link ConcurrencyLimit#gradient()}. A limit
         * that learns ({@link ConcurrencyLimit#usesSamples()}) serves one shedder: the first one built from
         * here gets this instance; a later {@code build()}, or a builder from
         * {@link LoadShedderConfig#toBuilder()}, gets {@link ConcurrencyLimit#fresh()} of it.
         */
        public Builder limit(ConcurrencyLimit limit) {
            this.limit = Objects.requireNonNull(limit, "limit");
            this.limitFactory = null;
            this.limitTaken = false;
            return this;
        }

        /**
         * The limit algorithm as a factory, called once for each shedder built (from here or from a
         * {@link LoadShedderConfig#toBuilder()}), so each has its own: {@code limit(() -> new MyLimit())}.
         * {@link #build()} fails if it returns {@code null}.
         */
        public Builder limit(Supplier<? extends ConcurrencyLimit> factory) {
            this.limitFactory = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * Times one admission in {@code n} (every {@code n}-th, counted exactly across all threads)
         * to give the limit its latency samples; a power of two in [1, {@value #MAX_SAMPLE_EVERY}],
         * default {@value #DEFAULT_SAMPLE_EVERY}. Untimed calls read no clock at all, so the cost
         * of an adaptive limit (two clock reads and a sample per timed call) is paid once per
         * {@code n} calls. Outcomes that signal overload ({@code TIMED_OUT}, {@code REJECTED},
         * {@code SHED}) are reported to the limit for every call, timed or not, and calls admitted
         * from the waiting queue are always timed.
         *
         * <p>The trade-off is feedback delay: a limit that needs {@code k} latency samples per
         * window (such as {@link dev.nines.shedding.limit.GradientLimit}'s {@code minWindowSamples})
         * now needs {@code k × n} calls, so its windows close on time only above
         * {@code k × n / window} calls per second (800/s with the defaults: 10 samples, n = 8,
         * 100 ms) and stretch below it. Where traffic is that light the saving is worthless: choose
         * 1 to time every call. A fixed limit takes no samples, so this then changes nothing.
         */
        public Builder sampleEvery(int n) {
            this.sampleEvery = n;
            return this;
        }

        /** The priority of calls whose context has none. */
        public Builder defaultPriority(Priority priority) {
            this.defaultPriority = Objects.requireNonNull(priority, "priority");
            return this;
        }

        /**
         * The share of the limit {@code priority} may use, in (0, 1]. Shares must not grow from P0 to
         * P3, so a priority is shed only while every less important one is.
         */
        public Builder share(Priority priority, double share) {
            this.shares[Objects.requireNonNull(priority, "priority").ordinal()] = share;
            return this;
        }

        /** The time source. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** The metrics sink; it is guarded so it cannot break a call. */
        public Builder metrics(MetricsSink metrics) {
            this.metrics = Metrics.guard(Objects.requireNonNull(metrics, "metrics"));
            return this;
        }

        /** How long a priority counts as shed, for the tier, after its last rejection. */
        public Builder tierHold(Duration tierHold) {
            this.tierHold = Objects.requireNonNull(tierHold, "tierHold");
            return this;
        }

        /**
         * The timer that ends a tier when its hold runs out although no call completes and nobody
         * reads the tier: one short task per hold, scheduled while a tier holds a shed priority
         * (re-armed while rejections renew it). A timer that refuses a task is not used again; tiers
         * then end on the next release, {@link LoadShedder#tier()} or tier-gauge read. Default:
         * {@link Scheduler#system()} while the ticker is {@link Ticker#system()}, else none.
         */
        public Builder tierTimer(Scheduler timer) {
            this.tierTimer = Objects.requireNonNull(timer, "timer");
            return this;
        }

        /** Adds a listener told of every tier change. */
        public Builder onTierChange(TierListener listener) {
            this.listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Enables the waiting queue for blocking callers: up to {@code capacity} wait for a slot, in
         * priority order, for at most {@code maxWait} (cut to the CoDel target once the queue stands).
         */
        public Builder queue(int capacity, Duration maxWait) {
            this.queueCapacity = capacity;
            this.maxQueueWait = Objects.requireNonNull(maxWait, "maxWait");
            return this;
        }

        /** The CoDel target and interval of the waiting queue. */
        public Builder codel(Duration target, Duration interval) {
            this.codelTarget = Objects.requireNonNull(target, "target");
            this.codelInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * Enables the CPU signal: while {@code load} (0..1, sampled at most once per
         * {@code sampleInterval}) is at or above {@code threshold}, completions are reported to the
         * limit as overload samples, so an adaptive limit backs off. See {@link CpuLoad}.
         *
         * <p>The signal acts only through the limit, so it needs one that takes samples (such as
         * {@link ConcurrencyLimit#gradient()}): with a limit whose {@link ConcurrencyLimit#usesSamples()} is false (a
         * fixed limit, the default) it could change nothing, and {@link #build()} rejects the
         * combination rather than ignore the signal silently.
         */
        public Builder cpuSignal(DoubleSupplier load, double threshold, Duration sampleInterval) {
            this.cpuLoad = Objects.requireNonNull(load, "load");
            this.cpuThreshold = threshold;
            this.cpuSampleInterval = Objects.requireNonNull(sampleInterval, "sampleInterval");
            return this;
        }

        /**
         * What an admitted call that threw means to the limit and to metrics, on the policy path
         * ({@code execute}, {@code executeAsync}, pipelines, {@code @WithPriority}, the web guard).
         * Default {@link OutcomeClassifier#standard()}: a rejection raised inside the call, such as
         * an open downstream breaker, is ignored, not taken for this service's overload.
         */
        public Builder outcomeClassifier(OutcomeClassifier classifier) {
            this.outcomeClassifier = Objects.requireNonNull(classifier, "classifier");
            return this;
        }

        /**
         * Validates and builds the configuration.
         *
         * @throws IllegalArgumentException listing every invalid field with its allowed range
         */
        public LoadShedderConfig buildConfig() {
            ConcurrencyLimit limit = resolveLimit();
            Validation v = new Validation().name(name);
            v.check(limit != null, "limit", "a ConcurrencyLimit, not null from its factory", "null");
            v.check(limit == null || limitFactory != null || !limitTaken || !limit.usesSamples()
                            || limit != this.limit, "limit",
                    "a limit that serves no other shedder (pass a factory, or implement ConcurrencyLimit.fresh())", limit);
            for (Priority p : Priority.values()) {
                double s = shares[p.ordinal()];
                v.fraction("share of " + p, s);
                if (p != Priority.P0) {
                    double above = shares[p.ordinal() - 1];
                    v.check(s <= above, "share of " + p, "<= share of " + Priority.ofLevel(p.ordinal() - 1)
                            + " (" + above + ")", s);
                }
            }
            v.check(sampleEvery >= 1 && sampleEvery <= MAX_SAMPLE_EVERY && Integer.bitCount(sampleEvery) == 1,
                    "sampleEvery", "a power of two in [1, " + MAX_SAMPLE_EVERY + "]", sampleEvery)
                    .positive("tierHold", tierHold)
                    .check(queueCapacity >= 0, "queueCapacity", ">= 0", queueCapacity)
                    .positive("maxQueueWait", maxQueueWait)
                    .positive("codelTarget", codelTarget)
                    .check(codelTarget.compareTo(maxQueueWait) <= 0, "codelTarget",
                            "<= maxQueueWait (" + maxQueueWait + ")", codelTarget)
                    .positive("codelInterval", codelInterval)
                    .fraction("cpuThreshold", cpuThreshold)
                    .positive("cpuSampleInterval", cpuSampleInterval)
                    .check(cpuLoad == null || limit == null || limit.usesSamples(), "cpuSignal",
                            "off with a limit that takes no samples (" + limit + ")", "on")
                    .throwIfInvalid();
            if (limitFactory == null) {
                limitTaken = true; // from now on, this builder's instance serves a shedder
            }
            return new LoadShedderConfig(this, limit);
        }

        /** The limit for the shedder being built: a new one from the factory, this instance, or a fresh copy. */
        private ConcurrencyLimit resolveLimit() {
            if (limitFactory != null) {
                return limitFactory.get();
            }
            return limitTaken && limit.usesSamples() ? limit.fresh() : limit;
        }

        /**
         * Validates and builds the shedder.
         *
         * @throws IllegalArgumentException listing every invalid field with its allowed range
         */
        public LoadShedder build() {
            return new LoadShedder(buildConfig());
        }
    }
}
