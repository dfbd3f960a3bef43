package dev.nines;

import dev.nines.internal.Names;
import dev.nines.internal.PipelineOrderCheck;
import dev.nines.internal.RequestEvents;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.MetricsSink;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;

/**
 * Policies composed into one. {@code Pipeline.of(a, b, c)} runs a call as
 * {@code a( b( c( call ) ) )}: <b>the first policy is the outermost</b>.
 *
 * <p>Order matters. In {@code Pipeline.of(fallback, retry, breaker)} the retry sees each
 * rejection of the breaker and the fallback sees only the final failure; a timeout placed before
 * a retry bounds the whole call, placed after it bounds each attempt.
 *
 * <p>An order that silently disables a policy is caught here: a {@link dev.nines.fallback.Fallback}
 * inside a {@link dev.nines.circuitbreaker.CircuitBreaker} (it replaces the failures the breaker
 * counts) is refused with an {@link IllegalArgumentException} naming both positions and policies;
 * a fallback inside a {@link dev.nines.retry.Retry} (it replaces the failures the retry would
 * retry, which may be meant) is logged once at WARN. Nested pipelines are checked as flattened.
 *
 * <p>A pipeline is itself a {@link Policy}, immutable and thread-safe; nested pipelines are
 * flattened. The links between policies are built once here, so running a call through the
 * pipeline allocates nothing of its own.
 *
 * <p><b>Requests.</b> A pipeline given a sink with {@link #withMetrics(MetricsSink)} reports one
 * {@link MetricsSink#onRequest} event per call under its name: fresh, degraded (a fallback
 * answered), rejected (by which policy), failed, timed out or cancelled, with its latency and the
 * context's priority. Without one (as {@code of} and {@code named} build it) it reports nothing
 * and reads no clock.
 */
public final class Pipeline implements Policy {

    private final String name;
    private final List<Policy> policies;
    private final Next head;
    /** Where requests are reported; the no-op sink (report nothing) unless {@link #withMetrics}. */
    private final MetricsSink requests;
    private final Ticker ticker;

    private Pipeline(String name, List<Policy> policies) {
        this(name, policies, MetricsSink.noop(), Ticker.system());
    }

    private Pipeline(String name, List<Policy> policies, MetricsSink requests, Ticker ticker) {
        this.name = name;
        this.policies = policies;
        this.head = link(policies, Next.END);
        this.requests = requests;
        this.ticker = ticker;
    }

    /**
     * Composes {@code policies}; the first is outermost. No policies at all runs calls directly.
     * The pipeline gets a fresh name ({@code pipeline-1}, {@code pipeline-2}, …), so no two unnamed
     * pipelines share one in the metrics; {@link #named} gives one that says what it is.
     */
    public static Pipeline of(Policy... policies) {
        Objects.requireNonNull(policies, "policies");
        return of(List.of(checkNoNulls(policies)));
    }

    /** Composes {@code policies}; the first is outermost. A fresh name, as {@link #of(Policy...)}. */
    public static Pipeline of(List<? extends Policy> policies) {
        Objects.requireNonNull(policies, "policies");
        return named(Names.fresh("pipeline"), policies);
    }

