package dev.nines.shedding.throttle;

import dev.nines.AsyncCall;
import dev.nines.CallContext;
import dev.nines.Next;
import dev.nines.Policy;
import dev.nines.RejectedCallException;
import dev.nines.Ticker;
import dev.nines.internal.Validation;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.Outcome;
import dev.nines.metrics.PolicyKinds;
import dev.nines.shedding.internal.SlidingCounts;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Predicate;

/**
 * Client-side adaptive throttling for outbound calls: once a backend rejects much of what it is
 * sent, the client rejects locally with probability
 * <pre>max(0, (requests - K * accepts) / (requests + 1))</pre>
 * over a sliding window, so it stops hammering a backend that is already shedding. {@code requests}
 * counts every attempt, locally rejected ones included; {@code accepts} counts calls the backend
 * accepted. With K = 2 (the default) the client sends about twice what the backend accepts.
 *
 * <p><b>Recovery after an outage.</b> Because locally rejected attempts count as requests, the
 * formula lets traffic back slowly once a backend that rejected everything recovers: each window
 * the client sends about K times what was accepted in the window before, so the sent share grows
 * from almost nothing by a factor of roughly e<sup>K</sup> per window. With K = 2 and steady load,
 * the reject probability is back under 5% about 2.7 windows after the backend recovers at 100
 * calls per window, about 4.5 windows at 1,000 (some 40 s with a 10 s window at 100 calls/s) and
 * about 6 at 10,000 or more (some 13 minutes with the default two-minute window at 100 calls/s);
 * the first accepts are a matter of chance, so single runs vary by a window or more. To recover
 * faster: a shorter {@link Builder#window window} (recovery scales with it), or
 * {@link Builder#maxRejectProbability(double)}, which keeps a share of calls going to the backend
 * even during an outage so that accepts resume at once: at most 90% rejected brings traffic back
 * in about 1.8 windows, 80% in about 1.4, 50% in about 0.8, whatever the load.
 *
 * <p>Use as a {@link Policy} (a call that throws an exception matching {@code backendRejection}
 * is not an accept; by default only overload signals match: {@link RejectedCallException} and its
 * family, such as a shed request, an open breaker, a full bulkhead or a timeout, while any other
 * failure means the backend took the request and answered), or on its own with {@link #tryAcquire()},
 * {@link #onAccepted()} and {@link #onRejected()}. The random source is injectable for tests.
 * Thread-safe and lock-free; deciding allocates nothing.
 */
public final class AdaptiveThrottle implements Policy {

    private static final String KIND = PolicyKinds.THROTTLE;

    private final String name;
    private final double k;
    private final double maxReject;
    private final Ticker ticker;
    private final DoubleSupplier random;
    private final MetricsSink metrics;
    private final Predicate<Throwable> backendRejection;
    private final SlidingCounts counts;
    private final Builder config;

    private AdaptiveThrottle(Builder b) {
        this.config = b.copy();
        this.name = b.name;
        this.k = b.k;
        this.maxReject = b.maxRejectProbability;
        this.ticker = b.ticker;
        this.random = b.random;
        this.metrics = Metrics.resolve(b.metrics);
        this.backendRejection = b.backendRejection;
        long windowNanos = Validation.nanos(b.window);
        this.counts = new SlidingCounts(b.buckets, Math.max(1, windowNanos / b.buckets), ticker.read());
    }

    /** Starts configuring a throttle named {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder holding this throttle's configuration. */
    public Builder toBuilder() {
        return config.copy();
    }

    /** The formula, exposed for tests and dashboards: {@code max(0, (requests - k * accepts) / (requests + 1))}. */
    public static double rejectProbability(long requests, long accepts, double k) {
        return Math.max(0.0, (requests - k * accepts) / (requests + 1.0));
    }

    /** The current local rejection probability: the formula's, at most {@code maxRejectProbability}. */
    public double rejectProbability() {
        long sum = counts.sum(ticker.read());
        return Math.min(maxReject, rejectProbability(sum >>> 32, sum & 0xFFFF_FFFFL, k));
    }

    /**
     * Counts a request and decides whether to send it: {@code false} means reject it locally. After
     * {@code true}, report the backend's answer with {@link #onAccepted()} or {@link #onRejected()}.
     */
    public boolean tryAcquire() {
        long now = ticker.read();
        long sum = counts.sum(now);
        double p = Math.min(maxReject, rejectProbability(sum >>> 32, sum & 0xFFFF_FFFFL, k));
        counts.request(now);
        if (p > 0 && random.getAsDouble() < p) {
            metrics.onOutcome(name, KIND, Outcome.REJECTED, 0L);
            return false;
        }
        return true;
    }

