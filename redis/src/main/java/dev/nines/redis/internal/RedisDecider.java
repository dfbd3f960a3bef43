package dev.nines.redis.internal;

import dev.nines.Ticker;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.ratelimit.Rate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks Redis for one decision, guarded: through the circuit breaker (an open breaker answers
 * {@code null} at once, without touching the connection), bounded by the timeout (a reply later than
 * that is abandoned and counted as a failure), every failure told to the breaker. {@code null} means
 * "Redis did not decide": the caller applies its down mode. Thread-safe.
 */
public final class RedisDecider {

    /** The most nanoseconds a bucket's span plus a reservation may cover: exact in the script's doubles. */
    public static final long MAX_SPAN_NANOS = 1L << 52;

    /** What Redis decided. {@code taken} may exceed the permits asked for when leasing. */
    public record Decision(boolean granted, long taken, long remaining, long waitNanos, int binding) {
    }

    private final GcraScript script;
    private final CircuitBreaker breaker;
    private final Ticker ticker;
    private final long timeoutNanos;
    private volatile String[] limitArgs; // cost and cap of each limit, as the script reads them

    public RedisDecider(GcraScript script, CircuitBreaker breaker, Ticker ticker, long timeoutNanos, List<Rate> limits) {
        this.script = script;
        this.breaker = breaker;
        this.ticker = ticker;
        this.timeoutNanos = timeoutNanos;
        setLimits(limits);
    }

    /** Sends {@code limits} with every later decision. */
    public void setLimits(List<Rate> limits) {
        String[] args = new String[2 * limits.size()];
        for (int i = 0; i < limits.size(); i++) {
            long cost = costNanos(limits.get(i));
            args[2 * i] = Long.toString(cost);
            args[2 * i + 1] = Long.toString(cost * limits.get(i).burst());
        }
        this.limitArgs = args;
    }

    /** The nanoseconds of one permit, rounded up so Redis never grants more than the rate. */
    public static long costNanos(Rate rate) {
        long period = rate.period().toNanos();
        return period / rate.permits() + (period % rate.permits() == 0 ? 0 : 1);
    }

    /** {@code null} if {@code rate}'s full bucket spans at most {@link #MAX_SPAN_NANOS}, else why not. */
    public static String spanProblem(Rate rate) {
        long cost = costNanos(rate);
        if (cost > MAX_SPAN_NANOS / rate.burst()) {
            return rate + " refills its burst in more than 2^52 ns (about 52 days), the longest span the Redis script"
                    + " computes exactly";
        }
        return null;
    }

    /** The breaker guarding Redis. */
    public CircuitBreaker breaker() {
        return breaker;
    }

    /**
     * Takes between {@code minPermits} and {@code maxPermits} (as many as every limit allows within
     * {@code maxWaitNanos}), or nothing; {@code null} if Redis did not answer in time or the breaker is open.
     */
    public Decision decide(String[] keys, long minPermits, long maxPermits, long maxWaitNanos) {
        if (!breaker.tryAcquirePermission()) {
            return null;
        }
        String[] limits = limitArgs;
        String[] args = new String[3 + limits.length];
        args[0] = Long.toString(minPermits);
        args[1] = Long.toString(maxPermits);
        args[2] = Long.toString(Math.min(maxWaitNanos, MAX_SPAN_NANOS / 2));
        System.arraycopy(limits, 0, args, 3, limits.length);
        long start = ticker.read();
        CompletableFuture<List<Object>> reply = null;
        try {
            reply = script.run(keys, args);
            List<Object> r = reply.get(timeoutNanos, TimeUnit.NANOSECONDS);
            Decision d = new Decision(((Long) r.get(0)) == 1, (Long) r.get(1), (Long) r.get(2), (Long) r.get(3),
                    ((Long) r.get(4)).intValue());
            breaker.onSuccess(ticker.read() - start);
            return d;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            breaker.releasePermission(); // not Redis's fault
            return null;
        } catch (ExecutionException e) {
            breaker.onError(ticker.read() - start, e.getCause() == null ? e : e.getCause());
            return null;
        } catch (TimeoutException | RuntimeException e) {
            if (reply != null) {
                reply.cancel(false);
            }
            breaker.onError(ticker.read() - start, e);
            return null;
        }
    }
}
