package dev.nines.ratelimit;

import dev.nines.internal.Validation;
import dev.nines.ratelimit.internal.Gcra;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Objects;

/**
 * One rate limit: {@code permits} per {@code period}, refilled continuously, with a {@code burst}
 * (the bucket's capacity: how many permits may be taken at once after an idle spell).
 *
 * <p>{@code Rate.of(100, Duration.ofSeconds(1))} refills one permit every 10 ms and holds at most
 * 100; {@code Rate.builder().permits(100).period(Duration.ofSeconds(1)).burst(20).build()} refills
 * at the same rate but allows bursts of only 20. The burst defaults to {@code permits}.
 *
 * <p><b>Range.</b> From one permit per about 4.5 years (2^57 ns) to one permit per nanosecond.
 * The time to refill a whole burst, {@link #refillTime()} ({@code burst × period / permits}), must
 * also be at most about 4.5 years, which bounds the burst at slow rates: at most 1,667 at one per
 * day, 40,031 at one per hour, 2,401,919 at one per minute, 144,115,188 at one per second.
 *
 * <p><b>Precision.</b> Buckets keep the time per permit in 1/16 ns, rounded up, so they never exceed
 * the configured rate; {@link #effectivePermits()} is the rate they actually grant. It equals
 * {@link #permits()} whenever {@code permits} divides {@code period × 16} ns (every
 * {@code N per second} with N dividing 16·10⁹), is under 0.01% low up to 1.6 million per second,
 * and at worst 5.9% low just below one permit per nanosecond ({@code 999,999,999} per second grants
 * about 941 million; 600 million per second about 592.6 million).
 *
 * <p>Immutable and thread-safe; built and validated by {@link Builder}.
 */
public final class Rate {

    static final String MAX_PERIOD_DESCRIPTION = "4.5 years";

    private final long permits;
    private final Duration period;
    private final long burst;
    private final boolean burstSet; // false: the burst is the default, permits, and follows them in toBuilder()

    private Rate(Builder b) {
        this.permits = b.permits;
        this.period = b.period;
        this.burst = b.burst == 0 ? b.permits : b.burst;
        this.burstSet = b.burst != 0;
    }

    /** {@code permits} per {@code period}, with a burst of {@code permits}. */
    public static Rate of(long permits, Duration period) {
        return builder().permits(permits).period(period).build();
    }

    /** {@code permits} per {@code period}, with the given burst. */
    public static Rate of(long permits, Duration period, long burst) {
        return builder().permits(permits).period(period).burst(burst).build();
    }

    /** {@code permits} per second, with a burst of {@code permits}. */
    public static Rate perSecond(long permits) {
        return of(permits, Duration.ofSeconds(1));
    }

    /** {@code permits} per minute, with a burst of {@code permits}. */
    public static Rate perMinute(long permits) {
        return of(permits, Duration.ofMinutes(1));
    }

    /** Starts a limit: set {@code permits}; the period defaults to one second, the burst to {@code permits}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding the values this limit was built with; a burst left to its default stays
     * unset, so {@code Rate.perSecond(10).toBuilder().permits(20).build()} has a burst of 20.
     */
    public Builder toBuilder() {
        return builder().permits(permits).period(period).burst(burstSet ? burst : 0);
    }

    /** The permits added per {@link #period()}. */
    public long permits() {
        return permits;
    }

    /** The period over which {@link #permits()} are added. */
    public Duration period() {
        return period;
    }

    /** The capacity: the most permits held, and so the most one request may take. */
    public long burst() {
        return burst;
    }

    /**
     * The time a bucket takes to refill from empty to {@link #burst()}: {@code burst × period / permits},
     * with the time per permit rounded up to 1/16 ns as buckets keep it, and the total up to a whole
     * nanosecond.
     */
    public Duration refillTime() {
        BigInteger units = Gcra.costUnits(period.toNanos(), permits).multiply(BigInteger.valueOf(burst));
        return Duration.ofNanos(Gcra.nanosCeil(units.longValueExact()));
    }

    /**
     * The permits per {@link #period()} a bucket actually grants in the long run: {@link #permits()}
     * when the time per permit is a whole number of 1/16 ns, otherwise slightly fewer,
     * {@code period × 16 / ceil(period × 16 / permits)} with the period in nanoseconds (see the class
     * notes on precision).
     */
    public double effectivePermits() {
        long periodUnits = Gcra.units(period.toNanos());
        return (double) periodUnits / Gcra.costUnits(period.toNanos(), permits).longValueExact();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rate && ((Rate) o).permits == permits && ((Rate) o).burst == burst
                && ((Rate) o).period.equals(period);
    }

    @Override
    public int hashCode() {
        return Objects.hash(permits, period, burst);
    }

    @Override
    public String toString() {
        return permits + " per " + period + (burst == permits ? "" : " (burst " + burst + ")");
    }

    /** Configures a {@link Rate}; {@link #build()} validates. Not thread-safe. */
    public static final class Builder {
        private long permits;
        private Duration period = Duration.ofSeconds(1);
        private long burst;

        private Builder() {
        }

        /** Permits added per period; required, at least 1. */
        public Builder permits(long permits) {
            this.permits = permits;
            return this;
        }

        /** The period; default one second. */
        public Builder period(Duration period) {
            this.period = Objects.requireNonNull(period, "period");
            return this;
        }

        /** The capacity; default (or 0) means equal to {@code permits}. */
        public Builder burst(long burst) {
            this.burst = burst;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming every invalid field, its value and the allowed
         *     range, in one message
         */
        public Rate build() {
            Duration maxPeriod = Duration.ofNanos(Gcra.MAX_SPAN_NANOS);
            boolean periodOk = !period.isNegative() && !period.isZero() && period.compareTo(maxPeriod) <= 0;
            Validation v = new Validation()
                    .atLeast("permits", permits, 1)
                    .positive("period", period)
                    .check(period.compareTo(maxPeriod) <= 0, "period", "<= " + maxPeriod + " (about "
                            + MAX_PERIOD_DESCRIPTION + ")", period)
                    .check(burst >= 0, "burst", ">= 1 (or 0 for the default, permits)", burst);
            if (permits >= 1 && periodOk) { // the checks below relate fields that are each valid
                long periodNanos = period.toNanos();
                v.check(permits <= periodNanos, "permits", "<= one per nanosecond of period (" + periodNanos
                        + " per " + period + ")", permits);
                long capacity = burst == 0 ? permits : burst;
                if (permits <= periodNanos && burst >= 0) {
                    BigInteger span = Gcra.costUnits(periodNanos, permits).multiply(BigInteger.valueOf(capacity));
                    v.check(span.compareTo(BigInteger.valueOf(Gcra.MAX_SPAN)) <= 0, "burst",
                            "small enough to refill within " + maxPeriod + " (about " + MAX_PERIOD_DESCRIPTION
                                    + ") at " + permits + " per " + period, capacity);
                }
            }
            v.throwIfInvalid();
            return new Rate(this);
        }
    }
}
