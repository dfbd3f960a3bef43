package dev.nines.timeout;

import dev.nines.Scheduler;
import dev.nines.Ticker;
import dev.nines.internal.PolicyWiring;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.MetricsSink;
import dev.nines.timeout.internal.SharedExecutor;
import java.time.Duration;
import java.util.concurrent.ExecutorService;

/**
 * The validated, immutable settings of one {@link Timeout}, made by {@link TimeoutBuilder#build()}:
 * read them back here, derive changed settings with {@link Timeout#toBuilder()}. Every default is
 * resolved, so what is read here is what the timeout uses. Thread-safe.
 */
public final class TimeoutConfig {

    /** The default of {@link #timeout()}: one second. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

    final PolicyWiring wiring;
    final Duration timeout;
    /** The executor the builder was given, {@code null} for the default: what toBuilder() carries on. */
    final ExecutorService configuredExecutor;
    final boolean virtualThreads;
    private final Scheduler scheduler;
    private final ExecutorService executor;

    TimeoutConfig(PolicyWiring wiring, Duration timeout, ExecutorService configuredExecutor, boolean virtualThreads) {
        this.wiring = wiring;
        this.timeout = timeout;
        this.configuredExecutor = configuredExecutor;
        this.virtualThreads = virtualThreads;
        this.scheduler = wiring.scheduler(Scheduler.system());
        this.executor = configuredExecutor != null ? configuredExecutor
                : virtualThreads ? SharedExecutor.virtual() : SharedExecutor.get();
    }

    /** The timeout's name, used by metrics, the registry and its exceptions. */
    public String name() {
        return wiring.name();
    }

    /** The time limit, &gt; 0. Default {@link #DEFAULT_TIMEOUT} (1 second). */
    public Duration timeout() {
        return timeout;
    }

    /** Reads the start time and sets the deadline. Default {@link Ticker#system()}. */
    public Ticker ticker() {
        return wiring.ticker();
    }

    /** Fires the timeouts. Default {@link Scheduler#system()}. */
    public Scheduler scheduler() {
        return scheduler;
    }

    /**
     * Runs synchronous work while the caller waits. Default: a shared, unbounded pool of daemon
     * threads named {@code nines-timeout-<n>}; with {@link #virtualThreads()}, a shared executor
     * starting one virtual thread per call, named {@code nines-timeout-virtual-<n>}.
     */
    public ExecutorService executor() {
        return executor;
    }

    /** Whether synchronous work runs on virtual threads (Java 21+). Default {@code false}. */
    public boolean virtualThreads() {
        return virtualThreads;
    }

    /**
     * The sink the timeout reports to, guarded: the one set on the builder, or
     * {@link Metrics#getDefault()}, which forwards to the current default.
     */
    public MetricsSink metrics() {
        return wiring.metrics();
    }

    @Override
    public String toString() {
        return "TimeoutConfig[name=" + name() + ", timeout=" + timeout + ", virtualThreads=" + virtualThreads + "]";
    }
}
