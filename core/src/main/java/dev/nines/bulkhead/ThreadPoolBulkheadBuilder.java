package dev.nines.bulkhead;

import dev.nines.internal.PolicyBuilder;
import dev.nines.internal.VirtualThreads;
import java.time.Duration;
import java.util.Objects;

/**
 * Configures a {@link ThreadPoolBulkhead}: made by {@link ThreadPoolBulkhead#builder(String)} or
 * {@link ThreadPoolBulkhead#toBuilder()}. Setters only store, rejecting {@code null} at once;
 * {@link #build()} checks every setting and names each bad field with its value. What was never
 * set stays unset and takes its default at {@code build()} (see {@link ThreadPoolBulkheadConfig}).
 * Not thread-safe.

 */
@SuppressWarnings("exports") // the base is internal on purpose: users see its public setters, not the type
public final class ThreadPoolBulkheadBuilder extends PolicyBuilder<ThreadPoolBulkheadBuilder> {

    /** {@code null} until set: the number of processors at {@link #build()}. */
    private Integer maxThreads;
    private int queueCapacity = ThreadPoolBulkheadConfig.DEFAULT_QUEUE_CAPACITY;
    private Duration keepAlive = ThreadPoolBulkheadConfig.DEFAULT_KEEP_ALIVE;
    private boolean virtualThreads;

    ThreadPoolBulkheadBuilder(String name) {
        super(name);
    }

    /** A builder with the settings of {@code from}, unset staying unset. */
    ThreadPoolBulkheadBuilder(ThreadPoolBulkheadConfig from) {
        super(from.wiring);
        this.maxThreads = from.configuredMaxThreads;
        this.queueCapacity = from.queueCapacity;
        this.keepAlive = from.keepAlive;
        this.virtualThreads = from.virtualThreads;
    }

    /** The most calls running at once; at least 1. Default: the number of processors. */
    public ThreadPoolBulkheadBuilder maxThreads(int maxThreads) {
        this.maxThreads = maxThreads;
        return this;
    }

    /** The most calls waiting for a thread; 0 means none wait. Default 100. */
    public ThreadPoolBulkheadBuilder queueCapacity(int queueCapacity) {
        this.queueCapacity = queueCapacity;
        return this;
    }

    /** How long an idle thread lives. Default 60 seconds. */
    public ThreadPoolBulkheadBuilder keepAlive(Duration keepAlive) {
        this.keepAlive = Objects.requireNonNull(keepAlive, "keepAlive");
        return this;
    }

    /**
     * Runs the calls on virtual threads instead of platform threads, still at most
     * {@code maxThreads} at once; needs Java 21 or later ({@link #build()} refuses it on Java 17).
     * Default {@code false}.
     */
    public ThreadPoolBulkheadBuilder virtualThreads(boolean virtualThreads) {
        this.virtualThreads = virtualThreads;
        return this;
    }

    /**
     * Builds the bulkhead, its pool and registers its gauges.
     *
     * @throws IllegalArgumentException naming every invalid setting and its value
     */
    public ThreadPoolBulkhead build() {
        int threads = maxThreads == null ? Runtime.getRuntime().availableProcessors() : maxThreads;
        validation()
                .atLeast("maxThreads", threads, 1)
                .atLeast("queueCapacity", queueCapacity, 0)
                .positive("keepAlive", keepAlive)
                .check(!virtualThreads || VirtualThreads.available(), "virtualThreads",
                        VirtualThreads.unavailableRequirement(), true)
                .throwIfInvalid();
        return new ThreadPoolBulkhead(new ThreadPoolBulkheadConfig(wiring(), maxThreads, threads, queueCapacity,
                keepAlive, virtualThreads)).registerGauges();
    }
}
