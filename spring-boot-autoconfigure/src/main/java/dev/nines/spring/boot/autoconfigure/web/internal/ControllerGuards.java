package dev.nines.spring.boot.autoconfigure.web.internal;

import dev.nines.Call;
import dev.nines.CallContext;
import dev.nines.Scheduler;
import dev.nines.Sleeper;
import dev.nines.Ticker;
import dev.nines.annotation.AnnotatedMethod;
import dev.nines.annotation.PolicyAnnotation;
import dev.nines.metrics.MetricsSink;
import dev.nines.web.EndpointGuard;
import dev.nines.web.NinesWeb;
import dev.nines.web.servlet.ServletExchange;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.Ordered;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerAdapter;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Runs each nines-annotated Spring MVC handler method inside its {@link EndpointGuard}: a
 * {@link HandlerAdapter} ahead of Spring's own that claims the guarded handler methods and hands
 * the call to the adapter that would have run it (the {@code RequestMappingHandlerAdapter}) from
 * inside the guard. So the guard is around the handler's invocation, argument resolution and
 * response writing included, after the interceptors' {@code preHandle} and before exception
 * resolution: a handler exception passes through the guard's policies (a breaker counts it) and
 * then reaches Spring's {@code @ExceptionHandler}s as usual, and every permit is released when the
 * invocation returns or throws.
 *
 * <p>Guards are built once, when the context has started ({@link #afterSingletonsInstantiated()}),
 * for every handler method of the {@link RequestMappingHandlerMapping}s that carries a nines policy
 * annotation (on the method or its class); an invalid annotation fails startup naming the method.
 * Only the {@code REQUEST} dispatch is guarded: the {@code ASYNC} dispatch that completes a
 * {@code DeferredResult} or {@code CompletableFuture}, and forwards, errors and includes, pass
 * straight through, so a request is guarded, and reported, once.
 *
 * <p>Thread-safe: the guards are built before the first request and only read afterwards.
 */
public final class ControllerGuards implements HandlerAdapter, Ordered, SmartInitializingSingleton {

    /** Where Spring places this adapter: ahead of the {@code RequestMappingHandlerAdapter} (lowest precedence). */
    public static final int ORDER = 0;

    private final NinesWeb web;
    private final Supplier<List<RequestMappingHandlerMapping>> mappings;
    private final Supplier<List<HandlerAdapter>> adapters;
    private volatile Map<Method, Guarded[]> guards = Map.of();

    /**
     * Guards the handler methods of {@code mappings}, each run by the first of {@code adapters}
     * (this one aside) that supports it; both are asked for once, when the context has started.
     */
    public ControllerGuards(NinesWeb web, Supplier<List<RequestMappingHandlerMapping>> mappings,
            Supplier<List<HandlerAdapter>> adapters) {
        this.web = Objects.requireNonNull(web, "web");
        this.mappings = Objects.requireNonNull(mappings, "mappings");
        this.adapters = Objects.requireNonNull(adapters, "adapters");
    }

    /** One handler method's guard, and the adapter that runs the method. */
    private record Guarded(Class<?> beanType, EndpointGuard guard, HandlerAdapter delegate) {
    }

    /**
     * Builds the guard of every annotated handler method.
     *
     * @throws IllegalStateException naming the handler method, its mapping and the invalid
     *     annotation when a guard cannot be built
     */
    @Override
    public void afterSingletonsInstantiated() {
        Map<Method, Guarded[]> built = new HashMap<>();
        List<HandlerAdapter> runners = adapters.get().stream().filter(a -> a != this).toList();
        for (RequestMappingHandlerMapping mapping : mappings.get()) {
            for (Map.Entry<RequestMappingInfo, HandlerMethod> e : mapping.getHandlerMethods().entrySet()) {
                HandlerMethod hm = e.getValue();
                if (find(built, hm.getMethod(), hm.getBeanType()) != null || !isAnnotated(hm)) {
                    continue; // one guard per handler method, however many mappings lead to it
                }
                Guarded guarded = build(hm, e.getKey(), runners);
                Guarded[] those = built.getOrDefault(hm.getMethod(), new Guarded[0]);
                Guarded[] grown = Arrays.copyOf(those, those.length + 1);
                grown[those.length] = guarded;
                built.put(hm.getMethod(), grown);
            }
        }
        guards = Map.copyOf(built);
    }

    private Guarded build(HandlerMethod hm, RequestMappingInfo info, List<HandlerAdapter> runners) {
        HandlerAdapter delegate = runners.stream().filter(a -> a.supports(hm)).findFirst()
                .orElseThrow(() -> new IllegalStateException("nines cannot guard the Spring MVC handler "
                        + describe(hm) + " mapped to " + info + ": no HandlerAdapter supports it"));
        try {
            return new Guarded(hm.getBeanType(), web.guard(null, hm.getBeanType(), hm.getMethod()), delegate);
        } catch (IllegalArgumentException ex) {
            throw new IllegalStateException("nines cannot guard the Spring MVC handler " + describe(hm)
                    + " mapped to " + info + ": " + ex.getMessage(), ex);
        }
    }

    /** Whether the method or its type carries a nines policy annotation (and so needs a guard). */
    private boolean isAnnotated(HandlerMethod hm) {
        AnnotatedMethod method = new AnnotatedMethod(hm.getBeanType(), hm.getMethod(), null, web.registry(),
                MetricsSink.noop(), Ticker.system(), Sleeper.system(), Scheduler.system());
        for (Class<? extends Annotation> type : method.annotations().keySet()) {
            if (type.isAnnotationPresent(PolicyAnnotation.class)) {
                return true;
            }
        }
        return false;
    }

    private static String describe(HandlerMethod hm) {
        return hm.getBeanType().getName() + "#" + hm.getMethod().getName();
    }

    /** The guard of every annotated handler method, for diagnostics: {@code CatalogController.search}, ... */
    public List<EndpointGuard> guards() {
        List<EndpointGuard> all = new ArrayList<>();
        guards.values().forEach(gs -> Arrays.stream(gs).forEach(g -> all.add(g.guard())));
        return all;
    }

    private static Guarded find(Map<Method, Guarded[]> in, Method method, Class<?> beanType) {
        Guarded[] candidates = in.get(method);
        if (candidates != null) {
            for (Guarded g : candidates) {
                if (g.beanType() == beanType) {
                    return g;
                }
            }
        }
        return null;
    }

    private Guarded guardOf(Object handler) {
        return handler instanceof HandlerMethod hm ? find(guards, hm.getMethod(), hm.getBeanType()) : null;
    }

    @Override
    public boolean supports(Object handler) {
        return guardOf(handler) != null;
    }

    @Override
    public ModelAndView handle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws Exception {
        Guarded guarded = guardOf(handler);
        if (request.getDispatcherType() != DispatcherType.REQUEST) {
            return guarded.delegate().handle(request, response, handler); // guarded on its REQUEST dispatch
        }
        Invocation invocation = new Invocation(guarded.delegate(), request, response, handler);
        guarded.guard().handle(ServletExchange.of(request, response), invocation);
        if (invocation.clientError != null) {
            throw invocation.clientError; // to Spring's exception resolvers, as without nines
        }
        return invocation.view; // null when the guard answered 429 or 503: the response is complete
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public String toString() {
        return "ControllerGuards" + guards();
    }

    /**
     * The handler's invocation by Spring's adapter, run by the guard. An exception that Spring
     * answers with a 4xx (the client's error: a bad argument, a missing parameter, an exception
     * with a 4xx {@code @ResponseStatus}) is not the endpoint failing, so it is kept aside and the
     * invocation returns normally (a breaker counts it a success); it is thrown once the guard is
     * done. One per request.
     */
    private static final class Invocation implements Call<Void> {
        private final HandlerAdapter delegate;
        private final HttpServletRequest request;
        private final HttpServletResponse response;
        private final Object handler;
        ModelAndView view;
        Exception clientError;

        Invocation(HandlerAdapter delegate, HttpServletRequest request, HttpServletResponse response, Object handler) {
            this.delegate = delegate;
            this.request = request;
            this.response = response;
            this.handler = handler;
        }

        @Override
        public Void call(CallContext context) throws Exception {
            try {
                view = delegate.handle(request, response, handler);
            } catch (Exception e) {
                if (!ClientErrors.isClientError(e)) {
                    throw e;
                }
                clientError = e;
            }
            return null;
        }
    }
}
