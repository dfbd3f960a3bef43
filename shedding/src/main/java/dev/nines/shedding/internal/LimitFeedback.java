package dev.nines.shedding.internal;

import dev.nines.Ticker;
import dev.nines.metrics.Outcome;
import dev.nines.shedding.limit.ConcurrencyLimit;

/**
 * The shedder's limit feedback: which admissions are timed (encoded in the token an admission
 * returns), what a release's outcome tells the {@link ConcurrencyLimit}, and feeding it (with the
 * CPU signal as an extra overload signal).
 *
 * <p><b>Tokens.</b> An admitted token is the call's start reading with {@link #SAMPLED} set if the
 * call is timed for the limit (the start loses its lowest bit, 1 ns); the start with the bit clear
 * if only metrics want the call's duration; else {@link #UNTIMED}, and the clock is not read. No
 * admitted token equals {@link #REJECTED}.
 *
 * <p>Only every n-th admission is timed for the limit (n a power of two, the admission's sequence
 * number from {@link InFlightCounter} decides), unless the limit takes no samples at all. Every
 * dropped or timed-out call is reported whether timed or not.
 *
 * <p>Thread-safe: its fields are final, the limit and the CPU signal are thread-safe. Allocates nothing.
 */
public final class LimitFeedback {

    /** The token of a shed request; no admitted token has this value. */
    public static final long REJECTED = Long.MIN_VALUE;
    /** What an outcome tells the limit: nothing (ignored, or the limit takes no samples). */
    public static final int NO_SIGNAL = 0;
    /** What an outcome tells the limit: the call's latency, if it was timed. */
    public static final int LATENCY = 1;
    /** What an outcome tells the limit: the call was dropped, an overload signal. */
    public static final int DROPPED = 2;

    /** An admitted token's lowest bit: set if the call is timed for the limit. */
    private static final long SAMPLED = 1L;
    /** The token of an admitted call whose start time nobody needs. */
    private static final long UNTIMED = 0L;

    private final ConcurrencyLimit limit;
    private final Ticker ticker;
    private final boolean sampling;
    private final int sampleMask;
    private final boolean timeEvery;
    private final CpuSignal cpu;

    /**
     * @param limit       the limit to feed
     * @param ticker      the shedder's ticker, read for start times
     * @param sampleEvery time one admission in this many for the limit; a power of two
     * @param timeEvery   whether every call's duration is wanted (metrics other than the no-op sink)
     * @param cpu         the CPU overload signal, or {@code null} for none
     */
    public LimitFeedback(ConcurrencyLimit limit, Ticker ticker, int sampleEvery, boolean timeEvery, CpuSignal cpu) {
        this.limit = limit;
        this.ticker = ticker;
        this.sampling = limit.usesSamples();
        this.sampleMask = sampleEvery - 1;
        this.timeEvery = timeEvery;
        this.cpu = cpu;
    }

    /**
     * The token of a call just admitted with sequence number {@code admission}: timed for the limit
     * if it is the n-th. If {@code read}, {@code now} is a reading taken for this decision already
     * and is used instead of reading the clock.
     */
    public long startToken(int admission, boolean read, long now) {
        return startToken(sampling && (admission & sampleMask) == 0, read, now);
    }

    /**
     * The token of a waiter just granted a slot: always timed for a limit that takes samples, since a
     * waiter's latency is the overload signal.
     */
    public long startWaiterToken() {
        return startToken(sampling, false, 0L);
    }

    private long startToken(boolean sampled, boolean read, long now) {
        if (sampled) {
            return (read ? now : ticker.read()) | SAMPLED; // never REJECTED, whose lowest bit is clear
        }
        if (!timeEvery) {
            return UNTIMED;
        }
        long start = (read ? now : ticker.read()) & ~SAMPLED;
        return start == REJECTED ? start + 2 : start;
    }

    /** Whether the call of {@code token} was timed for the limit. */
    public static boolean isSampled(long token) {
        return (token & SAMPLED) != 0;
    }

    /**
     * What {@code outcome} tells the limit: {@link #LATENCY} for success and failure,
     * {@link #DROPPED} for timed out, rejected and shed, {@link #NO_SIGNAL} otherwise or when the
     * limit takes no samples.
     */
    public int signalOf(Outcome outcome) {
        if (!sampling) {
            return NO_SIGNAL;
        }
        switch (outcome) {
            case SUCCESS:
            case FAILURE:
                return LATENCY;
            case TIMED_OUT:
            case REJECTED:
            case SHED:
                return DROPPED;
            default:
                return NO_SIGNAL; // ignored: teaches the limit nothing
        }
    }

    /** Whether releasing {@code token} with {@code signal} needs a clock reading. */
    public boolean needsClock(long token, int signal) {
        return isSampled(token) || timeEvery || signal == DROPPED;
    }

    /** The duration in nanoseconds of the call of {@code token} released at {@code now}; 0 if untimed. */
    public long duration(long token, long now) {
        return isSampled(token) || timeEvery ? now - (token & ~SAMPLED) : 0L;
    }

    /**
     * Feeds the limit the release of {@code token} with {@code signal} at {@code now}:
     * a drop always, a latency sample if the call was timed. {@code inFlightBefore} counts the
     * call itself. Returns whether the limit was fed (and so may have changed).
     */
    public boolean feed(int signal, long token, long now, long duration, int inFlightBefore) {
        if (signal == DROPPED) {
            sample(now, 0L, inFlightBefore, true);
            return true;
        }
        if (signal == LATENCY && isSampled(token)) {
            sample(now, duration, inFlightBefore, false);
            return true;
        }
        return false;
    }

    /** Feeds the limit; {@code duration} is meaningful only when not {@code dropped}. */
    private void sample(long now, long duration, int inFlightBefore, boolean dropped) {
        if (cpu != null && cpu.overloaded(now)) {
            dropped = true;
        }
        limit.onSample(now, duration, inFlightBefore, dropped);
    }
}
