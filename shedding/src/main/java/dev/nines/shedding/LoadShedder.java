package dev.nines.shedding;

import dev.nines.AsyncCall;
import dev.nines.CallContext;
import dev.nines.Next;
import dev.nines.Policy;
import dev.nines.Priority;
import dev.nines.Reconfigurable;
import dev.nines.Ticker;
import dev.nines.internal.BuildRecorder;
import dev.nines.internal.Reconfiguration;
import dev.nines.internal.Validation;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.Outcome;
import dev.nines.metrics.PolicyKinds;
import dev.nines.shedding.internal.Admission;
import dev.nines.shedding.internal.CpuSignal;
import dev.nines.shedding.internal.Guarded;
import dev.nines.shedding.internal.LimitFeedback;
import dev.nines.shedding.internal.PriorityAdmission;
import dev.nines.shedding.internal.ShedRecorder;
import dev.nines.shedding.internal.SettableLimit;
import dev.nines.shedding.internal.ShedderCalls;
import dev.nines.shedding.internal.TierTracker;
import dev.nines.shedding.internal.WaitQueue;
import dev.nines.shedding.internal.WaitingAdmission;
import dev.nines.shedding.limit.ConcurrencyLimit;
import dev.nines.shedding.limit.FixedLimit;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Admits or sheds requests by {@link Priority} so that, when load exceeds capacity, critical
 * traffic keeps flowing and sheddable traffic goes first.
 *
 * <p><b>Admission.</b> One in-flight counter is checked against the request's threshold and
 * incremented in a single CAS, so in-flight never exceeds the limit however many threads race.
 * Each priority may fill the limit up to its share (default P0 100%, P1 90%, P2 70%, P3 50%), so
 * as in-flight rises P3 is shed first and P0 last. The limit comes from a pluggable {@link ConcurrencyLimit}
 * (fixed, or adaptive such as {@link dev.nines.shedding.limit.GradientLimit}), fed with the
 * latency of every {@link LoadShedderConfig#sampleEvery() n-th} admitted call and with every call
 * that was dropped or timed out.
 *
 * <p><b>Outcomes are said, not guessed.</b> A {@link Permit}'s or token's caller says what the call
 * meant. On the policy path two {@link dev.nines.FailureFilter}s say it:
 * {@link LoadShedderConfig#drops()} first (its {@code FAILURE} verdict: the call was dropped, an
 * overload signal), then {@link LoadShedderConfig#failures()} ({@code FAILURE}: failed,
 * {@code SUCCESS}: answered, both a latency sample; {@code IGNORED}: nothing learned). By default a
 * rejection raised inside the call (an open downstream breaker, a downstream rate limit) and an
 * {@link InterruptedException} are ignored, so a failing dependency cannot talk an adaptive limit
 * down. Fixed rules: an {@link Error} judged {@code SUCCESS} is a failure; a cancelled asynchronous
 * call is ignored. Metrics record the outcome the limit was told.
 *
 * <p><b>Sampling.</b> Timing a call costs two clock reads and a sample, several times the cost of
 * admission itself, so only every n-th admission (default 8, numbered exactly by the same CAS that
 * admits it) is timed; the other calls read no clock unless metrics want their duration. The limit
 * still hears of every dropped or timed-out call. The price is feedback delay at low traffic; see
 * {@link LoadShedderBuilder#sampleEvery(int)}.
 *
 * <p><b>Three ways to use it.</b> As a {@link Policy} in a {@code Pipeline} (the priority comes
 * from the {@link CallContext}, else {@link LoadShedderConfig#defaultPriority()}); with a
 * {@link Permit} in try-with-resources; or allocation-free with {@link #tryAdmit(Priority)} and
 * {@link #release(long, Outcome)}. Admitted requests allocate nothing on the policy and token paths;
 * a {@link Permit} is one 32-byte object per admission. A rejection allocates nothing on the token
 * and permit paths (a shed permit is a shared constant); the policy path allocates only the
 * {@link ShedException} it throws or fails the stage with, one per rejection, without a stack trace.
 *
 * <p><b>Tiers.</b> The shedder publishes a {@link Tier} from which priorities it shed within
 * {@link LoadShedderConfig#tierHold()}; listeners and metrics hear every change, in the order the
 * changes happened, however many threads cause them. A tier ends within its hold plus one clock
 * tick, whether or not traffic comes: an end-of-hold check on {@link LoadShedderConfig#scheduler()}
 * ends it, and {@link #tier()} and the tier gauge refresh it when read (see
 * {@link LoadShedderBuilder#scheduler}). An operator may {@link #forceTier(Tier) force} a
 * tier, which takes effect for the very next admission.
 *
 * <p><b>Queue.</b> Optionally, blocking callers that find no room wait in a bounded priority queue
 * with CoDel-style timeouts; asynchronous calls never wait. A call whose deadline has passed is
 * dropped before it runs. A completing call hands its slot straight to the most important waiter
 * (if that waiter's share allows), without freeing it, so a new arrival never overtakes a waiter
 * for a slot freed by a completion. A caller that finds the queue full takes the place of the newest waiter
 * of a less important priority (that waiter is shed with {@link ShedException.Reason#QUEUE_FULL});
 * only a queue full of waiters at least as important refuses it.
 *
 * <p><b>What shares alone cannot do.</b> Admission never preempts work already running. When P1
 * demand alone exceeds the limit, P1 fills its 90% and P0 is left the remaining 10% at that
 * instant. P0 gains more only as P1 calls complete: P1 is not admitted again while in-flight is at
 * or above its threshold, so the slots P0 takes come out of P1's. Without a queue, P0 is therefore
 * shed when a burst of it outruns P1's completions, more P0 arriving within one call duration than
 * {@code limit - threshold(P1)} slots, although P0 demand alone is far below capacity; a steady P0
 * flow is not (in the simulation, P0 10% and P1 60% of twice the capacity: no P0 request shed).
 * The waiting queue closes that gap: it hands each freed slot to the most important waiter, and a
 * full queue makes room for P0 by dropping a less important waiter, so P0 waits a moment instead
 * of being shed. The moment must fit the allowed wait: once the queue stands, CoDel cuts every wait, P0's too, to the target, so
 * slots must free faster than that. Configure a queue when P0 must be shed only when P0 alone
 * overloads the service, and keep the gaps between the shares wide.
 *
 * <p>Metrics (kind {@code load_shedder}): an outcome per call ({@code SHED} for rejections, with the
 * call's duration otherwise), a transition per tier change, and gauges {@value #GAUGE_LIMIT},
 * {@value #GAUGE_IN_FLIGHT}, {@value #GAUGE_TIER} (the tier's ordinal, refreshed like {@link #tier()}) and, with a queue,
 * {@value #GAUGE_QUEUED}.
 *
 * <p>Thread-safe; lock-free except in the waiting queue. This class is the façade: it holds the
 * release path, tiers and metrics, and delegates to internal collaborators for priority admission,
 * limit feedback, waiting (a layer over the non-waiting admission) and the policy path.
 *
 * <p>{@link #reconfigure} changes a fixed limit and the priorities' shares at run time, keeping the
 * calls in flight, the queue and the tier (see there).
 */
public final class LoadShedder implements Policy, Reconfigurable<LoadShedderConfig> {

    /** The token {@link #tryAdmit(Priority)} returns for a shed request. */
    public static final long REJECTED = LimitFeedback.REJECTED;
    /** Gauge: the current limit. */
    public static final String GAUGE_LIMIT = "limit";
    /** Gauge: calls in flight. */
    public static final String GAUGE_IN_FLIGHT = "in_flight";
    /** Gauge: the published tier's ordinal (0 FULL .. 3 CRITICAL_ONLY). */
    public static final String GAUGE_TIER = "tier";
    /** Gauge: requests waiting in the queue. */
    public static final String GAUGE_QUEUED = "queued";

    private static final String KIND = PolicyKinds.LOAD_SHEDDER;

    private volatile LoadShedderConfig config; // read by toBuilder() and config(), never by a call
    private final String name;
    /** The live value of a fixed limit; null when the limit is adaptive or custom. */
    private final SettableLimit settable;
    private final ReentrantLock reconfiguring = new ReentrantLock(); // reconfigure only, never a call
    private final Ticker ticker;
    private final MetricsSink metrics;
    private final TierTracker tiers;
    private final LimitFeedback feedback;
    /** Admission that never waits: the token path, and the layer the waiting one sits on. */
    private final PriorityAdmission admission;
    /** Admission that may wait: {@link #admission} itself without a queue, else the waiting layer. */
    private final Admission blocking;
    private final TierListener[] listeners;
    private final Guarded guard;
    /** The policy path: deadlines, admission, outcomes. */
    private final ShedderCalls calls;

    LoadShedder(LoadShedderConfig config) {
        this.config = config;
        this.name = config.name();
        this.ticker = config.ticker();
        this.metrics = config.metrics();
        this.listeners = config.listeners().toArray(new TierListener[0]);
        this.guard = new Guarded(name);
        this.tiers = new TierTracker(Validation.nanos(config.tierHold()), ticker, config.scheduler().orElse(null),
                this::tierChanged);
        this.settable = config.limit() instanceof FixedLimit f ? new SettableLimit(f.currentLimit()) : null;
        ConcurrencyLimit limit = settable != null ? settable : config.limit();
        CpuSignal cpu = config.cpuLoad().map(l -> new CpuSignal(l, config.cpuThreshold(),
                Validation.nanos(config.cpuSampleInterval()), ticker.read())).orElse(null);
        this.feedback = new LimitFeedback(limit, ticker, config.sampleEvery(), metrics != MetricsSink.noop(), cpu);
        ShedRecorder rejections = new ShedRecorder(name, tiers, metrics, ticker);
        this.admission = new PriorityAdmission(limit, config.shares(), tiers, feedback, ticker, rejections);
        WaitQueue queue = config.queueCapacity() == 0 ? null : new WaitQueue(config.queueCapacity(),
                Validation.nanos(config.maxQueueWait()), Validation.nanos(config.codelTarget()),
                Validation.nanos(config.codelInterval()));
        this.blocking = queue == null ? admission
                : new WaitingAdmission(admission, queue, feedback, ticker, rejections);
        this.calls = new ShedderCalls(config.defaultPriority(), ticker, admission, blocking, rejections,
                config.failures(), config.drops(), this::release);
        registerGauges();
        PriorityAdmission slots = admission;
        BuildRecorder.record("LoadShedder", name, violations -> {
            int inFlight = slots.inFlight();
            if (inFlight != 0) {
                violations.accept("in-flight must be 0 at rest (every permit released once) but was " + inFlight);
            }
            if (queue != null) {
                queue.check(violations);
            }
        });
    }

    private void registerGauges() {
        metrics.registerGauge(name, KIND, GAUGE_LIMIT, admission::limit);
        metrics.registerGauge(name, KIND, GAUGE_IN_FLIGHT, admission::inFlight);
        metrics.registerGauge(name, KIND, GAUGE_TIER, () -> tier().ordinal()); // refreshed: never a stale tier
        if (blocking != admission) {
            metrics.registerGauge(name, KIND, GAUGE_QUEUED, blocking::queued);
        }
    }

    /**
     * Takes {@code config}'s fixed limit and priority shares, keeping the calls in flight, the queue,
     * the tier and the metrics: a lowered limit (or share) admits no new call until in-flight drops
     * below the new threshold, a raised one admits at once and lets waiters in; no slot is lost or
     * freed twice. An adaptive limit keeps what it learned and its settings cannot change (the same
     * settings are accepted); fixed cannot become adaptive nor the reverse. All else is fixed at
     * build time (name, ticker, scheduler, sink, sampling, default priority, tier hold, listeners,
     * queue and CoDel, CPU signal, failure and drop filters): a config that changes it is refused.
     *
     * @throws IllegalArgumentException naming every refused setting; the current settings stay
     */
    @Override
    public void reconfigure(LoadShedderConfig config) {
        Objects.requireNonNull(config, "config");
        reconfiguring.lock();
        try {
            ShedderChanges.apply(this.config, config, settable, admission, blocking, ticker);
            this.config = config;
        } finally {
            reconfiguring.unlock();
            registerGauges(); // a shedder built for a config registered its own gauges under this name: take them back
        }
        Reconfiguration.report(metrics, name);
    }

    /** Starts configuring a shedder named {@code name}. */
    public static LoadShedderBuilder builder(String name) {
        return new LoadShedderBuilder(name);
    }

    /**
     * A builder holding this shedder's settings, to derive another shedder: what was never set
     * stays unset (the metrics sink resolves again when it builds), and the derived shedder gets a
     * limit of its own, with nothing learned: from the same factory, or
     * {@link ConcurrencyLimit#fresh()} of this one.
     */
    public LoadShedderBuilder toBuilder() {
        return new LoadShedderBuilder(config);
    }

    // ---------------------------------------------------------------- allocation-free token API

    /**
     * Admits a request of {@code priority} or sheds it, never waiting. On admission returns an
     * opaque token to pass to {@link #release(long, Outcome)} exactly once (it records whether and
     * when the call was timed); on shedding returns {@link #REJECTED}. Allocates nothing either way:
     * a rejection only records itself (metrics and the tier), it builds no exception, and reads
     * the clock only when it changes the tier (the first rejection of a priority the tier does not
     * shed yet).
     */
    public long tryAdmit(Priority priority) {
        return admission.tryAdmitOrRecordShed(priority, false, 0L);
    }


    /**
     * Releases the slot of an admitted request. Must be called exactly once per token from
     * {@link #tryAdmit(Priority)}: the {@link Permit} API enforces that, this one cannot.
     * {@code SUCCESS} and {@code FAILURE} give the limit a latency sample if the call was timed
     * (one in {@link LoadShedderConfig#sampleEvery()}); {@code TIMED_OUT}, {@code REJECTED} and
     * {@code SHED} always tell it the call was dropped; other outcomes teach it nothing. If requests
     * wait in the queue, the slot passes straight to the most important one whose share allows it,
     * so a request arriving meanwhile cannot take it first.
     *
     * @throws IllegalStateException if nothing is in flight (a token released twice)
     */
    public void release(long token, Outcome outcome) {
        releaseAs(token, null, outcome);
    }

    /**
     * {@link #release(long, Outcome)} for a request admitted at {@code priority}: the same, and the
     * outcome reaches the metrics sink with its priority (a {@code priority} label), as shed
     * requests do. The {@link Permit} API and the policy forms release this way.
     *
     * @throws IllegalStateException if nothing is in flight (a token released twice)
     */
    public void release(long token, Priority priority, Outcome outcome) {
        releaseAs(token, Objects.requireNonNull(priority, "priority"), outcome);
    }

    private void releaseAs(long token, Priority priority, Outcome outcome) {
        if (token == REJECTED) {
            throw new IllegalArgumentException("token must be an admitted token but was REJECTED");
        }
        Objects.requireNonNull(outcome, "outcome");
        boolean waiters = blocking.hasWaiters();
        int signal = feedback.signalOf(outcome);
        boolean clocked = feedback.needsClock(token, signal) || waiters;
        long now = clocked ? ticker.read() : 0L;
        long duration = feedback.duration(token, now);
        // with waiters, the slot goes straight to the most important one: never free for a newcomer
        boolean handedOver = waiters && blocking.handOver(now);
        int before;
        if (handedOver) {
            before = admission.inFlight();
        } else {
            before = admission.free();
            if (before <= 0) { // the count is restored; report the caller's bug
                throw new IllegalStateException("release without a matching admission in '" + name + "'");
            }
        }
        if (feedback.feed(signal, token, now, duration, before) && admission.isStale()) {
            republish();
        }
        if (priority == null) {
            metrics.onOutcome(name, KIND, outcome, duration);
        } else {
            metrics.onOutcome(name, KIND, priority, outcome, duration);
        }
        if (!handedOver && blocking.hasWaiters()) {
            if (!clocked) {
                now = ticker.read();
                clocked = true;
            }
            blocking.drain(now); // a waiter came after our look
        }
        if (tiers.published() != Tier.FULL) {
            tiers.refresh(clocked ? now : ticker.read());
        }
    }

    // ---------------------------------------------------------------- permit API

    /**
     * Admits a request of {@code priority} or sheds it, never waiting. Returns an admitted
     * {@link Permit} to release exactly once (one small allocation, see {@link Permit}), or a shared
     * rejected one ({@link Permit#isAdmitted()} false) that costs no allocation.
     */
    public Permit tryAcquire(Priority priority) {
        long token = tryAdmit(Objects.requireNonNull(priority, "priority"));
        return token == REJECTED ? Permit.rejected(priority) : new Permit(this, priority, token);
    }

    /**
     * Admits a request of {@code priority}, waiting in the queue if one is configured.
     *
     * @throws ShedException if the request is shed
     */
    public Permit acquire(Priority priority) {
        return new Permit(this, priority, blocking.admit(Objects.requireNonNull(priority, "priority"), WaitQueue.NO_DEADLINE, false, 0L));
    }

    // ---------------------------------------------------------------- policy

    @Override
    public String name() {
        return name;
    }

    @Override
    public <T> T execute(CallContext context, Callable<T> call, Next next) throws Exception {
        return calls.execute(context, call, next);
    }

    @Override
    public <T> CompletionStage<T> executeAsync(CallContext context, AsyncCall<T> call, Next next) {
        return calls.executeAsync(context, call, next);
    }

    // ---------------------------------------------------------------- state and operator controls

    /**
     * The degradation tier (the worse of the derived and the forced tier), refreshed now: a hold
     * that ran out ends here, and listeners hear of it.
     */
    public Tier tier() {
        return tiers.current(ticker.read());
    }

    /**
     * Forces the shedder to at least {@code tier}: from the next admission on, every priority the
     * tier sheds is rejected, whatever the load. Forcing {@link Tier#FULL} adds no shedding.
     */
    public void forceTier(Tier tier) {
        Objects.requireNonNull(tier, "tier");
        tiers.force(tier, ticker.read());
        republish();
    }

    /** Ends a forced tier; admission goes back to the limit alone. */
    public void clearForcedTier() {
        tiers.force(null, ticker.read());
        republish();
    }

    /** The forced tier, if an operator set one. */
    public Optional<Tier> forcedTier() {
        return Optional.ofNullable(tiers.forced());
    }

    /** The current limit. */
    public int limit() {
        return admission.limit();
    }

    /** How many in-flight calls {@code priority} may find and still be admitted right now. */
    public int threshold(Priority priority) {
        return admission.threshold(priority);
    }

    /** Calls in flight now. */
    public int inFlight() {
        return admission.inFlight();
    }

    /** Requests waiting in the queue now (0 without a queue). */
    public int queued() {
        return blocking.queued();
    }

    /** The settings in force: those built with, or the last ones given to {@link #reconfigure}. */
    @Override
    public LoadShedderConfig config() {
        return config;
    }

    @Override
    public String toString() {
        return "LoadShedder[" + name + ", limit=" + limit() + ", inFlight=" + inFlight() + ", tier="
                + tiers.published() + "]";
    }

    // ---------------------------------------------------------------- internals

    /** Publishes thresholds for the current limit and forced tier; a change may let waiters in. */
    private void republish() {
        if (admission.republish() && blocking.hasWaiters()) {
            blocking.drain(ticker.read()); // a higher limit may admit waiters
        }
    }

    private void tierChanged(Tier from, Tier to) {
        metrics.onTransition(name, KIND, from.name(), to.name());
        for (TierListener l : listeners) {
            guard.run(() -> l.onTierChange(this, from, to));
        }
    }
}
