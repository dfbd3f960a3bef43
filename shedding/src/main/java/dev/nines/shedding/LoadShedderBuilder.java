package dev.nines.shedding;

import dev.nines.FailureFilter;
import dev.nines.Priority;
import dev.nines.RejectedCallException;
import dev.nines.Scheduler;
import dev.nines.Ticker;
import dev.nines.internal.PolicyBuilder;
import dev.nines.internal.Validation;
import dev.nines.shedding.limit.ConcurrencyLimit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * Configures a {@link LoadShedder}: {@code LoadShedder.builder("api")}, or
 * {@link LoadShedder#toBuilder()} to derive one from a built shedder. Setters only store (rejecting
 * {@code null} at once); {@link #build()} checks every setting and fails with one
 * {@link IllegalArgumentException} listing each bad field with its value, such as
 * {@code share of P3 must be a fraction in (0, 1] but was 50.0 (50% is 0.5)}. The defaults are
 * those of {@link LoadShedderConfig}'s getters. Not thread-safe; the shedder it builds is.
 */
// the shared base is exported to the nines modules alone; its public setters are reached through this class
@SuppressWarnings("exports")
public final class LoadShedderBuilder extends PolicyBuilder<LoadShedderBuilder> {

    /** The default of {@link #failures(FailureFilter)}. */
    static final FailureFilter DEFAULT_FAILURES = FailureFilter.exceptions()
            .ignoring(RejectedCallException.class, InterruptedException.class);
    /** The default of {@link #drops(FailureFilter)}. */
    static final FailureFilter DEFAULT_DROPS = FailureFilter.none();

    ConcurrencyLimit limit = ConcurrencyLimit.fixed(100);
    Supplier<? extends ConcurrencyLimit> limitFactory;
    /** Whether {@link #limit} serves a shedder already (built from here, or the shedder this came from). */
    private boolean limitTaken;
    int sampleEvery = LoadShedderConfig.DEFAULT_SAMPLE_EVERY;
    Priority defaultPriority = Priority.P2;
    final double[] shares = {1.0, 0.9, 0.7, 0.5};
    Duration tierHold = Duration.ofSeconds(1);
    final List<TierListener> listeners = new ArrayList<>();
    int queueCapacity;
    Duration maxQueueWait = Duration.ofMillis(100);
    Duration codelTarget = Duration.ofMillis(5);
    Duration codelInterval = Duration.ofMillis(100);
    DoubleSupplier cpuLoad;
    double cpuThreshold = 0.9;
    Duration cpuSampleInterval = Duration.ofSeconds(1);
    FailureFilter failures = DEFAULT_FAILURES;
    FailureFilter drops = DEFAULT_DROPS;

    LoadShedderBuilder(String name) {
        super(name);
    }

    /** A builder holding {@code from}'s settings; the shedder it builds gets a limit of its own. */
    LoadShedderBuilder(LoadShedderConfig from) {
        super(from.wiring());
        limit = from.limit();
        limitFactory = from.limitFactory();
        limitTaken = true; // this limit is in use: the derived shedder gets a fresh one
        sampleEvery = from.sampleEvery();
        defaultPriority = from.defaultPriority();
        for (Priority p : Priority.values()) {
            shares[p.ordinal()] = from.share(p);
        }
        tierHold = from.tierHold();
        listeners.addAll(from.listeners());
        queueCapacity = from.queueCapacity();
        maxQueueWait = from.maxQueueWait();
        codelTarget = from.codelTarget();
        codelInterval = from.codelInterval();
        cpuLoad = from.cpuLoad().orElse(null);
        cpuThreshold = from.cpuThreshold();
        cpuSampleInterval = from.cpuSampleInterval();
        failures = from.failures();
        drops = from.drops();
    }

    /**
     * The limit algorithm; default a fixed limit of 100. See {@link ConcurrencyLimit#gradient()}. A
     * limit that learns ({@link ConcurrencyLimit#usesSamples()}) serves one shedder: the first one
     * built from here gets this instance; a later {@code build()}, or a builder from
     * {@link LoadShedder#toBuilder()}, gets {@link ConcurrencyLimit#fresh()} of it.
     */
    public LoadShedderBuilder limit(ConcurrencyLimit limit) {
        this.limit = Objects.requireNonNull(limit, "limit");
        this.limitFactory = null;
        this.limitTaken = false;
        return this;
    }

    /**
     * The limit algorithm as a factory, called once for each shedder built (from here or from a
     * {@link LoadShedder#toBuilder()}), so each has its own: {@code limit(() -> new MyLimit())}.
     * {@link #build()} fails if it returns {@code null}.
     */
    public LoadShedderBuilder limit(Supplier<? extends ConcurrencyLimit> factory) {
        this.limitFactory = Objects.requireNonNull(factory, "factory");
        return this;
    }

    /**
     * Times one admission in {@code n} (every {@code n}-th, counted exactly across all threads)
     * to give the limit its latency samples; a power of two in
     * [1, {@value LoadShedderConfig#MAX_SAMPLE_EVERY}], default
     * {@value LoadShedderConfig#DEFAULT_SAMPLE_EVERY}. Untimed calls read no clock at all, so the
     * cost of an adaptive limit (two clock reads and a sample per timed call) is paid once per
     * {@code n} calls. Outcomes that signal overload ({@code TIMED_OUT}, {@code REJECTED},
     * {@code SHED}) are reported to the limit for every call, timed or not, and calls admitted
     * from the waiting queue are always timed.
     *
     * <p>The trade-off is feedback delay: a limit that needs {@code k} latency samples per window
     * (such as {@link dev.nines.shedding.limit.GradientLimit}'s {@code minWindowSamples}) now
     * needs {@code k × n} calls, so its windows close on time only above
     * {@code k × n / window} calls per second (800/s with the defaults: 10 samples, n = 8,
     * 100 ms) and stretch below it. Where traffic is that light the saving is worthless: choose 1
     * to time every call. A fixed limit takes no samples, so this then changes nothing.
     */
    public LoadShedderBuilder sampleEvery(int n) {
        this.sampleEvery = n;
        return this;
    }

    /** The priority of calls whose context has none; default {@link Priority#P2}. */
    public LoadShedderBuilder defaultPriority(Priority priority) {
        this.defaultPriority = Objects.requireNonNull(priority, "priority");
        return this;
    }

    /**
     * The share of the limit {@code priority} may use, a fraction in (0, 1]. Shares must not grow
     * from P0 to P3, so a priority is shed only while every less important one is. Defaults P0 1.0,
     * P1 0.9, P2 0.7, P3 0.5.
     */
    public LoadShedderBuilder share(Priority priority, double share) {
        this.shares[Objects.requireNonNull(priority, "priority").ordinal()] = share;
        return this;
    }

    /** How long a priority counts as shed, for the tier, after its last rejection; default 1 s. */
    public LoadShedderBuilder tierHold(Duration tierHold) {
        this.tierHold = Objects.requireNonNull(tierHold, "tierHold");
        return this;
    }

    /**
     * The timer that ends a tier when its hold runs out although no call completes and nobody
     * reads the tier: one short task per hold, scheduled while a tier holds a shed priority
     * (re-armed while rejections renew it). A timer that refuses a task is not used again; tiers
     * then end on the next release, {@link LoadShedder#tier()} or tier-gauge read. Default:
     * {@link Scheduler#system()} while the ticker is {@link Ticker#system()}, else none (see
     * {@link LoadShedderConfig#scheduler()}).
     */
    @Override
    public LoadShedderBuilder scheduler(Scheduler scheduler) {
        return super.scheduler(scheduler);
    }

    /** Adds a listener told of every tier change. */
    public LoadShedderBuilder onTierChange(TierListener listener) {
        this.listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * Enables the waiting queue for blocking callers: up to {@code capacity} wait for a slot, in
     * priority order, for at most {@code maxWait} (cut to the CoDel target once the queue stands).
     * Default capacity 0 (no queue), maximum wait 100 ms.
     */
    public LoadShedderBuilder queue(int capacity, Duration maxWait) {
        this.queueCapacity = capacity;
        this.maxQueueWait = Objects.requireNonNull(maxWait, "maxWait");
        return this;
    }

    /** The CoDel target and interval of the waiting queue; default 5 ms and 100 ms. */
    public LoadShedderBuilder codel(Duration target, Duration interval) {
        this.codelTarget = Objects.requireNonNull(target, "target");
        this.codelInterval = Objects.requireNonNull(interval, "interval");
        return this;
    }

    /**
     * Enables the CPU signal: while {@code load} (a fraction, 0..1, sampled at most once per
     * {@code sampleInterval}) is at or above {@code threshold} (a fraction in (0, 1]), completions
     * are reported to the limit as overload samples, so an adaptive limit backs off. See
     * {@link CpuLoad}.
     *
     * <p>The signal acts only through the limit, so it needs one that takes samples (such as
     * {@link ConcurrencyLimit#gradient()}): with a limit whose {@link ConcurrencyLimit#usesSamples()}
     * is false (a fixed limit, the default) it could change nothing, and {@link #build()} rejects
     * the combination rather than ignore the signal silently.
     */
    public LoadShedderBuilder cpuSignal(DoubleSupplier load, double threshold, Duration sampleInterval) {
        this.cpuLoad = Objects.requireNonNull(load, "load");
        this.cpuThreshold = threshold;
        this.cpuSampleInterval = Objects.requireNonNull(sampleInterval, "sampleInterval");
        return this;
    }

    /**
     * What the outcome of an admitted call means to the limit and to metrics, on the policy path
     * ({@code execute}, {@code executeAsync}, pipelines, {@code @WithPriority}, the web guard),
     * unless {@link #drops(FailureFilter) drops} says it was dropped: {@code FAILURE} is a failed
     * call, {@code SUCCESS} an answered one (a business exception, say), both a latency sample;
     * {@code IGNORED} teaches the limit nothing. Default
     * {@code FailureFilter.exceptions().ignoring(RejectedCallException.class, InterruptedException.class)}:
     * a rejection raised inside the call, such as an open downstream breaker, is ignored, not taken
     * for this service's overload. An {@link Error} judged {@code SUCCESS} counts as a failure.
     */
    public LoadShedderBuilder failures(FailureFilter failures) {
        this.failures = Objects.requireNonNull(failures, "failures");
        return this;
    }

    /**
     * Which outcomes of an admitted call mean it was dropped, an overload signal of this service
     * that makes an adaptive limit back off, recorded as {@link Permit#dropped()} records it
     * ({@code TIMED_OUT}). Judged before {@link #failures(FailureFilter) failures}: only its
     * {@code FAILURE} verdict counts, any other goes on to {@code failures}. Default
     * {@link FailureFilter#none()}. To count an inner timeout as a drop:
     * {@code drops(FailureFilter.on(TimeoutExceededException.class))}.
     */
    public LoadShedderBuilder drops(FailureFilter drops) {
        this.drops = Objects.requireNonNull(drops, "drops");
        return this;
    }

    /**
     * Validates and builds the shedder.
     *
     * @throws IllegalArgumentException listing every invalid field with its value and allowed range
     */
    public LoadShedder build() {
        ConcurrencyLimit resolved = resolveLimit();
        Validation v = validation();
        v.check(resolved != null, "limit", "a ConcurrencyLimit, not null from its factory", "null");
        v.check(resolved == null || limitFactory != null || !limitTaken || !resolved.usesSamples()
                        || resolved != this.limit, "limit",
                "a limit that serves no other shedder (pass a factory, or implement ConcurrencyLimit.fresh())",
                resolved);
        for (Priority p : Priority.values()) {
            double s = shares[p.ordinal()];
            v.fraction("share of " + p, s);
            if (p != Priority.P0) {
                double above = shares[p.ordinal() - 1];
                v.check(s <= above, "share of " + p, "<= share of " + Priority.ofLevel(p.ordinal() - 1)
                        + " (" + above + ")", s);
            }
        }
        int max = LoadShedderConfig.MAX_SAMPLE_EVERY;
        v.check(sampleEvery >= 1 && sampleEvery <= max && Integer.bitCount(sampleEvery) == 1,
                        "sampleEvery", "a power of two in [1, " + max + "]", sampleEvery)
                .positive("tierHold", tierHold)
                .check(queueCapacity >= 0, "queueCapacity", ">= 0", queueCapacity)
                .positive("maxQueueWait", maxQueueWait)
                .positive("codelTarget", codelTarget)
                .check(codelTarget.compareTo(maxQueueWait) <= 0, "codelTarget",
                        "<= maxQueueWait (" + maxQueueWait + ")", codelTarget)
                .positive("codelInterval", codelInterval)
                .fraction("cpuThreshold", cpuThreshold)
                .positive("cpuSampleInterval", cpuSampleInterval)
                .check(cpuLoad == null || resolved == null || resolved.usesSamples(), "cpuSignal",
                        "off with a limit that takes no samples (" + resolved + ")", "on")
                .throwIfInvalid();
        if (limitFactory == null) {
            limitTaken = true; // from now on, this builder's instance serves a shedder
        }
        return new LoadShedder(new LoadShedderConfig(this, resolved, wiring()));
    }

    /** The limit for the shedder being built: a new one from the factory, this instance, or a fresh copy. */
    private ConcurrencyLimit resolveLimit() {
        if (limitFactory != null) {
            return limitFactory.get();
        }
        return limitTaken && limit.usesSamples() ? limit.fresh() : limit;
    }
}
