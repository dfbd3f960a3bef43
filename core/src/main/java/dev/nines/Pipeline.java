package dev.nines;

import dev.nines.internal.PipelineOrderCheck;
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
 */
public final class Pipeline implements Policy {

    private final String name;
    private final List<Policy> policies;
    private final Next head;

    private Pipeline(String name, List<Policy> policies) {
        this.name = name;
        this.policies = policies;
        this.head = link(policies, Next.END);
    }

    /** Composes {@code policies}; the first is outermost. No policies at all runs calls directly. */
    public static Pipeline of(Policy... policies) {
        Objects.requireNonNull(policies, "policies");
        return of(List.of(checkNoNulls(policies)));
    }

    /** Composes {@code policies}; the first is outermost. */
    public static Pipeline of(List<? extends Policy> policies) {
        Objects.requireNonNull(policies, "policies");
        return named("pipeline", policies);
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
        return chain.call(context, call);
    }

    @Override
    public <T> CompletionStage<T> executeAsync(CallContext context, AsyncCall<T> call, Next next) {
        Next chain = next == Next.END ? head : link(policies, next);
        return chain.callAsync(context, call);
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
