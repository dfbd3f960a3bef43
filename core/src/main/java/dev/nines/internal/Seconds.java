package dev.nines.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Durations as people read them in messages: {@code 30 s}, {@code 0.5 s}, {@code 0.154 s}, rather
 * than {@code Duration}'s {@code PT0.153100555S}. These messages reach logs and the {@code detail}
 * of HTTP problem responses. Not part of the public API; stateless and thread-safe.
 */
public final class Seconds {

    private Seconds() {
    }

    /**
     * {@code nanos} in seconds, rounded up to the millisecond (so a wait is never understated),
     * without trailing zeros, followed by {@code " s"}; {@code 0 s} for zero or less.
     */
    public static String text(long nanos) {
        if (nanos <= 0) {
            return "0 s";
        }
        return BigDecimal.valueOf(nanos, 9).setScale(3, RoundingMode.CEILING).stripTrailingZeros().toPlainString() + " s";
    }
}
