package dev.nines.web;

import dev.nines.Call;
import dev.nines.CallContext;
import dev.nines.Next;
import dev.nines.Pipeline;
import dev.nines.Policy;
import dev.nines.Priority;
import dev.nines.RejectedCallException;
import dev.nines.annotation.AnnotatedMethod;
import dev.nines.annotation.AnnotationHandler;
import dev.nines.annotation.MethodPolicies;
import dev.nines.fallback.Fallback;
import dev.nines.fallback.annotation.WithFallback;
import dev.nines.internal.Validation;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.Outcome;
import dev.nines.metrics.PolicyKinds;
import dev.nines.ratelimit.RateLimitedException;
import dev.nines.ratelimit.annotation.KeySource;
import dev.nines.ratelimit.annotation.WithRateLimit;
import dev.nines.retry.Retry;
import dev.nines.retry.annotation.WithRetry;
import dev.nines.timeout.Timeout;
import dev.nines.timeout.annotation.WithTimeout;
import dev.nines.web.internal.Quota;
import dev.nines.web.internal.Rejections;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The inbound protection of one endpoint, the same for every server adapter: resolve the client
 * key, take a permit from the per-client rate limit, admit by priority, then run the handler
 * inside whatever other policies the endpoint has.
 *
 * <p><b>Order.</b> The rate limit always comes first: it is the cheapest check and it is per
 * client, so an abusive client is turned away before it can hold a shedder or bulkhead permit.
 * Then the remaining policies run in {@link dev.nines.annotation.PipelineOrder} (circuit breaker,
 * priority admission, then bulkhead) around the handler.
 *
 * <p><b>Answers.</b> A rate-limited request gets 429 with {@code Retry-After}; a request shed or
 * refused by any other policy gets 503 with {@code Retry-After}, 1 second when the policy cannot
 * know (a full bulkhead, a forced-open breaker); bodies are {@code application/problem+json}, left
 * out for {@code HEAD}. Only the guard's own policies answer so: a rejection the
 * handler itself throws (its outbound call was rate limited by a downstream, or met an open
 * breaker) propagates like any other handler error, to the server's error path (a servlet
 * container answers 500), so the inbound client is never handed a downstream's
 * {@code Retry-After}. Every response of a rate-limited endpoint, successful or not,
 * carries the {@code RateLimit-Policy} and {@code RateLimit} headers.
 *
 * <p><b>Trust.</b> The client key comes from a {@link ClientKeyResolver}; a priority header, if
 * configured, is honoured only from {@link TrustedProxies trusted callers}, so a client never raises
 * its own priority. That trust is checked against the direct peer (the socket's remote address)
 * only, never a forwarded address: behind a trusted gateway every request looks trusted, so the
 * gateway must strip or overwrite the priority header a client sent. Immutable and thread-safe.
 */
public final class EndpointGuard {

    private static final Object[] NO_ARGS = new Object[0];

    private final String name;
    private final ClientKeyResolver keys;
    private final Quota quota;
    private final Pipeline policies;
    private final MethodPolicies annotated;
    private final Priority priority;
    private final String priorityHeader;
    private final TrustedProxies priorityCallers;
    private final MetricsSink metrics;
    private final Drain drain;

    private EndpointGuard(Builder b, Quota quota, Pipeline policies, MethodPolicies annotated) {
        this.name = b.name;
        this.keys = b.keys;
        this.quota = quota;
        this.policies = policies;
        this.annotated = annotated;
        this.priority = b.priority;
        this.priorityHeader = b.priorityHeader;
        this.priorityCallers = b.priorityCallers;
        this.metrics = Metrics.resolve(b.metrics);
        this.drain = b.drain;
    }

    /** Starts configuring the guard of the endpoint called {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The endpoint's name. */
    public String name() {
        return name;
    }

    /** The policies around the handler, after the rate limit; outermost first. */
    public Pipeline policies() {
        return policies;
    }

    /**
     * Runs {@code handler} for the request of {@code exchange} under this guard, answering with
     * 429 or 503 instead when a policy refuses it. Server adapters call this once per request.
     * With a {@link Builder#drain drain}, the request is first admitted by the drain (or refused
     * with 503 once it has started) and counted in flight until this method returns.
     */
    public void handle(ServerExchange exchange, Call<Void> handler) throws Exception {
        if (drain == null) {
            guarded(exchange, handler);
        } else if (drain.tryEnter()) {
            try {
                guarded(exchange, handler);
            } finally {
                drain.exit();
            }
        } else {
            drain.refuse(exchange);
        }
    }

    private void guarded(ServerExchange exchange, Call<Void> handler) throws Exception {
        HttpRequestView request = exchange.request();
        String key = keys.resolve(request);
        CallContext context = context(request, key);
        if (quota != null) {
            Quota.Decision decision = quota.check(key);
            decision.headers().forEach(exchange::addHeader);
            if (!decision.acquired()) {
                // checked outside the limiter's policy path (to read the quota), so report here
                metrics.onOutcome(quota.name(), PolicyKinds.RATE_LIMITER, Outcome.REJECTED, 0);
                reject(exchange, new RateLimitedException(quota.name(), decision.nanosToWait()));
                return;
            }
            // and the admitted ones, the denominator: a decision, not a timed call, so 0 ns
            metrics.onOutcome(quota.name(), PolicyKinds.RATE_LIMITER, Outcome.SUCCESS, 0);
        }
        HandlerCall call = new HandlerCall(handler);
        try {
            policies.execute(context, call, Next.END);
        } catch (RejectedCallException e) {
            if (call.isOwn(e) || exchange.isCommitted()) {
                // the handler's own outbound call was refused (a downstream's rate limit, an open
                // breaker): that is this server's failure, not an answer for the inbound client;
                // or the handler already answered and nothing sensible is left to send
                throw e;
            }
            reject(exchange, e);
        }
    }

    /**
     * The handler, remembering a rejection it threw itself, so that only the guard's own policies'
     * rejections become 429 or 503. Compared by identity: the same exception object passed
     * through the policies unchanged.
     */
    private static final class HandlerCall implements Call<Void> {
        private final Call<Void> handler;
        private volatile RejectedCallException thrown; // a timeout may run the handler on another thread

        HandlerCall(Call<Void> handler) {
            this.handler = handler;
        }

        @Override
        public Void call(CallContext context) throws Exception {
            try {
                return handler.call(context);
            } catch (RejectedCallException e) {
                thrown = e;
                throw e;
            }
        }

        boolean isOwn(RejectedCallException e) {
            return thrown != null && thrown == e;
        }
    }

    private CallContext context(HttpRequestView request, String key) {
        CallContext ctx = CallContext.empty().withKey(key);
        if (priority != null) {
            ctx = ctx.withPriority(priority);
        }
        if (annotated != null) {
            ctx = annotated.context(ctx, NO_ARGS); // endpoint annotations read no arguments
        }
        Optional<Priority> claimed = claimedPriority(request);
        return claimed.isPresent() ? ctx.withPriority(claimed.get()) : ctx;
    }

    /** The priority a trusted caller asked for in the priority header; ignored from anyone else. */
    private Optional<Priority> claimedPriority(HttpRequestView request) {
        if (priorityHeader == null || !priorityCallers.isTrusted(request.remoteAddress())) {
            return Optional.empty();
        }
        return request.header(priorityHeader).map(v -> v.trim().toUpperCase(Locale.ROOT)).flatMap(v -> {
            for (Priority p : Priority.values()) {
                if (p.name().equals(v) || Integer.toString(p.level()).equals(v)) {
                    return Optional.of(p);
                }
            }
            return Optional.empty();
        });
    }

    private static void reject(ServerExchange exchange, RejectedCallException e) throws java.io.IOException {
        Rejections.Answer answer = Rejections.answer(e);
        exchange.send(answer.status(), answer.headers(), Rejections.PROBLEM_JSON, answer.body());
    }

    @Override
    public String toString() {
        return "EndpointGuard[" + name + (quota != null ? ", rate limit " + quota.name() : "") + ", " + policies + "]";
    }

    /** Configures an {@link EndpointGuard}. Not thread-safe; {@link #build()} validates. */
    public static final class Builder {
        private static final String RERUN_PROBLEM = "not supported on an endpoint, since it would run the handler "
                + "again after the response may have been written; retry or fall back in the client, or "
                + "around the handler's outbound calls";
        private static final String TIMEOUT_PROBLEM = "not supported on an endpoint, since a timed-out handler "
                + "would still hold the request and response and could write into another request's response; "
                + "bound the handler's outbound calls instead, with a deadline in their call context (a "
                + "Timeout or @WithTimeout around them)";

        private final String name;
        private ClientKeyResolver keys = ClientKeyResolver.remoteAddress();
        private final List<Policy> policies = new ArrayList<>();
        private Priority priority;
        private String priorityHeader;
        private TrustedProxies priorityCallers = TrustedProxies.none();
        private MetricsSink metrics;
        private Drain drain;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** How to tell clients apart; default {@link ClientKeyResolver#remoteAddress()}. */
        public Builder clientKeys(ClientKeyResolver keys) {
            this.keys = Objects.requireNonNull(keys, "keys");
            return this;
        }

        /**
         * Adds policies around the handler, outermost first. At most one may be a rate limiter
         * (a {@code RateLimiter} or {@code KeyedRateLimiter}); it is taken out and checked before
         * all the others, whatever its position.
         */
        public Builder policies(Policy... policies) {
            for (Policy p : policies) {
                this.policies.add(Objects.requireNonNull(p, "policy"));
            }
            return this;
        }

        /** The priority of requests to this endpoint (what a load shedder admits by). */
        public Builder priority(Priority priority) {
            this.priority = Objects.requireNonNull(priority, "priority");
            return this;
        }

        /**
         * Lets trusted callers (another service of yours, a gateway) set a request's priority in
         * {@code header} ({@code P0}..{@code P3} or {@code 0}..{@code 3}); the header is ignored
         * from every other caller. Trust is checked against the direct peer alone, never a forwarded
         * address: a trusted gateway must strip or overwrite the header a client sent, or that
         * client's value passes through as the gateway's. A blank header fails at build.
         */
        public Builder priorityHeader(String header, TrustedProxies trustedCallers) {
            this.priorityHeader = Objects.requireNonNull(header, "header");
            this.priorityCallers = Objects.requireNonNull(trustedCallers, "trustedCallers");
            return this;
        }

        /**
         * Where the guard reports its rate limit's decisions: {@code REJECTED} for a request it
         * refuses, {@code SUCCESS} with a duration of 0 for one it admits (the limit decides, it
         * does not time the handler; the policies inside report the handler's outcome and time).
         * Default {@link Metrics#getDefault()}.
         */
        public Builder metrics(MetricsSink metrics) {
            this.metrics = Metrics.guard(Objects.requireNonNull(metrics, "metrics"));
            return this;
        }

        /**
         * Refuses this endpoint's requests once {@code drain} has started, and makes the drain wait
         * for the ones it admitted before; default none.
         */
        public Builder drain(Drain drain) {
            this.drain = Objects.requireNonNull(drain, "drain");
            return this;
        }

        /**
         * Builds the guard from the policies given.
         *
         * @throws IllegalArgumentException if the name or priority header is blank, two policies
         *     are rate limiters, a policy would run the handler again (a {@code Retry} or
         *     {@code Fallback}, also inside a nested {@code Pipeline}), or a {@code Timeout}
         *     would let the handler outlive its request
         */
        public EndpointGuard build() {
            return assemble(policies, null);
        }

        /**
         * Builds the guard from the nines annotations on {@code method} (and its declaring type),
         * as the proxy would, plus any policies given to this builder (outside them).
         *
         * <p>Supported on an endpoint: {@code @WithRateLimit}, {@code @WithPriority}, {@code @WithBulkhead} and
         * {@code @WithCircuitBreaker}. {@code @WithRetry} and {@code @WithFallback} are refused: they would run
         * the handler, or a fallback, again after the response may have been written. So is
         * {@code @WithTimeout}: the guard would answer while the timed-out handler still holds the
         * request and response, which a container recycles for the next request; bound the
         * handler's outbound calls instead (a deadline in their call context).
         *
         * @throws IllegalArgumentException naming the method and attribute of an invalid annotation,
         *     a {@code @WithRateLimit} that takes its key from an argument (endpoints use the client key),
         *     or naming the method and the annotation of a {@code @WithRetry}, {@code @WithFallback} or
         *     {@code @WithTimeout}; and as {@link #build()} does
         */
        public EndpointGuard buildFromAnnotations(AnnotatedMethod method,
                Map<Class<? extends Annotation>, AnnotationHandler<?>> handlers) {
            Objects.requireNonNull(method, "method");
            rejectArgumentKeys(method);
            rejectRerunningAnnotations(method);
            MethodPolicies plan = MethodPolicies.of(method, handlers);
            List<Policy> all = new ArrayList<>(policies);
            all.addAll(plan.pipeline().policies());
            return assemble(all, plan);
        }

        private EndpointGuard assemble(List<Policy> all, MethodPolicies plan) {
            new Validation().name(name)
                    .notBlank("priorityHeader", priorityHeader)
                    .throwIfInvalid();
            rejectRerunningPolicies(all);
            Quota quota = null;
            List<Policy> rest = new ArrayList<>();
            for (Policy p : all) {
                Quota q = Quota.of(p);
                if (q == null) {
                    rest.add(p);
                } else if (quota != null) {
                    throw new IllegalArgumentException("endpoint '" + name + "' has two rate limiters: " + quota.name()
                            + " and " + q.name() + "; combine the limits in one limiter");
                } else {
                    quota = q;
                }
            }
            return new EndpointGuard(this, quota, Pipeline.named(name, rest), plan);
        }

        /**
         * {@code @WithRetry} and {@code @WithFallback} would run the handler (or another method) again
         * after it failed, when it may already have written part of the response; {@code @WithTimeout}
         * would answer while the handler still holds the exchange: refused at creation, naming the
         * method and the annotation. Read as the policies are ({@link AnnotatedMethod#annotations()}).
         */
        private static void rejectRerunningAnnotations(AnnotatedMethod method) {
            for (Class<? extends Annotation> type : List.of(WithRetry.class, WithFallback.class)) {
                if (method.annotation(type) != null) {
                    throw method.invalid(type.getSimpleName(), RERUN_PROBLEM);
                }
            }
            if (method.annotation(WithTimeout.class) != null) {
                throw method.invalid(WithTimeout.class.getSimpleName(), TIMEOUT_PROBLEM);
            }
        }

        private void rejectRerunningPolicies(List<Policy> all) {
            for (Policy p : all) {
                if (p instanceof Pipeline nested) {
                    rejectRerunningPolicies(nested.policies());
                } else if (p instanceof Retry || p instanceof Fallback) {
                    throw new IllegalArgumentException("endpoint '" + name + "' cannot have "
                            + p.getClass().getSimpleName() + " '" + p.name() + "': " + RERUN_PROBLEM);
                } else if (p instanceof Timeout) {
                    throw new IllegalArgumentException("endpoint '" + name + "' cannot have "
                            + p.getClass().getSimpleName() + " '" + p.name() + "': " + TIMEOUT_PROBLEM);
                }
            }
        }

        private static void rejectArgumentKeys(AnnotatedMethod method) {
            WithRateLimit limit = method.annotation(WithRateLimit.class);
            if (limit != null && limit.key() == KeySource.ARGUMENT) {
                throw method.invalid("WithRateLimit", "key", KeySource.ARGUMENT, "must be CLIENT or NONE on an endpoint");
            }
        }
    }
}
