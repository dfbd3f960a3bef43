package dev.nines.circuitbreaker.internal;

import java.util.function.Consumer;

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
     * Records one call and returns the window's counts as this record left them, so the breaker can
     * judge its thresholds without another read: the aggregate that this record's own atomic update
     * produced. When the record changed nothing (a count window's slot already held the same
     * outcome, or a time window dropped a record older than the window) it returns {@code 0}, the
     * counts of an empty window, which no threshold judges; an unchanged window needs no new verdict.
     *
     * @param delta    the call's packed counts, from {@link WindowCounts#of}
     * @param nowNanos a ticker reading if {@link #needsTime()}, else ignored
     * @return the packed counts right after this record, or {@code 0} if it changed nothing
     */
    long record(long delta, long nowNanos);

    /**
     * The packed counts of the calls currently in the window.
     *
     * @param nowNanos a ticker reading if {@link #needsTime()}, else ignored
     */
    long aggregate(long nowNanos);

    /**
     * Reports where the aggregate disagrees with what the window holds, for a window no call is
     * recording into: it must equal the sum of the slots or buckets, and no count may be negative
     * or exceed the calls. Reads only; the clock is not read and no bucket expires.
     */
    void checkConsistent(Consumer<String> violations);

    /** Checks the packed aggregate {@code total} against the sum of the parts, {@code sum}. */
    static void checkCounts(String window, long total, long sum, Consumer<String> violations) {
        if (total != sum) {
            violations.accept(window + " aggregate must equal the sum of its parts at rest but was "
                    + WindowCounts.describe(total) + " against " + WindowCounts.describe(sum));
            return;
        }
        long calls = WindowCounts.calls(total);
        long failures = WindowCounts.failures(total);
        long slow = WindowCounts.slow(total);
        if (calls < 0 || failures < 0 || slow < 0 || failures > calls || slow > calls) {
            violations.accept(window + " counts must satisfy 0 <= failures, slow <= calls but were "
                    + WindowCounts.describe(total));
        }
    }
}
