package dev.nines.internal;

import dev.nines.Scheduler;
import dev.nines.Ticker;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.MetricsSink;
import java.util.Objects;

/**
 * The part of every nines policy builder that is the same everywhere: the policy's name, its
 * ticker, its scheduler and its metrics sink. A policy's builder extends it with its own settings;
 * its {@code build()} starts its checks with {@link #validation()} and hands {@link #wiring()} to
 * the policy, which keeps it for its {@code toBuilder()}.
 *
 * <p>Setters only store (rejecting {@code null} at once); what was never set stays unset, so a
 * builder made by {@code toBuilder()} resolves the defaults of its own {@code build()}: the
 * {@link Metrics#getDefault() default sink} (which forwards to the current default), not the sink
 * the first build was given. The scheduler
 * setter is protected: a builder whose policy schedules work makes it public under its own name
 * and javadoc. Not thread-safe. Not part of the public API.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class PolicyBuilder<B extends PolicyBuilder<B>> {

    private final String name;
    private Ticker ticker;
    private Scheduler scheduler;
    private MetricsSink metrics;

    /** A builder for a policy named {@code name}; a blank name fails at {@code build()}. */
    protected PolicyBuilder(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** A builder with the shared settings of a built policy: what it was given, unset staying unset. */
    protected PolicyBuilder(PolicyWiring from) {
        this.name = from.name();
        this.ticker = from.configuredTicker();
        this.scheduler = from.configuredScheduler();
        this.metrics = from.configuredMetrics();
    }

    /** The time source; tests pass a {@link dev.nines.ManualTicker}. Default {@link Ticker#system()}. */
    public B ticker(Ticker ticker) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        return self();
    }

    /**
     * Where outcomes, transitions and gauges go. Default {@link Metrics#getDefault()},
     * which forwards to the current default.
     */
    public B metrics(MetricsSink metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        return self();
    }

    /** Stores the scheduler; a builder whose policy schedules work exposes it publicly. */
    protected B scheduler(Scheduler scheduler) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        return self();
    }

    /** The policy's name as given. */
    protected final String name() {
        return name;
    }

    /** The scheduler that was set, or {@code null}. */
    protected final Scheduler configuredScheduler() {
        return scheduler;
    }

    /** A validation that has checked the name already; {@code build()} adds its own checks. */
    protected final Validation validation() {
        return new Validation().name(name);
    }

    /** The shared settings, the defaults resolved now: call it from {@code build()}, after validating. */
    protected final PolicyWiring wiring() {
        return new PolicyWiring(name, ticker, scheduler, metrics, Metrics.resolve(metrics));
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }
}
