package dev.nines.web;

import dev.nines.Call;
import dev.nines.CallContext;
import dev.nines.Next;
import dev.nines.Pipeline;
import dev.nines.Policy;
import dev.nines.Priority;
import dev.nines.Ticker;
import dev.nines.RejectedCallException;
import dev.nines.annotation.AnnotatedMethod;
import dev.nines.annotation.AnnotationHandler;
import dev.nines.annotation.MethodPolicies;
import dev.nines.internal.RequestEvents;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.Outcome;
import dev.nines.metrics.PolicyKinds;
import dev.nines.metrics.RequestOutcome;
import dev.nines.ratelimit.RateLimitedException;
import dev.nines.web.internal.GuardAssembly;
import dev.nines.web.internal.HandlerCall;
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

    private final Ticker ticker;

    private EndpointGuard(Builder b, GuardAssembly assembly) {
        this.name = b.name;
        this.keys = b.keys;
        this.quota = assembly.quota();
        this.policies = assembly.policies();
        this.annotated = assembly.plan();
        this.priority = b.priority;
        this.priorityHeader = b.priorityHeader;
        this.priorityCallers = b.priorityCallers;
        this.metrics = Metrics.resolve(b.metrics);
        this.drain = b.drain;
        this.ticker = b.ticker;
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
     * with 503 once it has started) and counted in flight until this method returns. Reports one
     * {@link MetricsSink#onRequest} event per request, named after the endpoint (see
     * {@link Builder#metrics}).
     */
    public void handle(ServerExchange exchange, Call<Void> handler) throws Exception {
        long start = metrics == MetricsSink.noop() ? 0 : ticker.read(); // no clock without a sink
        if (drain == null) {
            reported(exchange, handler, start);
        } else if (drain.tryEnter()) {
            try {
                reported(exchange, handler, start);
            } finally {
                drain.exit();
            }
        } else {
            try {
                drain.refuse(exchange);
            } finally {
                if (metrics != MetricsSink.noop()) {
                    metrics.onRequest(name, null, RequestOutcome.REJECTED, "drain", "drain", ticker.read() - start);
                }
            }
        }
    }

    /** The request under the guard's policies, and its one request event however it ends. */
    private void reported(ServerExchange exchange, Call<Void> handler, long start) throws Exception {
        HandlerCall call = new HandlerCall(handler);
        HttpRequestView request = exchange.request();
        if (metrics == MetricsSink.noop()) {
            String key = keys.resolve(request);
            guarded(exchange, key, context(request, key), call);
            return;
        }
        CallContext context = null;
        RejectedCallException answered;
        try {
            String key = keys.resolve(request);
            context = context(request, key);
            answered = guarded(exchange, key, context, call);
        } catch (Throwable t) {
            RequestEvents.failed(metrics, name, priorityOf(context), t, call.thrown(), ticker.read() - start);
            throw t;
        }
        if (answered == null && exchange.status() >= 500) {
            // the handler answered with its own server error: a failure for an SLO, not an answer
            metrics.onRequest(name, priorityOf(context), RequestOutcome.FAILED, null, null, ticker.read() - start);
        } else if (answered == null) {
            RequestEvents.answered(metrics, name, priorityOf(context), true, ticker.read() - start);
        } else {
            RequestEvents.failed(metrics, name, priorityOf(context), answered, null, ticker.read() - start);
        }
    }

    private static Priority priorityOf(CallContext context) {
        return context == null ? null : context.priorityOr(null);
    }

    /** Runs the request; returns the rejection it answered with 429 or 503, or null when the handler ran. */
    private RejectedCallException guarded(ServerExchange exchange, String key, CallContext context,
            HandlerCall call) throws Exception {
        if (quota != null) {
            Quota.Decision decision = quota.check(key);
            decision.headers().forEach(exchange::addHeader);
            if (!decision.acquired()) {
                // checked outside the limiter's policy path (to read the quota), so report here
                metrics.onOutcome(quota.name(), PolicyKinds.RATE_LIMITER, Outcome.REJECTED, 0);
                RateLimitedException limited = new RateLimitedException(quota.name(), decision.nanosToWait());
                reject(exchange, limited);
                return limited;
            }
            // and the admitted ones, the denominator: a decision, not a timed call, so 0 ns
            metrics.onOutcome(quota.name(), PolicyKinds.RATE_LIMITER, Outcome.SUCCESS, 0);
        }
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
            return e;
        }
        return null;
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
        private final String name;
        private ClientKeyResolver keys = ClientKeyResolver.remoteAddress();
        private final List<Policy> policies = new ArrayList<>();
        private Priority priority;
        private String priorityHeader;
        private TrustedProxies priorityCallers = TrustedProxies.none();
        private MetricsSink metrics;
        private Drain drain;
        private Ticker ticker = Ticker.system();

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
         * Where the guard reports. Its rate limit's decisions: {@code REJECTED} for a request it
         * refuses, {@code SUCCESS} with a duration of 0 for one it admits (the limit decides, it
         * does not time the handler; the policies inside report the handler's outcome and time).
         * And one {@link MetricsSink#onRequest} event per request, named after the endpoint:
         * {@code FRESH} when the handler ran and returned, {@code REJECTED} (by the rate limit,
         * another policy, or the drain) when the guard answered 429 or 503, {@code FAILED} when the
         * handler threw (a rejection it threw itself included) or answered with a 5xx status of its
         * own ({@link ServerExchange#status()}). Default {@link Metrics#getDefault()}.
         */
        public Builder metrics(MetricsSink metrics) {
            this.metrics = Metrics.guard(Objects.requireNonNull(metrics, "metrics"));
            return this;
        }

        /** Times request events; default {@link Ticker#system()}. Not read when the sink is the no-op one. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
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
            return new EndpointGuard(this, GuardAssembly.of(name, priorityHeader, policies));
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
            return new EndpointGuard(this,
                    GuardAssembly.ofAnnotations(name, priorityHeader, policies, method, handlers));
        }
    }
}
