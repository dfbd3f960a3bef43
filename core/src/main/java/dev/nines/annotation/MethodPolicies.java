package dev.nines.annotation;

import dev.nines.CallContext;
import dev.nines.Pipeline;
import dev.nines.Policy;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * The pipeline built from one method's annotations, with the steps that fill each invocation's
 * context. The proxy and the web filters both build their per-method behaviour here.
 *
 * <p>Annotations are those {@link AnnotatedMethod#annotations()} finds: the method's own (and those
 * of the methods it overrides) replace ones of the same type on {@link AnnotatedMethod#type()} and
 * its supertypes, and a subtype's replace its supertype's. Policies are ordered by
 * {@link AnnotationHandler#order}.
 *
 * <p>Immutable once built, so thread-safe: one instance serves every invocation of its method.
 */
public final class MethodPolicies {

    private final Pipeline pipeline;
    private final ContextCustomizer[] customizers;

    private MethodPolicies(Pipeline pipeline, ContextCustomizer[] customizers) {
        this.pipeline = pipeline;
        this.customizers = customizers;
    }

    /** The handlers found on the classpath through {@link ServiceLoader}, by annotation type. */
    public static Map<Class<? extends Annotation>, AnnotationHandler<?>> discoverHandlers() {
        Map<Class<? extends Annotation>, AnnotationHandler<?>> handlers = new HashMap<>();
        for (AnnotationHandler<?> h : ServiceLoader.load(AnnotationHandler.class, MethodPolicies.class.getClassLoader())) {
            AnnotationHandler<?> previous = handlers.putIfAbsent(h.annotationType(), h);
            if (previous != null) {
                throw new IllegalStateException("two handlers for @" + h.annotationType().getSimpleName() + ": "
                        + previous.getClass().getName() + " and " + h.getClass().getName());
            }
        }
        return handlers;
    }

    /**
     * Builds the policies for {@code method.method()} from its annotations.
     *
     * @throws IllegalArgumentException naming the method when an annotation is invalid, when two
     *     annotations claim the same pipeline slot, or when a nines annotation has no handler
     */
    public static MethodPolicies of(AnnotatedMethod method,
            Map<Class<? extends Annotation>, AnnotationHandler<?>> handlers) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(handlers, "handlers");
        record Slot(int order, Annotation annotation, AnnotationHandler<?> handler) {
        }
        List<Slot> slots = new ArrayList<>();
        for (Annotation a : method.annotations().values()) {
            AnnotationHandler<?> handler = handlers.get(a.annotationType());
            if (handler == null) {
                if (a.annotationType().isAnnotationPresent(PolicyAnnotation.class)) {
                    throw method.invalid(a.annotationType().getSimpleName(),
                            "no handler for this annotation is on the classpath");
                }
                continue; // not ours
            }
            slots.add(new Slot(orderOf(handler, a), a, handler));
        }
        slots.sort(Comparator.comparingInt(Slot::order));
        for (int i = 1; i < slots.size(); i++) {
            if (slots.get(i).order() == slots.get(i - 1).order()) {
                throw method.invalid(slots.get(i).annotation().annotationType().getSimpleName(),
                        "shares pipeline position " + slots.get(i).order() + " with @"
                                + slots.get(i - 1).annotation().annotationType().getSimpleName());
            }
        }
        List<Policy> policies = new ArrayList<>();
        List<ContextCustomizer> customizers = new ArrayList<>();
        for (Slot s : slots) {
            policies.add(create(s.handler(), s.annotation(), method));
            ContextCustomizer c = customizer(s.handler(), s.annotation(), method);
            if (c != null) {
                customizers.add(c);
            }
        }
        return new MethodPolicies(Pipeline.named(method.defaultPolicyName(), policies),
                customizers.toArray(new ContextCustomizer[0]));
    }

    /** The policies, outermost first. */
    public Pipeline pipeline() {
        return pipeline;
    }

    /** Whether the method has no policy at all. */
    public boolean isEmpty() {
        return pipeline.policies().isEmpty() && customizers.length == 0;
    }

    /** Fills {@code base} from the invocation's arguments. */
    public CallContext context(CallContext base, Object[] args) {
        Object[] safeArgs = args == null ? new Object[0] : args;
        CallContext ctx = base;
        for (ContextCustomizer c : customizers) {
            ctx = c.customize(ctx, safeArgs);
        }
        return ctx;
    }

    @SuppressWarnings("unchecked")
    private static <A extends Annotation> int orderOf(AnnotationHandler<A> handler, Annotation a) {
        return handler.order((A) a);
    }

    @SuppressWarnings("unchecked")
    private static <A extends Annotation> Policy create(AnnotationHandler<A> handler, Annotation a, AnnotatedMethod m) {
        try {
            return Objects.requireNonNull(handler.create((A) a, m), () -> handler + " returned no policy");
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().contains(m.describe())) {
                throw e;
            }
            // a builder's own message names the field and value; add the method and annotation
            IllegalArgumentException named = m.invalid(a.annotationType().getSimpleName(), String.valueOf(e.getMessage()));
            named.initCause(e);
            throw named;
        }
    }

    @SuppressWarnings("unchecked")
    private static <A extends Annotation> ContextCustomizer customizer(AnnotationHandler<A> handler, Annotation a,
            AnnotatedMethod m) {
        return handler.contextCustomizer((A) a, m);
    }
}
