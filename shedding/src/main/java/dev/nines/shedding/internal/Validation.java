package dev.nines.shedding.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects every invalid field of a configuration so that {@code build()} reports them all in one
 * {@link IllegalArgumentException}, each as {@code field must be <range> but was <value>}.
 * Not thread-safe; used by one builder call.
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

    /** Checks that {@code value} is a positive duration. */
    public Validation positive(String field, Duration value) {
        return check(!value.isZero() && !value.isNegative(), field, "> 0", value);
    }

    /** Throws one exception listing every recorded problem, separated by {@code "; "}. */
    public void throwIfInvalid() {
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
    }

    /** A duration in nanoseconds, saturated at {@link Long#MAX_VALUE}. */
    public static long nanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }
}
