package dev.nines.retry.internal;

import dev.nines.internal.Validation;
import dev.nines.retry.Backoff;
import dev.nines.retry.Jitter;
import java.time.Duration;
import java.util.Objects;

/**
 * The built-in backoff schedules: fixed is exponential with multiplier 1. Formulas are in
 * {@link Jitter}. Immutable and thread-safe. Not part of the public API; use the factories on
 * {@link Backoff}.
 */
public final class ExponentialBackoff implements Backoff {

    /** Retries at once. */
    public static final ExponentialBackoff NONE = new ExponentialBackoff(Duration.ZERO, 1.0, Duration.ZERO, Jitter.NONE);

    private final Duration initial;
    private final Duration max;
    private final long initialNanos;
    private final double multiplier;
    private final long maxNanos;
    private final Jitter jitter;

    private ExponentialBackoff(Duration initial, double multiplier, Duration max, Jitter jitter) {
        this.initial = initial;
        this.max = max;
        this.initialNanos = Validation.nanos(initial);
        this.multiplier = multiplier;
        this.maxNanos = Validation.nanos(max);
        this.jitter = jitter;
    }

    /** Validates and builds; see {@link Backoff#exponential(Duration, double, Duration, Jitter)}. */
    public static ExponentialBackoff of(Duration initial, double multiplier, Duration max, Jitter jitter) {
        Objects.requireNonNull(initial, "initialDelay");
        Objects.requireNonNull(max, "maxDelay");
        Objects.requireNonNull(jitter, "jitter");
        new Validation().nonNegative("initialDelay", initial)
                .check(multiplier >= 1.0 && !Double.isInfinite(multiplier), "multiplier", ">= 1.0 and finite", multiplier)
                .check(max.compareTo(initial) >= 0, "maxDelay", ">= initialDelay (" + initial + ")", max)
                .throwIfInvalid();
        return new ExponentialBackoff(initial, multiplier, max, jitter);
    }

    @Override
    public long delayNanos(int retry, long previousNanos, double random) {
        switch (jitter) {
            case FULL:
                return (long) (random * base(retry));
            case EQUAL:
                long half = base(retry) / 2;
                return half + (long) (random * (base(retry) - half));
            case DECORRELATED:
                double upper = Math.max(previousNanos, initialNanos) * multiplier;
                double next = initialNanos + random * (upper - initialNanos);
                return next >= maxNanos ? maxNanos : (long) next;
            default:
                return base(retry);
        }
    }

    /** {@code min(max, initial × multiplier^(retry−1))}, without overflow. */
    private long base(int retry) {
        double d = initialNanos * Math.pow(multiplier, Math.max(0, retry - 1));
        return d >= maxNanos ? maxNanos : (long) d;
    }

    @Override
    public String toString() {
        if (multiplier == 1.0) {
            return "Backoff.fixed(" + initial + ", " + jitter + ")";
        }
        return "Backoff.exponential(" + initial + ", x" + multiplier + ", max " + max + ", " + jitter + ")";
    }
}
