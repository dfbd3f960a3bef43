package dev.nines.retry;

import dev.nines.retry.internal.ExponentialBackoff;
import java.time.Duration;

/**
 * How long a retry waits before each new attempt. A pure function of its arguments, so every
 * formula is tested with fixed random values; implement it for a custom schedule.
 *
 * <p>The built-in schedules: {@link #none()}, {@link #fixed(Duration)} and
 * {@link #exponential(Duration, double, Duration)} (delay {@code min(max, initial × multiplier^(retry−1))}),
 * each optionally with a {@link Jitter}. Immutable and thread-safe.
 */
@FunctionalInterface
public interface Backoff {

    /**
     * The delay before retry number {@code retry}.
     *
     * @param retry         1 before the second attempt, 2 before the third, and so on
     * @param previousNanos the delay this backoff returned before the previous retry, 0 before the first
     * @param random        uniform in [0, 1), from the retry's random source
     * @return the delay in nanoseconds; negative values count as zero
     */
    long delayNanos(int retry, long previousNanos, double random);

    /** Retries at once. */
    static Backoff none() {
        return ExponentialBackoff.NONE;
    }

    /** The same delay before every retry. */
    static Backoff fixed(Duration delay) {
        return fixed(delay, Jitter.NONE);
    }

    /** The same delay before every retry, jittered. */
    static Backoff fixed(Duration delay, Jitter jitter) {
        return ExponentialBackoff.of(delay, 1.0, delay, jitter);
    }

    /**
     * Delays growing by {@code multiplier} from {@code initial} up to {@code max}.
     *
     * @throws IllegalArgumentException if {@code initial} is negative, {@code multiplier} is below 1
     *     or not finite, or {@code max} is below {@code initial}
     */
    static Backoff exponential(Duration initial, double multiplier, Duration max) {
        return exponential(initial, multiplier, max, Jitter.NONE);
    }

    /** Delays growing by {@code multiplier} from {@code initial} up to {@code max}, jittered. */
    static Backoff exponential(Duration initial, double multiplier, Duration max, Jitter jitter) {
        return ExponentialBackoff.of(initial, multiplier, max, jitter);
    }
}
