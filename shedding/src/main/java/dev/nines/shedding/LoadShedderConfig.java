package dev.nines.shedding;

import dev.nines.FailureFilter;
import dev.nines.Priority;
import dev.nines.Scheduler;
import dev.nines.Ticker;
import dev.nines.internal.PolicyWiring;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.MetricsSink;
import dev.nines.shedding.limit.ConcurrencyLimit;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * The settings of one {@link LoadShedder}, read with {@link LoadShedder#config()}: every default
 * is visible here. Made only by {@link LoadShedderBuilder#build()}; derive another shedder with
 * {@link LoadShedder#toBuilder()}. Durations are {@link Duration}s; shares and thresholds are
 * fractions. Immutable and thread-safe.
 */
public final class LoadShedderConfig {

    /** The default of {@link #sampleEvery()}: one admission in 8 is timed for the limit. */
    public static final int DEFAULT_SAMPLE_EVERY = 8;
    /** The largest allowed {@link #sampleEvery()}. */
    public static final int MAX_SAMPLE_EVERY = 1024;

    private final PolicyWiring wiring;
    private final ConcurrencyLimit limit;
    /** The factory the user set, {@code null} if they gave an instance. */
    private final Supplier<? extends ConcurrencyLimit> limitFactory;
    private final int sampleEvery;
    private final Priority defaultPriority;
    private final double[] shares;
    private final Duration tierHold;
    private final List<TierListener> listeners;
    private final int queueCapacity;
    private final Duration maxQueueWait;
    private final Duration codelTarget;
    private final Duration codelInterval;
    private final DoubleSupplier cpuLoad;
    private final double cpuThreshold;
    private final Duration cpuSampleInterval;
    private final FailureFilter failures;
    private final FailureFilter drops;

    LoadShedderConfig(LoadShedderBuilder b, ConcurrencyLimit limit, PolicyWiring wiring) {
        this.wiring = wiring;
        this.limit = limit;
        this.limitFactory = b.limitFactory;
        this.sampleEvery = b.sampleEvery;
        this.defaultPriority = b.defaultPriority;
        this.shares = b.shares.clone();
        this.tierHold = b.tierHold;
        this.listeners = List.copyOf(b.listeners);
        this.queueCapacity = b.queueCapacity;
        this.maxQueueWait = b.maxQueueWait;
        this.codelTarget = b.codelTarget;
        this.codelInterval = b.codelInterval;
        this.cpuLoad = b.cpuLoad;
        this.cpuThreshold = b.cpuThreshold;
        this.cpuSampleInterval = b.cpuSampleInterval;
        this.failures = b.failures;
        this.drops = b.drops;
    }

    /** The shedder's name, used by metrics, errors and the {@code @WithPriority} annotation. */
    public String name() {
        return wiring.name();
    }

    /**
     * The limit algorithm of the shedder built with this configuration; default a fixed limit of
     * 100 ({@link ConcurrencyLimit#fixed(int)}). One that learns belongs to that shedder alone: a
     * shedder built from {@link LoadShedder#toBuilder()} gets a fresh one.
     */
    public ConcurrencyLimit limit() {
        return limit;
    }

    /**
     * One admission in how many is timed to give the limit a latency sample; a power of two in
     * [1, {@value #MAX_SAMPLE_EVERY}]. Default {@value #DEFAULT_SAMPLE_EVERY}. See
     * {@link LoadShedderBuilder#sampleEvery(int)} for the trade-off.
     */
    public int sampleEvery() {
        return sampleEvery;
    }

    /** The priority of a call whose context carries none. Default {@link Priority#P2}. */
    public Priority defaultPriority() {
        return defaultPriority;
    }

    /**
     * The share of the limit {@code priority} may use, a fraction in (0, 1]. Defaults P0 1.0,
     * P1 0.9, P2 0.7, P3 0.5.
     */
    public double share(Priority priority) {
        return shares[priority.ordinal()];
    }

    /** The time source. Default {@link Ticker#system()}. */
    public Ticker ticker() {
        return wiring.ticker();
    }

    /**
     * The metrics sink (guarded): the one set, else {@link Metrics#getDefault()},
     * which forwards to the current default.
     */
    public MetricsSink metrics() {
        return wiring.metrics();
    }

    /**
     * How long a priority counts as shed, for the tier, after its last rejection. Default 1 s. A
     * tier ends within its hold plus one clock tick of its last dated rejection, traffic or not
     * (see {@link #scheduler()}). A rejection of a priority the tier already sheds reads no clock
     * and is dated by the next release, tier read, gauge read or end-of-hold check, so the hold
     * may run past this (without traffic, by at most one more hold), never short of it.
     */
    public Duration tierHold() {
        return tierHold;
    }

    /**
     * The timer of the end-of-hold checks that end a tier when no traffic comes: the one given to
     * {@link LoadShedderBuilder#scheduler}, else {@link Scheduler#system()} while the ticker is
     * {@link Ticker#system()}; empty with any other ticker (a real timer cannot follow a manual
     * clock), when tiers end only on the next release, {@link LoadShedder#tier()} or gauge read.
     */
    public Optional<Scheduler> scheduler() {
        return Optional.ofNullable(wiring.scheduler(ticker() == Ticker.system() ? Scheduler.system() : null));
    }

    /** The tier listeners, in registration order. Default none. */
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
     * The CPU load supplier (a fraction, 0..1), if the CPU signal is on; only ever with a limit
     * that takes samples (see {@link LoadShedderBuilder#cpuSignal}). Default off (empty).
     */
    public Optional<DoubleSupplier> cpuLoad() {
        return Optional.ofNullable(cpuLoad);
    }

    /** The CPU load, a fraction, at and above which completions count as overload samples. Default 0.9. */
    public double cpuThreshold() {
        return cpuThreshold;
    }

    /** The shortest time between two CPU samples. Default 1 s. */
    public Duration cpuSampleInterval() {
        return cpuSampleInterval;
    }

    /**
     * What the outcome of an admitted call means on the policy path, unless {@link #drops()} says
     * it was dropped. Default
     * {@code FailureFilter.exceptions().ignoring(RejectedCallException.class, InterruptedException.class)}.
     * See {@link LoadShedderBuilder#failures(FailureFilter)}.
     */
    public FailureFilter failures() {
        return failures;
    }

    /**
     * Which outcomes of an admitted call mean it was dropped (an overload signal), judged before
     * {@link #failures()}. Default {@link FailureFilter#none()}. See
     * {@link LoadShedderBuilder#drops(FailureFilter)}.
     */
    public FailureFilter drops() {
        return drops;
    }

    @Override
    public String toString() {
        return "LoadShedderConfig[" + name() + ", limit=" + limit + ", sampleEvery=" + sampleEvery
                + ", shares=" + java.util.Arrays.toString(shares) + ", tierHold=" + tierHold
                + ", queueCapacity=" + queueCapacity + ", failures=" + failures + ", drops=" + drops + "]";
    }

    double[] shares() {
        return shares;
    }

    PolicyWiring wiring() {
        return wiring;
    }

    Supplier<? extends ConcurrencyLimit> limitFactory() {
        return limitFactory;
    }
}
