package dev.nines.web;

import dev.nines.Scheduler;
import dev.nines.Sleeper;
import dev.nines.Ticker;
import dev.nines.annotation.AnnotatedMethod;
import dev.nines.annotation.AnnotationHandler;
import dev.nines.annotation.MethodPolicies;
import dev.nines.annotation.PolicyRegistry;
import dev.nines.internal.Validation;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.MetricsSink;
import dev.nines.web.internal.NotDrained;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Objects;

/**
 * Settings shared by every annotated endpoint of a service: the registry that makes endpoints
 * naming the same shedder or limiter share it, how clients are told apart, who may set a priority
 * header, and where metrics go. Turns an annotated handler method into an {@link EndpointGuard}.
 *
 * <pre>{@code
 * NinesWeb web = NinesWeb.builder()
 *         .registry(registry)                                  // holds the "api" LoadShedder
 *         .clientKeys(ClientKeyResolver.forwarded(TrustedProxies.of("10.0.0.0/8")))
 *         .build();
 * }</pre>
 *
 * Immutable and thread-safe.
 */
public final class NinesWeb {

    private final PolicyRegistry registry;
    private final ClientKeyResolver keys;
    private final String priorityHeader;
    private final TrustedProxies priorityCallers;
    private final MetricsSink metrics;
    private final Ticker ticker;
    private final Drain drain;
    private final Map<Class<? extends Annotation>, AnnotationHandler<?>> handlers;

    private NinesWeb(Builder b) {
        this.registry = b.registry;
        this.keys = b.keys;
        this.priorityHeader = b.priorityHeader;
        this.priorityCallers = b.priorityCallers;
        this.metrics = Metrics.resolve(b.metrics);
        this.ticker = b.ticker;
        this.drain = b.drain;
        this.handlers = MethodPolicies.discoverHandlers();
    }

    /** Starts configuring. */
    public static Builder builder() {
        return new Builder();
    }

    /** The registry of named policies shared by the endpoints. */
    public PolicyRegistry registry() {
        return registry;
    }

    /**
     * The guard of the endpoint whose handler is {@code method} of {@code handler}, from the nines
     * annotations on the method and on {@code handler}'s class (its runtime class, when it has the
     * method; otherwise the method's declaring class), as {@link #guard(Object, Class, Method)}.
     *
     * @throws IllegalArgumentException naming the method and attribute of an invalid annotation
     */
    public EndpointGuard guard(Object handler, Method method) {
        Objects.requireNonNull(method, "method");
        Class<?> type = method.getDeclaringClass().isInstance(handler) ? handler.getClass()
                : method.getDeclaringClass();
        return guard(handler, type, method);
    }

    /**
     * The guard of the endpoint whose handler is {@code method}, called on an instance of
     * {@code type} ({@code method} may be declared by a superclass of it): from the nines
     * annotations on the method (and the methods it overrides) and on {@code type} and its
     * supertypes, by the precedence of {@link AnnotatedMethod}. Its policies are named after
     * {@code type}: {@code SearchHandler.handle}, even when {@code JsonHandler} declares
     * {@code handle}.
     *
     * @param handler the handler instance, or null when there is none yet (a servlet class)
     * @throws IllegalArgumentException naming the method and attribute of an invalid annotation, or
     *     if {@code type} is not {@code method}'s declaring class or a subclass of it
     */
    public EndpointGuard guard(Object handler, Class<?> type, Method method) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(method, "method");
        AnnotatedMethod annotated = new AnnotatedMethod(type, method, handler, registry, metrics, ticker,
                Sleeper.system(), Scheduler.system());
        EndpointGuard.Builder b = EndpointGuard.builder(annotated.defaultPolicyName()).clientKeys(keys).metrics(metrics);
        if (priorityHeader != null) {
            b.priorityHeader(priorityHeader, priorityCallers);
        }
        if (drain != null && annotated.annotation(NotDrained.class) == null) {
            b.drain(drain); // the health servlets answer probes during a drain, so they are not drained
        }
        return b.buildFromAnnotations(annotated, handlers);
    }

    /** Configures {@link NinesWeb}. Not thread-safe. */
    public static final class Builder {
        private PolicyRegistry registry = new PolicyRegistry();
        private ClientKeyResolver keys = ClientKeyResolver.remoteAddress();
        private String priorityHeader;
        private TrustedProxies priorityCallers = TrustedProxies.none();
        private MetricsSink metrics;
        private Ticker ticker = Ticker.system();
        private Drain drain;

        private Builder() {
        }

        /** Named policies shared by endpoints; default a new, empty registry. */
        public Builder registry(PolicyRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** How clients are told apart; default the remote address. */
        public Builder clientKeys(ClientKeyResolver keys) {
            this.keys = Objects.requireNonNull(keys, "keys");
            return this;
        }

        /**
         * Honour {@code header} as the request priority from {@code trustedCallers} only (see
         * {@link EndpointGuard.Builder#priorityHeader}). Trust is checked against the direct peer
         * alone, never a forwarded address: a trusted gateway must strip or overwrite the header a
         * client sent, or that client's value passes through as the gateway's. A blank header fails
         * at build.
         */
        public Builder priorityHeader(String header, TrustedProxies trustedCallers) {
            this.priorityHeader = Objects.requireNonNull(header, "header");
            this.priorityCallers = Objects.requireNonNull(trustedCallers, "trustedCallers");
            return this;
        }

        /** Where policies built from annotations report; default {@link Metrics#getDefault()}. */
        public Builder metrics(MetricsSink metrics) {
            this.metrics = Metrics.guard(Objects.requireNonNull(metrics, "metrics"));
            return this;
        }

        /** The time source of policies built from annotations; default the system ticker. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * Gives every endpoint guarded from these settings {@code drain}: once it starts, they
         * refuse new requests with 503 and the drain waits for the ones they admitted before (see
         * {@link Drain}). The health servlets are not drained. Default none.
         */
        public Builder drain(Drain drain) {
            this.drain = Objects.requireNonNull(drain, "drain");
            return this;
        }

        /**
         * Builds the settings.
         *
         * @throws IllegalArgumentException if the priority header is blank
         */
        public NinesWeb build() {
            new Validation().notBlank("priorityHeader", priorityHeader).throwIfInvalid();
            return new NinesWeb(this);
        }
    }
}
