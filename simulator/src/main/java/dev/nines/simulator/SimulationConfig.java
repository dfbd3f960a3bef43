package dev.nines.simulator;

import dev.nines.ManualTicker;
import dev.nines.Priority;
import dev.nines.internal.Validation;
import dev.nines.metrics.MetricsSink;
import dev.nines.shedding.limit.GradientLimit;
import java.time.Duration;
import java.util.Objects;

/**
 * The simulated service and its traffic. Immutable and thread-safe; made by {@link #builder()}.
 *
 * <p>The service has {@code workers} workers, each serving one request at a time for
 * {@code serviceTime} (uniformly jittered by ±{@code serviceJitter}), and a FIFO queue in front
 * of them: its capacity is {@code workers / serviceTime} requests per second. Requests arrive as a
 * Poisson process, each with priority drawn from {@code mix} and a deadline {@code deadline} after
 * arrival; a request still queued at the service past its deadline is dropped before it runs.
 *
 * <p>Defaults: 200 workers, 20 ms service time, ±10% jitter, 100 ms deadline, seed 42, mix P0 10%,
 * P1 20%, P2 30%, P3 40%, timeline sampled every 100 ms, fixed limit = workers, and the adaptive
 * limit {@link #defaultAdaptiveLimit(int)}.
 */
public final class SimulationConfig {

    private final int workers;
    private final Duration serviceTime;
    private final double serviceJitter;
    private final Duration deadline;
    private final long seed;
    private final double[] mix;
    private final Duration sampleInterval;
    private final int fixedLimit;
    private final GradientLimit adaptiveLimit;
    private final double[] shares;
    /** What the user set ({@code 0} / {@code null} if nothing), kept for {@link #toBuilder()}. */
    private final int fixedLimitSet;
    private final GradientLimit adaptiveLimitSet;

    private SimulationConfig(Builder b) {
        this.workers = b.workers;
        this.serviceTime = b.serviceTime;
        this.serviceJitter = b.serviceJitter;
        this.deadline = b.deadline;
        this.seed = b.seed;
        this.mix = b.mix.clone();
        this.sampleInterval = b.sampleInterval;
        this.fixedLimit = b.fixedLimit > 0 ? b.fixedLimit : b.workers;
        this.adaptiveLimit = b.adaptiveLimit != null ? b.adaptiveLimit : defaultAdaptiveLimit(b.workers);
        this.shares = b.shares.clone();
        this.fixedLimitSet = b.fixedLimit;
        this.adaptiveLimitSet = b.adaptiveLimit;
    }

    /** Starts from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The adaptive limit the simulation uses unless told otherwise: {@link GradientLimit} with its
     * defaults except an initial limit of {@code workers} (an operator's first guess, the pool
     * size), a maximum of 10 × workers, tolerance 1.3, smoothing 0.2 and 100 ms windows.
     */
    public static GradientLimit defaultAdaptiveLimit(int workers) {
        return GradientLimit.builder().initialLimit(workers).minLimit(1).maxLimit(10 * workers)
                .tolerance(1.3).smoothing(0.2).window(Duration.ofMillis(100)).build();
    }

    /** How many requests the service serves at once; its capacity is workers / serviceTime. */
    public int workers() {
        return workers;
    }

    /** How long one request occupies a worker, before jitter. */
    public Duration serviceTime() {
        return serviceTime;
    }

    /** The uniform jitter of the service time, as a fraction in [0, 1) either way. */
    public double serviceJitter() {
        return serviceJitter;
    }

    /** How long after arrival a request is still useful; later completions are not goodput. */
    public Duration deadline() {
        return deadline;
    }

    /** The random seed: the same seed and configuration give the same run. */
    public long seed() {
        return seed;
    }

    /** The share of arrivals with {@code priority}. */
    public double mix(Priority priority) {
        return mix[priority.ordinal()];
    }

    /** How often the timeline takes a {@link SimulationResult.Sample}, in simulated time. */
    public Duration sampleInterval() {
        return sampleInterval;
    }

    /** The shedder's limit in {@link Mode#FIXED}; the number of workers unless set. */
    public int fixedLimit() {
        return fixedLimit;
    }

    /** The share of the shedder's limit {@code priority} may use (the shedder's thresholds). */
    public double share(Priority priority) {
        return shares[priority.ordinal()];
    }

    /** A fresh adaptive limit with the configured settings (limits are stateful). */
    public GradientLimit newAdaptiveLimit() {
        return adaptiveLimit.toBuilder().build();
    }

    /** Requests per second the service completes at full utilisation. */
    public double capacityPerSec() {
        return workers * 1e9 / serviceTime.toNanos();
    }

