package dev.nines.circuitbreaker.internal;

/**
 * Three counters (calls, failures, slow calls) packed into one {@code long} so that a window's
 * aggregate is read and updated with a single atomic operation.
 *
 * <p>Each counter is a signed 21-bit field, so a packed value is just
 * {@code calls + failures * 2^21 + slow * 2^42} as an ordinary integer: adding two packed values
 * adds field by field, and a delta such as {@code newSlot - oldSlot} can be applied with one
 * {@code getAndAdd}. Because fields are signed, a transiently negative field (a subtraction that
 * overtook the matching addition between two racing threads) decodes correctly instead of
 * corrupting its neighbour; readers clamp at zero. Fields hold values in
 * {@code [-2^20, 2^20)}, hence {@link #MAX}.
 *
 * <p>Stateless; thread-safe.
 */
public final class WindowCounts {

    /** The largest count a field holds: 1,048,575. */
    public static final int MAX = (1 << 20) - 1;

    private static final int BITS = 21;
    private static final int SHIFT_BACK = 64 - BITS;

    /** One call, neither failed nor slow. */
    public static final long CALL = 1L;
    /** One failed call. */
    public static final long FAILURE = 1L << BITS;
    /** One slow call. */
    public static final long SLOW = 1L << (2 * BITS);

    private WindowCounts() {
    }

    /** The packed delta of one recorded call. */
    public static long of(boolean failed, boolean slow) {
        return CALL + (failed ? FAILURE : 0) + (slow ? SLOW : 0);
    }

    /** Packs three counts, each in {@code [-2^20, 2^20)}. */
    public static long pack(long calls, long failures, long slow) {
        return calls + failures * FAILURE + slow * SLOW;
    }

    /** The number of calls in {@code packed}. */
    public static long calls(long packed) {
        return low(packed);
    }

    /** The number of failed calls in {@code packed}. */
    public static long failures(long packed) {
        return low((packed - low(packed)) >> BITS);
    }

    /** The number of slow calls in {@code packed}. */
    public static long slow(long packed) {
        long rest = (packed - low(packed)) >> BITS;
        return low((rest - low(rest)) >> BITS);
    }

    /** Each field halved (rounding down): the same rates from half the calls. */
    public static long halve(long packed) {
        return pack(calls(packed) / 2, failures(packed) / 2, slow(packed) / 2);
    }

    /** The three counts of {@code packed}, for messages: {@code calls=3, failures=1, slow=0}. */
    public static String describe(long packed) {
        return "calls=" + calls(packed) + ", failures=" + failures(packed) + ", slow=" + slow(packed);
    }

    /** Sign-extends the low 21 bits. */
    private static long low(long v) {
        return (v << SHIFT_BACK) >> SHIFT_BACK;
    }
}
