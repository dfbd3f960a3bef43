package dev.nines.circuitbreaker.internal;

/**
 * The sliding window of a closed circuit breaker: records call outcomes and reads their packed
 * {@link WindowCounts} aggregate, both in constant time and without locks.
 *
 * <p>Implementations are thread-safe. The aggregate always equals the sum of what the window
 * holds once concurrent records have finished; while they are in flight a reader may see a record
 * counted or not, never half of one.
 */
public interface Window {

    /**
     * Whether {@link #record} and {@link #aggregate} need a clock reading. When not, they ignore
     * the reading they are given, so a caller without one passes any value (every {@code long} is
     * a valid reading: none stands for "no reading").
     */
    boolean needsTime();

    /**
     * Records one call.
     *
     * @param delta   the call's packed counts, from {@link WindowCounts#of}
     * @param nowNanos a ticker reading if {@link #needsTime()}, else ignored
     */
    void record(long delta, long nowNanos);

    /**
     * The packed counts of the calls currently in the window.
     *
     * @param nowNanos a ticker reading if {@link #needsTime()}, else ignored
     */
    long aggregate(long nowNanos);
}