    /**
     * A builder holding this configuration. Limits the user never set stay unset, so they follow
     * the workers of the derived configuration.
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.workers = workers;
        b.serviceTime = serviceTime;
        b.serviceJitter = serviceJitter;
        b.deadline = deadline;
        b.seed = seed;
        b.mix = mix.clone();
        b.sampleInterval = sampleInterval;
        b.fixedLimit = fixedLimitSet;
        b.adaptiveLimit = adaptiveLimitSet;
        b.shares = shares.clone();
        return b;
    }

    /** A shedder builder with the given shares; the simulation adds its limit and ticker. */
    static dev.nines.shedding.LoadShedderBuilder shedderBuilder(double[] shares) {
        dev.nines.shedding.LoadShedderBuilder b = dev.nines.shedding.LoadShedder.builder("simulated");
        for (Priority p : Priority.values()) {
            b.share(p, shares[p.ordinal()]);
        }
        return b;
    }

    /** A shedder builder with this configuration's shares. */
    dev.nines.shedding.LoadShedderBuilder shedderBuilder() {
        return shedderBuilder(shares);
    }

    /** Builds a {@link SimulationConfig}. Not thread-safe. */
    public static final class Builder {
        private int workers = 200;
        private Duration serviceTime = Duration.ofMillis(20);
        private double serviceJitter = 0.1;
        private Duration deadline = Duration.ofMillis(100);
        private long seed = 42;
        private double[] mix = {0.1, 0.2, 0.3, 0.4};
        private Duration sampleInterval = Duration.ofMillis(100);
        private int fixedLimit;
        private GradientLimit adaptiveLimit;
        private double[] shares = {1.0, 0.9, 0.7, 0.5};

        private Builder() {
        }

        /** How many requests the service serves at once; at least 1. Default 200. */
        public Builder workers(int workers) {
            this.workers = workers;
            return this;
        }

        /** How long one request occupies a worker, before jitter; positive. Default 20 ms. */
        public Builder serviceTime(Duration serviceTime) {
            this.serviceTime = Objects.requireNonNull(serviceTime, "serviceTime");
            return this;
        }

        /** Uniform jitter of the service time, as a fraction in [0, 1). Default 0.1. */
        public Builder serviceJitter(double serviceJitter) {
            this.serviceJitter = serviceJitter;
            return this;
        }

        /** How long after arrival a request is still useful; positive. Default 100 ms. */
        public Builder deadline(Duration deadline) {
            this.deadline = Objects.requireNonNull(deadline, "deadline");
            return this;
        }

        /** The random seed, so that a run can be repeated exactly. Default 42. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The share of arrivals of each priority; the four must sum to 1. */
        public Builder mix(double p0, double p1, double p2, double p3) {
            this.mix = new double[] {p0, p1, p2, p3};
            return this;
        }

        /** How often the timeline is sampled, in simulated time; positive. Default 100 ms. */
        public Builder sampleInterval(Duration sampleInterval) {
            this.sampleInterval = Objects.requireNonNull(sampleInterval, "sampleInterval");
            return this;
        }

        /** The limit of {@link Mode#FIXED}; defaults to the number of workers. */
        public Builder fixedLimit(int fixedLimit) {
            this.fixedLimit = fixedLimit;
            return this;
        }

        /** A prototype of the limit of {@link Mode#ADAPTIVE}; each run gets a fresh copy. */
        public Builder adaptiveLimit(GradientLimit prototype) {
            this.adaptiveLimit = Objects.requireNonNull(prototype, "prototype");
            return this;
        }

        /**
         * The shedder's priority thresholds: the share of the limit P1, P2 and P3 may use (P0 may
         * use all of it). Defaults to the shedder's own: 0.9, 0.7, 0.5.
         */
        public Builder shares(double p1, double p2, double p3) {
            this.shares = new double[] {1.0, p1, p2, p3};
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException listing every invalid field
         */
        public SimulationConfig build() {
            double sum = 0;
            boolean nonNegative = true;
            for (double m : mix) {
                sum += m;
                nonNegative &= m >= 0;
            }
            new Validation().check(workers >= 1, "workers", ">= 1", workers)
                    .positive("serviceTime", serviceTime)
                    .check(serviceJitter >= 0 && serviceJitter < 1, "serviceJitter", "in [0, 1)", serviceJitter)
                    .positive("deadline", deadline)
                    .check(nonNegative && Math.abs(sum - 1) < 1e-9, "mix", "non-negative shares summing to 1",
                            java.util.Arrays.toString(mix))
                    .positive("sampleInterval", sampleInterval)
                    .check(fixedLimit >= 0, "fixedLimit", ">= 1 (or 0 for the number of workers)", fixedLimit)
                    .throwIfInvalid();
            // the shedder validates the shares, with its own messages; a manual clock and no sink: nothing runs
            shedderBuilder(shares).ticker(new ManualTicker()).metrics(MetricsSink.noop()).build();
            return new SimulationConfig(this);
        }
    }
}
