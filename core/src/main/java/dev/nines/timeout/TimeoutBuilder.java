package dev.nines.timeout;

import dev.nines.Scheduler;
import dev.nines.internal.PolicyBuilder;
import dev.nines.internal.VirtualThreads;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;

/**
 * Configures a {@link Timeout}: made by {@link Timeout#builder(String)} or
 * {@link Timeout#toBuilder()}. Setters only store, rejecting {@code null} at once; {@link #build()}
 * checks every setting and names each bad field with its value. What was never set stays unset and
 * takes its default at {@code build()} (see {@link TimeoutConfig}). Not thread-safe.

 */
@SuppressWarnings("exports") // the base is internal on purpose: users see its public setters, not the type
public final class TimeoutBuilder extends PolicyBuilder<TimeoutBuilder> {

    private Duration timeout = TimeoutConfig.DEFAULT_TIMEOUT;
    /** {@code null} until set: the shared executor. */
    private ExecutorService executor;
    private boolean virtualThreads;

    TimeoutBuilder(String name) {
        super(name);
    }

    /** A builder with the settings of {@code from}, unset staying unset. */
    TimeoutBuilder(TimeoutConfig from) {
        super(from.wiring);
        this.timeout = from.timeout;
        this.executor = from.configuredExecutor;
        this.virtualThreads = from.virtualThreads;
    }

    /** The time limit; must be &gt; 0. Default 1 second. */
    public TimeoutBuilder timeout(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        return this;
    }

    /** Fires the timeouts. Default {@link Scheduler#system()}. */
    @Override
    public TimeoutBuilder scheduler(Scheduler scheduler) {
        return super.scheduler(scheduler);
    }

    /**
     * Runs synchronous work while the caller waits. Default: a shared, unbounded pool of daemon
     * threads (work that ignores interruption keeps its thread after a timeout). The caller owns
     * the lifecycle of an executor given here.
     */
    public TimeoutBuilder executor(ExecutorService executor) {
        this.executor = Objects.requireNonNull(executor, "executor");
        return this;
    }

    /**
     * Runs synchronous work on a new virtual thread per call (a shared executor) instead of the
     * pool of platform threads; needs Java 21 or later ({@link #build()} refuses it on Java 17).
     * Not with {@link #executor(ExecutorService)}. Default {@code false}.
     */
    public TimeoutBuilder virtualThreads(boolean virtualThreads) {
        this.virtualThreads = virtualThreads;
        return this;
    }

    /**
     * Builds the timeout.
     *
     * @throws IllegalArgumentException naming every invalid setting and its value
     */
    public Timeout build() {
        validation().positive("timeout", timeout)
                .check(!virtualThreads || VirtualThreads.available(), "virtualThreads",
                        VirtualThreads.unavailableRequirement(), true)
                .check(!virtualThreads || executor == null, "virtualThreads",
                        "false when an executor is set (" + executor + ")", true)
                .throwIfInvalid();
        return new Timeout(new TimeoutConfig(wiring(), timeout, executor, virtualThreads));
    }
}