    /**
     * Composes {@code policies} under a name that metrics and errors use.
     *
     * @throws IllegalArgumentException if a fallback is inside a circuit breaker (see the class comment)
     */
    public static Pipeline named(String name, List<? extends Policy> policies) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(policies, "policies");
        checkNoNulls(policies.toArray(new Policy[0]));
        List<Policy> flat = new ArrayList<>();
        for (Policy p : policies) {
            if (p instanceof Pipeline) {
                flat.addAll(((Pipeline) p).policies);
            } else {
                flat.add(p);
            }
        }
        PipelineOrderCheck.check(flat);
        return new Pipeline(name, Collections.unmodifiableList(flat));
    }

    /**
     * This pipeline reporting one {@link MetricsSink#onRequest} event per call to {@code sink},
     * timed with the system ticker. Name it first ({@link #named}): the name is the event's.
     */
    public Pipeline withMetrics(MetricsSink sink) {
        return withMetrics(sink, Ticker.system());
    }

    /**
     * This pipeline reporting one {@link MetricsSink#onRequest} event per call to {@code sink}, its
     * latency read from {@code ticker} (twice per call: when it enters and when it ends). A sink
     * that throws is caught, as everywhere ({@link Metrics#guard}). A pipeline nested in another
     * is flattened into it, so only the outer pipeline's sink reports.
     */
    public Pipeline withMetrics(MetricsSink sink, Ticker ticker) {
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(ticker, "ticker");
        return new Pipeline(name, policies, Metrics.guard(sink), ticker);
    }

    /** The policies in order, outermost first. */
    public List<Policy> policies() {
        return policies;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public <T> T execute(CallContext context, Callable<T> call, Next next) throws Exception {
        // Standalone use and nested use as the innermost element take the prebuilt chain; only a
        // pipeline used as a middle element of a hand-made chain links per call.
        Next chain = next == Next.END ? head : link(policies, next);
        if (requests == MetricsSink.noop()) {
            return chain.call(context, call);
        }
        long start = ticker.read();
        TrackedCall<T> tracked = TrackedCall.of(call);
        T result;
        try {
            result = chain.call(context, tracked);
        } catch (Throwable t) {
            RequestEvents.failed(requests, name, context.priorityOr(null), t, tracked.thrown(), ticker.read() - start);
            throw t;
        }
        RequestEvents.answered(requests, name, context.priorityOr(null), tracked.answered(result),
                ticker.read() - start);
        return result;
    }

    @Override
    public <T> CompletionStage<T> executeAsync(CallContext context, AsyncCall<T> call, Next next) {
        Next chain = next == Next.END ? head : link(policies, next);
        if (requests == MetricsSink.noop()) {
            return chain.callAsync(context, call);
        }
        long start = ticker.read();
        TrackedCall<T> tracked = TrackedCall.of(call);
        CompletionStage<T> stage;
        try {
            stage = chain.callAsync(context, tracked);
        } catch (Throwable t) { // only an empty pipeline's call can throw here
            RequestEvents.failed(requests, name, context.priorityOr(null), t, t, ticker.read() - start);
            throw t;
        }
        // reported when the stage completes, a cancel included; the caller gets the stage itself
        stage.whenComplete((result, failure) -> {
            long latency = ticker.read() - start;
            if (failure == null) {
                RequestEvents.answered(requests, name, context.priorityOr(null), tracked.answered(result), latency);
            } else {
                RequestEvents.failed(requests, name, context.priorityOr(null), failure, tracked.thrown(), latency);
            }
        });
        return stage;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name).append('[');
        for (int i = 0; i < policies.size(); i++) {
            sb.append(i == 0 ? "" : " -> ").append(policies.get(i).name());
        }
        return sb.append(']').toString();
    }

    private static Next link(List<Policy> policies, Next end) {
        Next next = end;
        for (int i = policies.size() - 1; i >= 0; i--) {
            next = new Link(policies.get(i), next);
        }
        return next;
    }

    private static Policy[] checkNoNulls(Policy[] policies) {
        for (int i = 0; i < policies.length; i++) {
            if (policies[i] == null) {
                throw new NullPointerException("policies[" + i + "] is null");
            }
        }
        return policies;
    }

    /** One policy and the rest of the chain after it. */
    private static final class Link implements Next {
        private final Policy policy;
        private final Next next;

        Link(Policy policy, Next next) {
            this.policy = policy;
            this.next = next;
        }

        @Override
        public <T> T call(CallContext context, Callable<T> call) throws Exception {
            return policy.execute(context, call, next);
        }

        @Override
        public <T> CompletionStage<T> callAsync(CallContext context, AsyncCall<T> call) {
            try {
                return policy.executeAsync(context, call, next);
            } catch (Throwable t) {
                // a policy that breaks the no-throw rule still fails the stage, not the caller
                return java.util.concurrent.CompletableFuture.failedFuture(t);
            }
        }

        @Override
        public String toString() {
            return policy.name() + " -> " + next;
        }
    }
}
