package dev.nines.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Objects;

/**
 * Configures a {@link MicrometerSink}: whether its timers publish histogram buckets and the range
 * of latencies those buckets cover. Not thread-safe; the sink it builds is.
 */
public final class MicrometerSinkBuilder {

    private final MeterRegistry registry;
    private boolean percentileHistogram = true;
    private Duration minimumExpectedValue;
    private Duration maximumExpectedValue;

    MicrometerSinkBuilder(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * Whether the timers publish histogram buckets ({@code _bucket} series in Prometheus), which
     * can be summed across instances before a quantile is taken. On by default; turn it off only
     * where the backend computes its own distributions and the bucket series cost too much.
     */
    public MicrometerSinkBuilder percentileHistogram(boolean enabled) {
        this.percentileHistogram = enabled;
        return this;
    }

    /**
     * The smallest latency the histogram buckets resolve; Micrometer's default (1 ms) when not set.
     *
     * @throws IllegalArgumentException if {@code value} is not positive
     */
    public MicrometerSinkBuilder minimumExpectedValue(Duration value) {
        this.minimumExpectedValue = positive("minimumExpectedValue", value);
        return this;
    }

    /**
     * The largest latency the histogram buckets resolve; Micrometer's default (30 s) when not set.
     *
     * @throws IllegalArgumentException if {@code value} is not positive
     */
    public MicrometerSinkBuilder maximumExpectedValue(Duration value) {
        this.maximumExpectedValue = positive("maximumExpectedValue", value);
        return this;
    }

    /**
     * Builds the sink.
     *
     * @throws IllegalArgumentException if the minimum expected value exceeds the maximum
     */
    public MicrometerSink build() {
        if (minimumExpectedValue != null && maximumExpectedValue != null
                && minimumExpectedValue.compareTo(maximumExpectedValue) > 0) {
            throw new IllegalArgumentException("minimumExpectedValue must not exceed maximumExpectedValue but was "
                    + minimumExpectedValue + " > " + maximumExpectedValue);
        }
        return new MicrometerSink(registry, percentileHistogram, minimumExpectedValue, maximumExpectedValue);
    }

    private static Duration positive(String field, Duration value) {
        Objects.requireNonNull(value, field);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + " must be positive but was " + value);
        }
        return value;
    }
}
