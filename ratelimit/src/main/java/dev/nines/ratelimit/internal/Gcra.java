package dev.nines.ratelimit.internal;

import java.math.BigInteger;

/**
 * The arithmetic of the generic cell rate algorithm (GCRA, "virtual scheduling") that every nines
 * bucket uses, in one place.
 *
 * <p><b>State.</b> A bucket is one {@code long}: the instant at which it was (or will be) empty,
 * {@code emptyAt}. Tokens are not stored but derived: at time {@code now} the bucket holds
 * {@code min(capacity, (now - emptyAt) / cost)}. Taking {@code n} tokens moves {@code emptyAt}
 * forward by {@code n × cost}; refill is just time passing, so a bucket idle for days holds exactly
 * its capacity, nothing is counted and nothing can overflow. The only inexactness is the rounding
 * of {@code cost}, below.
 *
 * <p><b>Units and the one rounding.</b> Time is fixed-point: one unit is 1/16 ns ({@link #SCALE_BITS}
 * = 4 fraction bits). The cost of one token, {@code c = period × 16 / permits} units, is rounded
 * <em>up</em> to {@code ceil(c)}, so a bucket never grants more than its configured rate. Its
 * long-run rate is {@code permits × c / ceil(c)} per period ({@link dev.nines.ratelimit.Rate#effectivePermits()}):
 * exact whenever {@code permits} divides {@code period × 16} (for example {@code N per second} for
 * every N dividing 16·10⁹, and every rate of one permit per whole number of nanoseconds), and
 * otherwise low by {@code 1 - c / ceil(c)}, less than {@code 1 / (16 × ns per permit)}: under 0.01%
 * from 625 ns per permit (1.6 million per second) up, 1.2% at 600 million per second, and at worst
 * just under 1/17 (5.9%) for rates just below one permit per nanosecond ({@code 999,999,999} per
 * second grants about 941 million). Faster rates are rejected by {@code Rate}.
 *
 * <p><b>Why not more fraction bits.</b> The state must stay readable after any idle time, so its
 * 64 bits must span decades: a unit of 2^-k ns spans {@code 2^(64-k)} ns, about 36 years at k = 4.
 * An error under 0.01% at one nanosecond per permit needs k ≥ 14, which spans only 13 days, after
 * which an idle bucket could read as empty. Keeping the cost exact in any other unit (tokens
 * instead of time) needs a 128-bit multiply per decision to convert the ticker reading; the hot
 * path keeps its one shift instead, and the shortfall above is the documented price.
 *
 * <p><b>Wrap-around.</b> Readings are converted with a wrapping shift and only differences are
 * used, like {@link System#nanoTime()}. Legitimate states lie at most {@link #MAX_SPAN} units in the
 * future of now (reservations) and any distance in the past (idle); a difference below
 * {@code -2^62} can only come from an idle bucket whose distance wrapped, and reads as full. A
 * bucket is therefore read correctly for idle periods up to {@code (2^64 - 2^62)/16} ns, about 27
 * years.
 *
 * <p>Stateless and thread-safe.
 */
public final class Gcra {

    /** Fraction bits of the fixed-point time unit: one unit is 1/16 ns. */
    public static final int SCALE_BITS = 4;

    /** The largest capacity span and the longest reservation, in units (2^61, so sums never overflow). */
    public static final long MAX_SPAN = 1L << 61;

    /** {@link #MAX_SPAN} in nanoseconds: about 4.5 years. */
    public static final long MAX_SPAN_NANOS = MAX_SPAN >>> SCALE_BITS;

    /** A state no bucket ever holds: marks a cell replaced by a reconfiguration. */
    public static final long SEALED = Long.MIN_VALUE;

    private static final long WRAP_GUARD = -(1L << 62);

    private Gcra() {
    }

    /** A ticker reading in units (wrapping, as only differences are used). */
    public static long units(long nanos) {
        return nanos << SCALE_BITS;
    }

