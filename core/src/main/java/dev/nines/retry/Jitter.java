package dev.nines.retry;

/**
 * How a {@link Backoff} spreads delays at random, so that clients failing together do not retry
 * together. With {@code d} the un-jittered delay and {@code r} uniform in [0, 1):
 * <ul>
 *   <li>{@link #NONE}: {@code d};</li>
 *   <li>{@link #FULL}: {@code r × d};</li>
 *   <li>{@link #EQUAL}: {@code d/2 + r × d/2};</li>
 *   <li>{@link #DECORRELATED}: {@code min(max, initial + r × (max(previous, initial) × multiplier − initial))},
 *       uniform between the initial delay and {@code multiplier} times the previous delay (with
 *       multiplier 3 this is the "decorrelated jitter" of the AWS architecture blog).</li>
 * </ul>
 * Immutable and thread-safe, like every enum.
 */
public enum Jitter {
    /** No randomness. */
    NONE,
    /** Uniform between zero and the delay. */
    FULL,
    /** Half the delay plus a uniform share of the other half. */
    EQUAL,
    /** Uniform between the initial delay and a multiple of the previous delay, capped. */
    DECORRELATED
}
