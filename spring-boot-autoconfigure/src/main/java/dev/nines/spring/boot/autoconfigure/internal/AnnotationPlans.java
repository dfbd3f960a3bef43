package dev.nines.spring.boot.autoconfigure.internal;

import dev.nines.Pipeline;
import dev.nines.Scheduler;
import dev.nines.Sleeper;
import dev.nines.Ticker;
import dev.nines.annotation.AnnotatedMethod;
import dev.nines.annotation.AnnotationHandler;
import dev.nines.annotation.MethodPolicies;
import dev.nines.annotation.PolicyAnnotation;
import dev.nines.annotation.PolicyRegistry;
import dev.nines.metrics.MetricsSink;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Finds the methods of a bean class that carry nines annotations and builds each one's pipeline
 * once, with {@link MethodPolicies} exactly as {@link dev.nines.annotation.NinesProxy} does (same
 * annotation precedence, same handlers, same registry rules), for the bean's class rather than an
 * interface. Thread-safe: immutable after construction.
 */
final class AnnotationPlans {

    /** The action printed under an annotation failure. */
    static final String ACTION = "Correct the annotation named above; its attributes and the policy names it"
            + " may refer to are described in the nines README.";

    private final Map<Class<? extends Annotation>, AnnotationHandler<?>> handlers;
    private final Supplier<PolicyRegistry> registry;
    private final Supplier<MetricsSink> metrics;

    /**
     * Plans built with {@code handlers}; the registry and sink are asked for when the first
     * annotated bean is found, so examining the beans they depend on does not need them.
     */
    AnnotationPlans(Map<Class<? extends Annotation>, AnnotationHandler<?>> handlers, Supplier<PolicyRegistry> registry,
            Supplier<MetricsSink> metrics) {
        this.handlers = Map.copyOf(handlers);
        this.registry = registry;
        this.metrics = metrics;
    }

    /**
     * Whether a nines annotation (one with a handler, or any {@link PolicyAnnotation}) is on
     * {@code type}, a supertype, or a public method of them.
     */
    boolean isCandidate(Class<?> type) {
        if (!AnnotationUtils.isCandidateClass(type, handlers.keySet())) {
            return false;
        }
        for (Class<?> t = type; t != null && t != Object.class; t = t.getSuperclass()) {
            if (ours(t.getDeclaredAnnotations())) {
                return true;
            }
            for (Class<?> i : ClassUtils.getAllInterfacesForClassAsSet(t)) {
                if (ours(i.getDeclaredAnnotations()) || anyMethod(i)) {
                    return true;
                }
            }
            if (anyMethod(t)) {
                return true;
            }
        }
        return false;
    }

    private boolean anyMethod(Class<?> t) {
        for (Method m : t.getDeclaredMethods()) {
            if (ours(m.getDeclaredAnnotations())) {
                return true;
            }
        }
        return false;
    }

    private boolean ours(Annotation[] annotations) {
        for (Annotation a : annotations) {
            Class<? extends Annotation> type = a.annotationType();
            if (handlers.containsKey(type) || type.isAnnotationPresent(PolicyAnnotation.class)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The plan of every public method of {@code type} that has policies, keyed by method.
     *
     * @throws NinesConfigurationException naming the method and attribute of an invalid annotation
     */
    Map<Method, Plan> plans(Class<?> type, Object target) {
        PolicyRegistry registry = this.registry.get();
        MetricsSink metrics = this.metrics.get();
        Map<Method, Plan> plans = new LinkedHashMap<>();
        Method[] methods = ReflectionUtils.getUniqueDeclaredMethods(type,
                m -> m.getDeclaringClass() != Object.class && !Modifier.isStatic(m.getModifiers())
                        && Modifier.isPublic(m.getModifiers()) && !m.isBridge() && !m.isSynthetic());
        for (Method m : methods) {
            AnnotatedMethod annotated = new AnnotatedMethod(type, m, target, registry, metrics, Ticker.system(),
                    Sleeper.system(), Scheduler.system());
            if (!hasPolicyAnnotation(annotated)) {
                continue;
            }
            if (Modifier.isFinal(m.getModifiers())) {
                throw new NinesConfigurationException("nines annotations", annotated.describe()
                        + ": must not be final to be protected by nines (a proxy cannot intercept it) but was final",
                        ACTION, null);
            }
            MethodPolicies policies;
            try {
                policies = MethodPolicies.of(annotated, handlers);
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new NinesConfigurationException("nines annotations", e.getMessage(), ACTION, e);
            }
            if (policies.isEmpty()) {
                continue;
            }
            Class<?> returns = m.getReturnType();
            plans.put(m, new Plan(policies, policies.pipeline().withMetrics(metrics, Ticker.system()),
                    annotated.describe(), returns == CompletionStage.class || returns == CompletableFuture.class,
                    returns == CompletableFuture.class, declaresInterrupt(m)));
        }
        return plans;
    }

    private boolean hasPolicyAnnotation(AnnotatedMethod m) {
        return ours(m.annotations().values().toArray(new Annotation[0]));
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
     * What the interceptor does for one method.
     *
     * @param policies          the method's policies and context steps
     * @param pipeline          the policies, reporting one request event per call
     * @param description       the method as messages name it
     * @param async             whether the method returns a {@link CompletionStage}
     * @param future            whether it returns a {@link CompletableFuture}
     * @param declaresInterrupt whether the method may throw {@link InterruptedException} as it is
     */
    record Plan(MethodPolicies policies, Pipeline pipeline, String description, boolean async, boolean future,
            boolean declaresInterrupt) {
        /** No plan: a method without policies, remembered so it is looked up once. */
        static final Plan NONE = new Plan(null, null, "none", false, false, false);
    }
}
