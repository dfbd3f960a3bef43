package dev.nines.bulkhead;

import dev.nines.internal.PolicyBuilder;
import java.time.Duration;
import java.util.Objects;

/**
 * Configures a {@link SemaphoreBulkhead}: made by {@link SemaphoreBulkhead#builder(String)} or
 * {@link SemaphoreBulkhead#toBuilder()}. Setters only store, rejecting {@code null} at once;
 * {@link #build()} checks every setting and names each bad field with its value. What was never
 * set stays unset and takes its default at {@code build()} (see {@link SemaphoreBulkheadConfig}).
 * Not thread-safe.

 */
@SuppressWarnings("exports") // the base is internal on purpose: users see its public setters, not the type
public final class SemaphoreBulkheadBuilder extends PolicyBuilder<SemaphoreBulkheadBuilder> {

    private int maxConcurrent = SemaphoreBulkheadConfig.DEFAULT_MAX_CONCURRENT;
    private Duration maxWait = Duration.ZERO;

    SemaphoreBulkheadBuilder(String name) {
        super(name);
    }

    /** A builder with the settings of {@code from}, unset staying unset. */
    SemaphoreBulkheadBuilder(SemaphoreBulkheadConfig from) {
        super(from.wiring);
        this.maxConcurrent = from.maxConcurrent;
        this.maxWait = from.maxWait;
    }

    /** The most calls that run at once; at least 1. Default 25. */
    public SemaphoreBulkheadBuilder maxConcurrent(int maxConcurrent) {
        this.maxConcurrent = maxConcurrent;
        return this;
    }

    /** How long a synchronous call waits for a permit; zero (the default) rejects at once. */
    public SemaphoreBulkheadBuilder maxWait(Duration maxWait) {
        this.maxWait = Objects.requireNonNull(maxWait, "maxWait");
        return this;
    }

    /**
     * Builds the bulkhead and registers its gauges.
     *
     * @throws IllegalArgumentException naming every invalid setting and its value
     */
    public SemaphoreBulkhead build() {
        validation()
                .atLeast("maxConcurrent", maxConcurrent, 1)
                .nonNegative("maxWait", maxWait)
                .throwIfInvalid();
        return new SemaphoreBulkhead(new SemaphoreBulkheadConfig(wiring(), maxConcurrent, maxWait)).registerGauges();
    }
}
