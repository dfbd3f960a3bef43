package dev.nines.annotation;

import dev.nines.AsyncCall;
import dev.nines.Call;
import dev.nines.CallContext;
import dev.nines.Next;
import dev.nines.Pipeline;
import dev.nines.Scheduler;
import dev.nines.Sleeper;
import dev.nines.Ticker;
import dev.nines.internal.Validation;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.MetricsSink;
import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Wraps an implementation of an interface so that each method runs through the policies its
 * annotations describe:
 *
 * <pre>{@code
 * interface PaymentClient {
 *     @WithFallback(method = "chargeLater")
 *     @WithCircuitBreaker(name = "payments")
 *     Receipt charge(String account, long cents);
 * }
 * PaymentClient client = NinesProxy.create(PaymentClient.class, new HttpPaymentClient());
 * }</pre>
 *
 * <p>Each method's pipeline is built once, here, from the handlers on the classpath; the order is
 * fixed by {@link PipelineOrder}. Methods returning {@link CompletionStage} or
 * {@link CompletableFuture} run through the asynchronous form. Invalid annotations fail here, naming
 * the method and the attribute, not at the first call.
 *
 * <p>Every method of the interface is protected as a method of {@code iface}, inherited ones
 * included: an annotation on {@code iface} (or on a superinterface) covers them all, and their
 * policies are named after {@code iface} ({@code Sub.m}, even where {@code Base} declares
 * {@code m}). A method's own annotation wins over a type's, and a subinterface's over its
 * superinterface's; see {@link AnnotatedMethod} for the full order.
 *
 * <p><b>Requests.</b> Each call of a proxied method is one request: the proxy reports it to the
 * {@link Builder#metrics metrics sink} with {@link MetricsSink#onRequest}, once, when it ends, named
 * like the method's policies ({@code PaymentClient.charge}), with the priority of its context, its
 * final outcome (answered fresh, answered by a fallback, rejected by which policy, failed, timed
 * out, cancelled) and its latency read from the {@link Builder#ticker ticker}. Methods without
 * annotations are requests too.
 *
 * <p><b>Interruption.</b> A caller interrupted while a policy waits (a timeout waiting for the work,
 * a bulkhead for a permit, a retry's backoff) gets {@link InterruptedException} if the method
 * declares it, and otherwise an unchecked {@link InterruptedCallException} wrapping it (never an
 * {@link UndeclaredThrowableException}); either way the thread's interrupt status is set.
 *
 * <p>As with any {@link Proxy}, the interface and the types in its method signatures must be
 * accessible to the proxy class: make them public (a nested type of a package-private class is not).
 * On the module path, the application opens the package of {@code iface} and of the target to
 * {@code dev.nines.core}, which calls them (and {@code @WithFallback} methods) reflectively; exporting
 * it to {@code dev.nines.core} is enough when every fallback method is public.
 *
 * <p>The proxy is thread-safe if the target is: its pipelines are immutable and shared by every
 * caller. {@link Builder} is not thread-safe.
 */
public final class NinesProxy {

    private NinesProxy() {
    }

    /** Creates a proxy with a fresh registry, the default metrics sink and the system ticker. */
    public static <I> I create(Class<I> iface, I target) {
        return builder(iface, target).build();
    }

    /** Starts configuring a proxy of {@code iface} forwarding to {@code target}. */
    public static <I> Builder<I> builder(Class<I> iface, I target) {
        return new Builder<>(iface, target);
    }

    /** Configures a proxy; {@link #build()} validates every annotated method. */
    public static final class Builder<I> {
        private final Class<I> iface;
        private final I target;
        private PolicyRegistry registry = new PolicyRegistry();
        private MetricsSink metrics;
        private Ticker ticker = Ticker.system();
        private Sleeper sleeper = Sleeper.system();
        private Scheduler scheduler = Scheduler.system();
        private List<AnnotationHandler<?>> handlers;

        private Builder(Class<I> iface, I target) {
            this.iface = Objects.requireNonNull(iface, "iface");
            this.target = Objects.requireNonNull(target, "target");
        }

        /** Shares named policies with other proxies and filters using the same registry. */
        public Builder<I> registry(PolicyRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** The sink that policies built from annotations report to; defaults to {@link Metrics#getDefault()}. */
        public Builder<I> metrics(MetricsSink metrics) {
            this.metrics = Metrics.guard(Objects.requireNonNull(metrics, "metrics"));
            return this;
        }

        /** The time source of policies built from annotations; defaults to the system ticker. */
        public Builder<I> ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * How synchronous policies built from annotations wait (a retry's backoff); defaults to
         * {@link Sleeper#system()}. Give one that keeps the {@link #ticker ticker}'s time: with a
         * manual ticker, a sleeper that advances it, so tests never sleep.
         */
        public Builder<I> sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /**
         * The timer of asynchronous policies built from annotations (async retries' backoff,
         * timeouts); defaults to {@link Scheduler#system()}. Give one that keeps the
         * {@link #ticker ticker}'s time.
         */
        public Builder<I> scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Uses exactly these handlers, at most one per annotation, instead of the ones on the classpath. */
        public Builder<I> handlers(AnnotationHandler<?>... handlers) {
            this.handlers = List.of(handlers);
            return this;
        }

        /**
         * Builds the proxy.
         *
         * @throws IllegalArgumentException if {@code iface} is not an interface or two handlers serve
         *     one annotation; naming the method and attribute of an invalid annotation
         */
        public I build() {
            Validation v = new Validation().check(iface.isInterface(), "iface", "an interface", iface.getName());
            Map<Class<? extends Annotation>, AnnotationHandler<?>> h;
            if (handlers == null) {
                h = MethodPolicies.discoverHandlers();
            } else {
                h = new HashMap<>();
                for (AnnotationHandler<?> handler : handlers) {
                    Class<? extends Annotation> type = handler.annotationType();
                    v.check(h.put(type, handler) == null, "handlers", "one per annotation",
                            "two for @" + type.getSimpleName());
                }
            }
            v.throwIfInvalid();
            MetricsSink sink = Metrics.resolve(metrics);
            Map<Method, Plan> plans = new HashMap<>();
            for (Method m : iface.getMethods()) {
                if (Modifier.isStatic(m.getModifiers())) {
                    continue;
                }
                if (!Modifier.isPublic(iface.getModifiers())) {
                    m.setAccessible(true); // a package-private interface of the caller's
                }
                // invoke this very Method object later: the one the proxy passes in is a fresh copy
                // on which setAccessible was never called
                AnnotatedMethod annotated = new AnnotatedMethod(iface, m, target, registry, sink, ticker, sleeper,
                        scheduler);
                MethodPolicies policies = MethodPolicies.of(annotated, h);
                plans.put(m, new Plan(m, policies, policies.pipeline().withMetrics(sink, ticker), annotated.describe(),
                        declaresInterrupt(m)));
            }
            Object proxy = Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface},
                    new Handler(target, plans));
            return iface.cast(proxy);
        }
    }

    private static boolean declaresInterrupt(Method m) {
        for (Class<?> type : m.getExceptionTypes()) {
            if (type.isAssignableFrom(InterruptedException.class)) {
                return true;
            }
        }
        return false;
    }

    /**
     * What the proxy does for one interface method.
     *
     * @param pipeline          the method's policies, reporting one request event per call
     * @param description       the method as messages name it
     * @param declaresInterrupt whether the method may throw {@link InterruptedException} as it is
     */
    private record Plan(Method method, MethodPolicies policies, Pipeline pipeline, String description,
            boolean declaresInterrupt) {
    }

    private static final class Handler implements InvocationHandler {
        private static final Object[] NO_ARGS = new Object[0];

        private final Object target;
        private final Map<Method, Plan> plans;

        Handler(Object target, Map<Method, Plan> plans) {
            this.target = target;
            this.plans = plans;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            Plan plan = plans.get(method);
            if (plan == null) {
                return objectMethod(proxy, method, args);
            }
            Object[] arguments = args == null ? NO_ARGS : args;
            CallContext ctx = plan.policies().context(CallContext.empty(), arguments);
            ProxyCall call = new ProxyCall(target, plan.method(), arguments);
            Class<?> returns = method.getReturnType();
            if (returns == CompletionStage.class || returns == CompletableFuture.class) {
                CompletionStage<Object> stage = plan.pipeline().executeAsync(ctx, call, Next.END);
                return returns == CompletableFuture.class ? stage.toCompletableFuture() : stage;
            }
            try {
                return plan.pipeline().execute(ctx, call, Next.END);
            } catch (InterruptedException e) {
                if (plan.declaresInterrupt()) {
                    throw e;
                }
                Thread.currentThread().interrupt(); // the policies set it again; make sure whatever threw
                throw new InterruptedCallException(plan.description(), e);
            }
        }

        private Object objectMethod(Object proxy, Method method, Object[] args) {
            switch (method.getName()) {
                case "equals":
                    return proxy == args[0];
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "toString":
                    return "NinesProxy[" + target + "]";
                default:
                    throw new UnsupportedOperationException(method.toString());
            }
        }
    }

    /** One invocation of the target, as the pipeline carries it: sync, async, and readable. */
    private static final class ProxyCall implements Call<Object>, AsyncCall<Object>, Invocation {
        private final Object target;
        private final Method method;
        private final Object[] arguments;

        ProxyCall(Object target, Method method, Object[] arguments) {
            this.target = target;
            this.method = method;
            this.arguments = arguments;
        }

        @Override
        public Object call(CallContext context) throws Exception {
            try {
                return method.invoke(target, arguments);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Exception) {
                    throw (Exception) cause;
                }
                if (cause instanceof Error) {
                    throw (Error) cause;
                }
                throw new UndeclaredThrowableException(cause);
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public CompletionStage<Object> start(CallContext context) {
            try {
                Object result = call(context);
                if (result == null) {
                    return CompletableFuture.failedFuture(
                            new NullPointerException(method.getName() + " returned null instead of a stage"));
                }
                return (CompletionStage<Object>) result;
            } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        @Override
        public Method method() {
            return method;
        }

        @Override
        public Object[] arguments() {
            return arguments;
        }
    }
}