    /** The backend accepted a request sent after {@link #tryAcquire()}. */
    public void onAccepted() {
        counts.accept(ticker.read());
    }

    /** The backend rejected a request; nothing to count beyond the request itself. */
    public void onRejected() {
        // requests were counted by tryAcquire; a rejection is the absence of an accept
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public <T> T execute(CallContext context, Callable<T> call, Next next) throws Exception {
        if (!tryAcquire()) {
            throw new ThrottledException(name, rejectProbability());
        }
        T result;
        try {
            result = next.call(context, call);
        } catch (Throwable t) {
            record(t);
            throw t;
        }
        onAccepted();
        return result;
    }

    @Override
    public <T> CompletionStage<T> executeAsync(CallContext context, AsyncCall<T> call, Next next) {
        if (!tryAcquire()) {
            return CompletableFuture.failedFuture(new ThrottledException(name, rejectProbability()));
        }
        return next.callAsync(context, call).whenComplete((r, e) -> {
            if (e == null) {
                onAccepted();
            } else {
                record(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
            }
        });
    }

    private void record(Throwable t) {
        if (!backendRejection.test(t)) {
            onAccepted(); // the backend took the request; it failed for another reason
        }
    }

    @Override
    public String toString() {
        return "AdaptiveThrottle[" + name + ", k=" + k + "]";
    }

    /**
     * Configures an {@link AdaptiveThrottle}. Defaults: K 2, window 2 minutes in 20 buckets, no cap
     * on the reject probability (1.0), the system ticker, {@link ThreadLocalRandom}, and only
     * {@link RejectedCallException}s (of any kind) counted as backend rejections.
     * Not thread-safe.
     */
    public static final class Builder {
        private final String name;
        private double k = 2.0;
        private double maxRejectProbability = 1.0;
        private Duration window = Duration.ofMinutes(2);
        private int buckets = 20;
        private Ticker ticker = Ticker.system();
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
        private MetricsSink metrics;
        private Predicate<Throwable> backendRejection = RejectedCallException.class::isInstance;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** The multiplier K: larger is more lenient. At least 1. */
        public Builder k(double k) {
            this.k = k;
            return this;
        }

        /**
         * The highest local reject probability, in (0, 1]; default 1 (the formula alone). Below 1,
         * a share {@code 1 - p} of calls always reaches the backend, even one that rejects
         * everything: the price of learning at once that it has recovered. See the class javadoc
         * for the recovery times this buys.
         */
        public Builder maxRejectProbability(double p) {
            this.maxRejectProbability = p;
            return this;
        }

        /** The sliding window and how many buckets it is kept in. Recovery after an outage scales with it. */
        public Builder window(Duration window, int buckets) {
            this.window = Objects.requireNonNull(window, "window");
            this.buckets = buckets;
            return this;
        }

        /** The time source. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** The random source, uniform in [0, 1). */
        public Builder random(DoubleSupplier random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** The metrics sink; guarded. */
        public Builder metrics(MetricsSink metrics) {
            this.metrics = Metrics.guard(Objects.requireNonNull(metrics, "metrics"));
            return this;
        }

        /**
         * Which failures mean the backend rejected the request (not an accept). Default: a
         * {@link RejectedCallException}; set this when the client maps a backend's 429 or 503 to
         * its own exception type.
         */
        public Builder backendRejection(Predicate<Throwable> backendRejection) {
            this.backendRejection = Objects.requireNonNull(backendRejection, "backendRejection");
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException listing every invalid field with its allowed range
         */
        public AdaptiveThrottle build() {
            new Validation().name(name)
                    .check(k >= 1 && !Double.isInfinite(k), "k", ">= 1 and finite", k)
                    .check(maxRejectProbability > 0 && maxRejectProbability <= 1, "maxRejectProbability",
                            "in (0, 1]", maxRejectProbability)
                    .positive("window", window)
                    .check(buckets >= 1 && buckets <= 1000, "buckets", "in [1, 1000]", buckets)
                    .throwIfInvalid();
            return new AdaptiveThrottle(this);
        }

        private Builder copy() {
            Builder b = new Builder(name);
            b.k = k;
            b.maxRejectProbability = maxRejectProbability;
            b.window = window;
            b.buckets = buckets;
            b.ticker = ticker;
            b.random = random;
            b.metrics = metrics;
            b.backendRejection = backendRejection;
            return b;
        }
    }
}
