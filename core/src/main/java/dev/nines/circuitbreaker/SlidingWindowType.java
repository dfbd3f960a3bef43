package dev.nines.circuitbreaker;

/** How a {@link CircuitBreaker}'s window decides which calls count. */
public enum SlidingWindowType {
    /** The last N calls. */
    COUNT,
    /** The calls of the last N seconds (about one-second buckets). */
    TIME
}
