package dev.nines.ratelimit.internal;

import dev.nines.AsyncCall;
import dev.nines.CallContext;
import dev.nines.Next;
import dev.nines.Ticker;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.Outcome;
import dev.nines.metrics.PolicyKinds;
import dev.nines.ratelimit.RateLimitedException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * How every nines rate limiter runs a call as a {@link dev.nines.Policy}, given its decision: 0 to
 * admit, otherwise the nanoseconds until a permit. A rejection is reported as
 * {@link Outcome#REJECTED}; an admitted call's outcome and duration are reported only when a real
 * sink is configured, so the no-op default costs no extra clock reads. Stateless and
 * thread-safe.
 */
public final class LimiterPolicy {

    private LimiterPolicy() {
    }

    /** Runs {@code call} if {@code waitNanos == 0}, else throws {@link RateLimitedException}. */
    public static <T> T execute(String name, MetricsSink metrics, Ticker ticker, long waitNanos,
            CallContext context, Callable<T> call, Next next) throws Exception {
        if (waitNanos != 0) {
            metrics.onOutcome(name, PolicyKinds.RATE_LIMITER, Outcome.REJECTED, 0);
            throw new RateLimitedException(name, waitNanos);
        }
        if (metrics == MetricsSink.noop()) {
            return next.call(context, call);
        }
        long start = ticker.read();
        T result;
        try {
            result = next.call(context, call);
        } catch (Throwable t) {
            metrics.onOutcome(name, PolicyKinds.RATE_LIMITER, Outcome.FAILURE, ticker.read() - start);
            throw t;
        }
        metrics.onOutcome(name, PolicyKinds.RATE_LIMITER, Outcome.SUCCESS, ticker.read() - start);
        return result;
    }

    /** The asynchronous form of {@link #execute}: never throws, a rejection fails the stage. */
    public static <T> CompletionStage<T> executeAsync(String name, MetricsSink metrics, Ticker ticker,
            long waitNanos, CallContext context, AsyncCall<T> call, Next next) {
        if (waitNanos != 0) {
            metrics.onOutcome(name, PolicyKinds.RATE_LIMITER, Outcome.REJECTED, 0);
            return CompletableFuture.failedFuture(new RateLimitedException(name, waitNanos));
        }
        if (metrics == MetricsSink.noop()) {
            return next.callAsync(context, call);
        }
        long start = ticker.read();
        return next.callAsync(context, call).whenComplete((r, t) -> metrics.onOutcome(name,
                PolicyKinds.RATE_LIMITER, t == null ? Outcome.SUCCESS : Outcome.FAILURE, ticker.read() - start));
    }
}
