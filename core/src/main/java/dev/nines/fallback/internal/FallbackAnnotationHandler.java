package dev.nines.fallback.internal;

import dev.nines.FailureFilter;
import dev.nines.Policy;
import dev.nines.annotation.AnnotatedMethod;
import dev.nines.annotation.AnnotationHandler;
import dev.nines.annotation.PipelineOrder;
import dev.nines.fallback.annotation.WithFallback;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * Finds and checks the fallback method of {@link WithFallback @WithFallback} when the proxy is created:
 * a missing method or an unfit return type fails then, naming the method and the attribute.
 * Registered through {@code META-INF/services}; thread-safe.
 */
public final class FallbackAnnotationHandler implements AnnotationHandler<WithFallback> {

    private static final String ANNOTATION = "WithFallback";

    @Override
    public Class<WithFallback> annotationType() {
        return WithFallback.class;
    }

    @Override
    public int order(WithFallback annotation) {
        return PipelineOrder.FALLBACK;
    }

    @Override
    public Policy create(WithFallback a, AnnotatedMethod m) {
        Object target = m.target();
        if (target == null) {
            throw m.invalid(ANNOTATION, "method " + a.method() + " needs a target object to call, and there is none");
        }
        // the failure parameter of the fallback method must accept every failure type it can see
        Class<?>[] handled = a.failures().length == 0 ? new Class<?>[] {Exception.class} : a.failures().clone();
        Class<?>[] params = m.method().getParameterTypes();
        Method plain = find(target.getClass(), a.method(), params);
        Method chosen = findWithFailure(target.getClass(), a.method(), params, handled);
        if (chosen == null) {
            chosen = plain;
        }
        if (chosen == null) {
            String list = Arrays.stream(params).map(Class::getSimpleName).collect(Collectors.joining(", "));
            throw m.invalid(ANNOTATION, "method", "'" + a.method() + "'", "must name a method of "
                    + target.getClass().getSimpleName() + " taking (" + list + ") or (" + list
                    + (params.length == 0 ? "" : ", ") + "Throwable)");
        }
        Class<?> wanted = m.method().getReturnType();
        boolean async = CompletionStage.class.isAssignableFrom(wanted);
        if (!wrap(wanted).isAssignableFrom(wrap(chosen.getReturnType()))
                || (wanted == void.class) != (chosen.getReturnType() == void.class)) {
            throw m.invalid(ANNOTATION, "method", "'" + a.method() + "' returning "
                    + chosen.getReturnType().getSimpleName(), "must return " + wanted.getSimpleName()
                    + (wanted.isPrimitive() ? "" : " or a subtype"));
        }
        chosen.setAccessible(true);
        FailureFilter on = a.failures().length == 0 ? FailureFilter.exceptions() : FailureFilter.on(a.failures());
        FailureFilter failures = a.ignored().length == 0 ? on : on.ignoring(a.ignored());
        return new MethodFallback(m.defaultPolicyName() + ".fallback", target, chosen,
                chosen.getParameterCount() == params.length + 1, async, failures, m.metrics());
    }

    private static Method find(Class<?> type, String name, Class<?>[] params) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Method found = c.getDeclaredMethod(name, params);
                if (!Modifier.isStatic(found.getModifiers())) {
                    return found;
                }
            } catch (NoSuchMethodException e) {
                // look in the superclass
            }
        }
        return null;
    }

    /** A method taking {@code params} plus a last parameter that accepts every handled failure type. */
    private static Method findWithFailure(Class<?> type, String name, Class<?>[] params, Class<?>[] on) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Method candidate : c.getDeclaredMethods()) {
                Class<?>[] p = candidate.getParameterTypes();
                if (candidate.getName().equals(name) && !Modifier.isStatic(candidate.getModifiers())
                        && p.length == params.length + 1 && Arrays.equals(Arrays.copyOf(p, params.length), params)
                        && acceptsAll(p[params.length], on)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    private static boolean acceptsAll(Class<?> param, Class<?>[] on) {
        for (Class<?> c : on) {
            if (!param.isAssignableFrom(c)) {
                return false;
            }
        }
        return true;
    }

    private static Class<?> wrap(Class<?> c) {
        if (!c.isPrimitive()) {
            return c;
        }
        if (c == int.class) {
            return Integer.class;
        }
        if (c == long.class) {
            return Long.class;
        }
        if (c == boolean.class) {
            return Boolean.class;
        }
        if (c == double.class) {
            return Double.class;
        }
        if (c == float.class) {
            return Float.class;
        }
        if (c == short.class) {
            return Short.class;
        }
        if (c == byte.class) {
            return Byte.class;
        }
        if (c == char.class) {
            return Character.class;
        }
        return Void.class;
    }
}
