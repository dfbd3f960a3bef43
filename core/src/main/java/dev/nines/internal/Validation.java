package dev.nines.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects every invalid setting of a configuration so that {@code build()} reports them all in one
 * {@link IllegalArgumentException}, each worded the same way everywhere:
 * {@code field must be <requirement> but was <value>}, separated by {@code "; "}.
 *
 * <p>Every builder in nines checks here, at {@code build()}, and nowhere else: setters only store
 * (rejecting {@code null} at once), so settings may come in any order and checks that compare two
 * fields see both. Not part of the public API; not thread-safe (one per {@code build()} call).
 */
public final class Validation {

    private final List<String> errors = new ArrayList<>();

    /** Starts with no problems recorded. */
    public Validation() {
    }

    /** Records {@code field must be <requirement> but was <value>} unless {@code ok}. */
    public Validation check(boolean ok, String field, String requirement, Object value) {
        if (!ok) {
            errors.add(field + " must be " + requirement + " but was " + value);
        }
        return this;
    }

    /** Checks that {@code value}, if set, is not blank: {@code field must not be blank but was ' '}. */
    public Validation notBlank(String field, String value) {
        if (value != null && value.isBlank()) {
            errors.add(field + " must not be blank but was '" + value + "'");
        }
        return this;
    }

    /** Checks that a policy's name is not blank. */
    public Validation name(String name) {
        return notBlank("name", name);
    }

    /** Checks {@code min <= value}. */
    public Validation atLeast(String field, long value, long min) {
        return check(value >= min, field, ">= " + min, value);
    }

    /** Checks {@code min <= value <= max}. */
    public Validation between(String field, long value, long min, long max) {
        return check(value >= min && value <= max, field, "in [" + min + ", " + max + "]", value);
    }

    /**
     * Checks that {@code value} is a fraction in (0, 1], the one unit of every rate, share and
     * threshold in nines: {@code failureRateThreshold must be a fraction in (0, 1] but was 50.0
     * (50% is 0.5)}. A value in (1, 100] was most likely meant as a percent, so the message says
     * which fraction that percent is.
     */
    public Validation fraction(String field, double value) {
        if (!(value > 0 && value <= 1)) {
            String hint = value > 1 && value <= 100
                    ? " (" + plain(value) + "% is " + plain(value / 100) + ")" : "";
            errors.add(field + " must be a fraction in (0, 1] but was " + value + hint);
        }
        return this;
    }

    private static String plain(double d) {
        return new java.math.BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
    }

    /** Checks that {@code value} is a positive duration. */
    public Validation positive(String field, Duration value) {
        return check(!value.isZero() && !value.isNegative(), field, "> 0", value);
    }

    /** Checks that {@code value} is zero or a positive duration. */
    public Validation nonNegative(String field, Duration value) {
        return check(!value.isNegative(), field, ">= 0", value);
    }

    /** Throws one exception listing every recorded problem; returns quietly if there is none. */
    public void throwIfInvalid() {
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
    }

    /** A duration in nanoseconds, saturated at {@link Long#MIN_VALUE} and {@link Long#MAX_VALUE}. */
    public static long nanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException overflow) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}
