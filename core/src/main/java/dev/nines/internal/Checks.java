package dev.nines.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * Builder validation worded the same everywhere: {@code field must be > 0 but was PT0S}.
 * Not part of the public API.
 */
public final class Checks {

    private Checks() {
    }

    /** {@code value} must be at least {@code min}. */
    public static int atLeast(String field, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(field + " must be >= " + min + " but was " + value);
        }
        return value;
    }

    /** {@code value} must be strictly positive and not null. */
    public static Duration positive(String field, Duration value) {
        Objects.requireNonNull(value, field);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(field + " must be > 0 but was " + value);
        }
        return value;
    }

    /** {@code value} must be zero or positive and not null. */
    public static Duration nonNegative(String field, Duration value) {
        Objects.requireNonNull(value, field);
        if (value.isNegative()) {
            throw new IllegalArgumentException(field + " must be >= 0 but was " + value);
        }
        return value;
    }

    /** A policy name: not null, not blank. */
    public static String name(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank but was '" + name + "'");
        }
        return name;
    }

    /** The duration in nanoseconds, saturated at {@link Long#MAX_VALUE}. */
    public static long nanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException overflow) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}