    /** A non-negative number of units as nanoseconds, rounded up. */
    public static long nanosCeil(long units) {
        return (units + (1L << SCALE_BITS) - 1) >>> SCALE_BITS;
    }

    /** The cost of one token in units, {@code ceil(periodNanos × 16 / permits)}, exactly. */
    public static BigInteger costUnits(long periodNanos, long permits) {
        BigInteger[] qr = BigInteger.valueOf(periodNanos).shiftLeft(SCALE_BITS).divideAndRemainder(BigInteger.valueOf(permits));
        return qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
    }

    /**
     * The effective {@code emptyAt} at {@code nowU}: the state itself, or {@code nowU - capSpan}
     * when the bucket has refilled completely (the capacity caps the tokens).
     */
    public static long base(long emptyAt, long nowU, long capSpan) {
        long d = nowU - emptyAt;
        return d >= capSpan || d < WRAP_GUARD ? nowU - capSpan : emptyAt;
    }

    /**
     * {@code state}, nudged by 1/16 ns towards "fewer tokens" if it collides with {@link #SEALED}:
     * a bucket never holds more than it should, at the price of 1/16 ns for one of 2^64 states.
     */
    public static long avoidSealed(long state) {
        return state == SEALED ? state + 1 : state;
    }

    /**
     * The state of a bucket full at {@code nowU}: {@code nowU - capSpan}, or 1/16 ns earlier where
     * that collides with {@link #SEALED}. Earlier is exact, not a rounding: a full bucket's state may
     * lie any distance in the past, the capacity caps it, so even at that one reading a new bucket
     * holds its whole capacity.
     */
    public static long fullState(long nowU, long capSpan) {
        long state = nowU - capSpan;
        return state == SEALED ? state - 1 : state;
    }

    /**
     * Converts the tokens a bucket holds (or owes, when negative) from one token cost to another,
     * so a reconfigured bucket keeps its state: {@code availableUnits × newCost / oldCost}, rounded
     * towards fewer tokens and clamped to {@code [-MAX_SPAN, newCapSpan]}.
     */
    public static long convertAvailable(long availableUnits, long oldCost, long newCost, long newCapSpan) {
        return new Conversion(oldCost, newCost, newCapSpan).apply(availableUnits);
    }

    /**
     * {@link #convertAvailable} with its constants bound once, so a reconfiguration retrying its
     * CAS against busy takers redoes only a multiply and a divide (exact 128-bit arithmetic only
     * when the product overflows a {@code long}, which slow rates' huge spans can). All values in
     * 1/16 ns units. Immutable and thread-safe.
     */
    public static final class Conversion {
        private final long oldCost;
        private final long newCost;
        private final long newCapSpan;

        /** Converts from {@code oldCost} to {@code newCost} units per token, capped at {@code newCapSpan}. */
        public Conversion(long oldCost, long newCost, long newCapSpan) {
            this.oldCost = oldCost;
            this.newCost = newCost;
            this.newCapSpan = newCapSpan;
        }

        /** {@code availableUnits × newCost / oldCost}, floored, clamped to {@code [-MAX_SPAN, newCapSpan]}. */
        public long apply(long availableUnits) {
            long lo = availableUnits * newCost;
            long scaled;
            if (Math.multiplyHigh(availableUnits, newCost) == (lo >> 63)) { // the product fits in a long
                scaled = Math.floorDiv(lo, oldCost);
            } else {
                BigInteger exact = BigInteger.valueOf(availableUnits).multiply(BigInteger.valueOf(newCost));
                BigInteger[] qr = exact.divideAndRemainder(BigInteger.valueOf(oldCost));
                BigInteger q = qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0]; // floor
                if (q.compareTo(BigInteger.valueOf(newCapSpan)) > 0) {
                    return newCapSpan;
                }
                if (q.compareTo(BigInteger.valueOf(-MAX_SPAN)) < 0) {
                    return -MAX_SPAN;
                }
                scaled = q.longValueExact();
            }
            return Math.max(-MAX_SPAN, Math.min(newCapSpan, scaled));
        }
    }
}
