package dev.nines.slo;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The fraction of time (or of requests) a service answers well, and its arithmetic: composition of
 * dependencies in series and in parallel, allowed downtime over a period, and the error budget in
 * requests for a given traffic.
 *
 * <p>Values are exact decimals ({@link BigDecimal}), so {@code 99.9%} is exactly {@code 0.999} and
 * composition laws hold exactly: a chain of dependencies multiplies availabilities, redundant
 * replicas multiply unavailabilities. Doubles are converted through their shortest decimal form
 * ({@link BigDecimal#valueOf(double)}), so {@code of(0.9995)} is exactly {@code 0.9995}.
 *
 * <p>Durations are floored to the nanosecond and budgets to the request: they are what is
 * <em>allowed</em>, never more. A month is 30 days and a year 365 days, the usual SLO conventions.
 *
 * <p>Immutable and thread-safe; {@link #equals} ignores trailing zeros ({@code 0.9990} equals
 * {@code 0.999}).
 */
public final class Availability implements Comparable<Availability> {

    /** Always available: the identity of {@link #inSeriesWith series} composition. */
    public static final Availability PERFECT = new Availability(BigDecimal.ONE);

    /** Never available: the identity of {@link #inParallelWith parallel} composition. */
    public static final Availability NONE = new Availability(BigDecimal.ZERO);

    /** The largest number of nines {@link #ofNines} accepts. */
    public static final int MAX_NINES = 30;

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final Duration DAY = Duration.ofDays(1);
    private static final Duration MONTH = Duration.ofDays(30);
    private static final Duration YEAR = Duration.ofDays(365);

    private final BigDecimal fraction;

    private Availability(BigDecimal fraction) {
        this.fraction = fraction;
    }

    /**
     * Returns the availability {@code fraction}, in {@code [0, 1]} ({@code 0.999} for 99.9%).
     *
     * @throws IllegalArgumentException if {@code fraction} is NaN, infinite or outside {@code [0, 1]}
     */
    public static Availability of(double fraction) {
        if (!Double.isFinite(fraction)) {
            throw new IllegalArgumentException("availability must be within [0, 1] but was " + fraction);
        }
        return of(BigDecimal.valueOf(fraction));
    }

    /**
     * Returns the availability {@code fraction}, in {@code [0, 1]}, exactly as given.
     *
     * @throws IllegalArgumentException if {@code fraction} is outside {@code [0, 1]}
     */
    public static Availability of(BigDecimal fraction) {
        Objects.requireNonNull(fraction, "fraction");
        if (fraction.signum() < 0 || fraction.compareTo(BigDecimal.ONE) > 0) {
            throw new IllegalArgumentException("availability must be within [0, 1] but was " + fraction.toPlainString());
        }
        return new Availability(fraction);
    }

    /**
     * Parses a fraction ({@code "0.9995"}) or a percentage ({@code "99.95%"}), the forms configuration
     * uses.
     *
     * @throws IllegalArgumentException if {@code text} is not a decimal number, or is outside
     *     {@code [0, 1]} ({@code [0%, 100%]})
     */
    public static Availability parse(String text) {
        Objects.requireNonNull(text, "text");
        String trimmed = text.strip();
        boolean percent = trimmed.endsWith("%");
        String number = percent ? trimmed.substring(0, trimmed.length() - 1).strip() : trimmed;
        BigDecimal value;
        try {
            value = new BigDecimal(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("availability must be a fraction such as 0.999 or a percentage such as 99.9% but was '"
                    + text + "'", e);
        }
        if (percent) {
            if (value.signum() < 0 || value.compareTo(HUNDRED) > 0) {
                throw new IllegalArgumentException("availability must be within [0%, 100%] but was '" + text + "'");
            }
            return new Availability(value.movePointLeft(2));
        }
        return of(value);
    }

    /**
     * Returns the availability of {@code nines} nines: {@code 1 - 10^-nines} (3 nines is 99.9%).
     *
     * @throws IllegalArgumentException if {@code nines} is outside {@code [0, }{@value #MAX_NINES}{@code ]}
     */
    public static Availability ofNines(int nines) {
        if (nines < 0 || nines > MAX_NINES) {
            throw new IllegalArgumentException("nines must be within [0, " + MAX_NINES + "] but was " + nines);
        }
        return new Availability(BigDecimal.ONE.subtract(BigDecimal.ONE.movePointLeft(nines)));
    }

    /** Returns the availability of a chain where every one of {@code parts} must answer. */
    public static Availability series(Collection<Availability> parts) {
        Availability result = PERFECT;
        for (Availability part : List.copyOf(parts)) {
            result = result.inSeriesWith(part);
        }
        return result;
    }

    /** Returns the availability of redundant {@code replicas} where any one answering is enough. */
    public static Availability parallel(Collection<Availability> replicas) {
        Availability result = NONE;
        for (Availability replica : List.copyOf(replicas)) {
            result = result.inParallelWith(replica);
        }
        return result;
    }

    /** Returns the exact fraction, in {@code [0, 1]}. */
    public BigDecimal fraction() {
        return fraction;
    }

    /** Returns the fraction as a double (rounded to the nearest double). */
    public double doubleValue() {
        return fraction.doubleValue();
    }

    /** Returns the exact unavailability, {@code 1 - fraction}: the error budget as a fraction. */
    public BigDecimal unavailability() {
        return BigDecimal.ONE.subtract(fraction);
    }

    /**
     * Returns the number of nines, {@code -log10(1 - fraction)}: 3.0 for 99.9%, about 3.3 for 99.95%,
     * positive infinity for {@link #PERFECT}.
     */
    public double nines() {
        BigDecimal unavailability = unavailability();
        if (unavailability.signum() == 0) {
            return Double.POSITIVE_INFINITY;
        }
        // exact for powers of ten whatever their size (unscaledValue 1 and a scale); approximate otherwise
        BigDecimal stripped = unavailability.stripTrailingZeros();
        if (stripped.unscaledValue().equals(BigInteger.ONE)) {
            return stripped.scale();
        }
        return stripped.scale() - Math.log10(stripped.unscaledValue().doubleValue());
    }

    /** Returns the availability when both this and {@code other} must answer: the product. */
    public Availability inSeriesWith(Availability other) {
        Objects.requireNonNull(other, "other");
        return new Availability(fraction.multiply(other.fraction));
    }

    /**
     * Returns the availability when either this or {@code other} answering is enough (independent
     * failures, instant failover): one minus the product of the unavailabilities.
     */
    public Availability inParallelWith(Availability other) {
        Objects.requireNonNull(other, "other");
        return new Availability(BigDecimal.ONE.subtract(unavailability().multiply(other.unavailability())));
    }

    /**
     * Returns the downtime allowed over {@code period}: {@code (1 - fraction) × period}, floored to the
     * nanosecond.
     *
     * @throws IllegalArgumentException if {@code period} is negative
     */
    public Duration downtimePer(Duration period) {
        Objects.requireNonNull(period, "period");
        if (period.isNegative()) {
            throw new IllegalArgumentException("period must be >= 0 but was " + period);
        }
        BigDecimal nanos = new BigDecimal(BigInteger.valueOf(period.getSeconds()).multiply(BigInteger.valueOf(1_000_000_000L))
                .add(BigInteger.valueOf(period.getNano())));
        BigInteger allowed = unavailability().multiply(nanos).setScale(0, RoundingMode.FLOOR).toBigIntegerExact();
        BigInteger[] secondsAndNanos = allowed.divideAndRemainder(BigInteger.valueOf(1_000_000_000L));
        return Duration.ofSeconds(secondsAndNanos[0].longValueExact(), secondsAndNanos[1].longValueExact());
    }

    /** Returns the downtime allowed per day (24 hours). */
    public Duration downtimePerDay() {
        return downtimePer(DAY);
    }

    /** Returns the downtime allowed per 30-day month. */
    public Duration downtimePerMonth() {
        return downtimePer(MONTH);
    }

    /** Returns the downtime allowed per 365-day year. */
    public Duration downtimePerYear() {
        return downtimePer(YEAR);
    }

    /**
     * Returns how many of {@code requests} may fail: {@code (1 - fraction) × requests}, floored (99.9%
     * of 10,000,000 requests allows 10,000 failures).
     *
     * @throws IllegalArgumentException if {@code requests} is negative
     */
    public long errorBudget(long requests) {
        if (requests < 0) {
            throw new IllegalArgumentException("requests must be >= 0 but was " + requests);
        }
        return unavailability().multiply(BigDecimal.valueOf(requests)).setScale(0, RoundingMode.FLOOR).longValueExact();
    }

    @Override
    public int compareTo(Availability other) {
        return fraction.compareTo(other.fraction);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Availability other && fraction.compareTo(other.fraction) == 0;
    }

    @Override
    public int hashCode() {
        return fraction.signum() == 0 ? 0 : fraction.stripTrailingZeros().hashCode();
    }

    /** Returns the percentage without trailing zeros, such as {@code "99.95%"} or {@code "100%"}. */
    @Override
    public String toString() {
        BigDecimal percent = fraction.movePointRight(2);
        return (percent.signum() == 0 ? "0" : percent.stripTrailingZeros().toPlainString()) + "%";
    }
}
