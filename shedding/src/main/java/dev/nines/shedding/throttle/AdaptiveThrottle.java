package dev.nines.shedding.throttle;

import dev.nines.AsyncCall;
import dev.nines.CallContext;
import dev.nines.FailureFilter;
import dev.nines.Next;
import dev.nines.Policy;
import dev.nines.Ticker;
import dev.nines.internal.Validation;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.Outcome;
import dev.nines.metrics.PolicyKinds;
import dev.nines.shedding.internal.SlidingCounts;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.DoubleSupplier;

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
 * faster: a shorter {@link AdaptiveThrottleBuilder#window window} (recovery scales with it), or
 * {@link AdaptiveThrottleBuilder#maxRejectProbability(double)}, which keeps a share of calls going to the backend
 * even during an outage so that accepts resume at once: at most 90% rejected brings traffic back
 * in about 1.8 windows, 80% in about 1.4, 50% in about 0.8, whatever the load.
 *
 * <p>Use as a {@link Policy}: an outcome its {@link AdaptiveThrottleConfig#failures() failure filter}
 * judges {@code FAILURE} is the backend's refusal, not an accept; by default only overload signals
 * are: {@link dev.nines.RejectedCallException} and its family, such as a shed request, an open
 * breaker, a full bulkhead or a timeout, while any other failure means the backend took the request
 * and answered. {@code SUCCESS} and {@code IGNORED} verdicts are accepts (the request was counted
 * when it was sent, so only a refusal may raise the probability), and so is a cancelled call. Or
 * use it on its own with {@link #tryAcquire()}, {@link #onAccepted()} and {@link #onRejected()}. The random source is injectable for tests.
 * Thread-safe and lock-free; deciding allocates nothing.
 */
public final class AdaptiveThrottle implements Policy {

    private static final String KIND = PolicyKinds.THROTTLE;

    private final AdaptiveThrottleConfig config;
    private final String name;
    private final double k;
    private final double maxReject;
    private final Ticker ticker;
    private final DoubleSupplier random;
    private final MetricsSink metrics;
    private final FailureFilter failures;
    private final SlidingCounts counts;

    AdaptiveThrottle(AdaptiveThrottleConfig config) {
        this.config = config;
        this.name = config.name();
        this.k = config.k();
        this.maxReject = config.maxRejectProbability();
        this.ticker = config.ticker();
        this.random = config.random();
        this.metrics = config.metrics();
        this.failures = config.failures();
        int buckets = config.buckets();
        long windowNanos = Validation.nanos(config.window());
        this.counts = new SlidingCounts(buckets, Math.max(1, windowNanos / buckets), ticker.read());
    }

    /** Starts configuring a throttle named {@code name}. */
    public static AdaptiveThrottleBuilder builder(String name) {
        return new AdaptiveThrottleBuilder(name);
    }

    /** A builder holding this throttle's settings, what was never set staying unset. */
    public AdaptiveThrottleBuilder toBuilder() {
        return new AdaptiveThrottleBuilder(config);
    }

    /** The settings this throttle was built with. */
    public AdaptiveThrottleConfig config() {
        return config;
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
            record(failures.judge(t));
            throw t;
        }
        record(failures.judgeResult(result));
        return result;
    }

    @Override
    public <T> CompletionStage<T> executeAsync(CallContext context, AsyncCall<T> call, Next next) {
        if (!tryAcquire()) {
            return CompletableFuture.failedFuture(new ThrottledException(name, rejectProbability()));
        }
        return next.callAsync(context, call).whenComplete(
                (r, e) -> record(e == null ? failures.judgeResult(r) : failures.judge(e)));
    }

    /** Counts an accept unless {@code verdict} says the backend refused the request. */
    private void record(FailureFilter.Verdict verdict) {
        if (verdict != FailureFilter.Verdict.FAILURE) {
            onAccepted(); // the backend took the request, or the outcome says nothing about its load
        }
    }

    @Override
    public String toString() {
        return "AdaptiveThrottle[" + name + ", k=" + k + "]";
    }
}
