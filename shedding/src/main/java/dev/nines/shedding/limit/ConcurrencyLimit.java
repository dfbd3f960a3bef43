package dev.nines.shedding.limit;

/**
 * A concurrency-limit algorithm: decides <em>what</em> the limit is, from samples of completed
 * calls. Enforcing it is the {@link dev.nines.shedding.LoadShedder}'s job, so any algorithm can be
 * plugged into the same admission mechanism.
 *
 * <p>Implementations must be thread-safe: {@link #onSample} is called concurrently by the threads
 * that complete calls, and {@link #currentLimit()} on every admission, so it should be a plain
 * volatile read. An implementation never reads a clock: the time comes with each sample.
 *
 * <p>The shedder reports a systematic sample of latencies, not all of them: one admitted call in
 * {@link dev.nines.shedding.LoadShedderConfig#sampleEvery() sampleEvery} is timed. Every dropped
 * call is reported, timed or not. An algorithm that needs a number of samples per window should
 * document that its windows need {@code sampleEvery} times as many calls.
 */
public interface ConcurrencyLimit {

    /** The current limit on concurrent calls; always at least 1. */
    int currentLimit();

    /**
     * Learns from one completed call.
     *
     * @param nowNanos  the time the call completed, as a reading of the shedder's ticker
     * @param rttNanos  how long the call took (0 for an untimed dropped call)
     * @param inFlight  calls in flight when it completed, itself included
     * @param dropped   whether the call was dropped or timed out, or another overload signal (such
     *                  as high CPU) is on; a dropped call's {@code rttNanos} is not a latency sample
     */
    void onSample(long nowNanos, long rttNanos, int inFlight, boolean dropped);

    /**
     * Whether this algorithm uses samples at all. A shedder whose limit does not (a fixed limit) and
     * whose metrics sink is the no-op one never reads its clock on the success path.
     */
    default boolean usesSamples() {
        return true;
    }

    /**
     * A limit with this one's configuration and nothing learned, for another shedder: a limit that
     * learns belongs to one shedder, since two shedders feeding one limit would train it with each
     * other's calls. A {@link dev.nines.shedding.LoadShedderBuilder} given a limit instance
     * asks for a fresh one when it builds a second shedder (a second {@code build()}, or a builder
     * from {@code toBuilder()}).
     *
     * <p>The default returns this limit itself, right only for a limit that learns nothing
     * ({@link #usesSamples()} false); for one that learns, the builder then refuses the second
     * build, so such an implementation should override this or be given to the builder as a
     * factory ({@code limit(() -> new MyLimit())}).
     */
    default ConcurrencyLimit fresh() {
        return this;
    }

    /** A limit that never changes. */
    static ConcurrencyLimit fixed(int limit) {
        return FixedLimit.of(limit);
    }

    /** Starts configuring the adaptive, latency-driven {@link GradientLimit}. */
    static GradientLimit.Builder gradient() {
        return GradientLimit.builder();
    }
}
