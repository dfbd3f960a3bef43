package dev.nines.fallback.internal;

import dev.nines.annotation.Invocation;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.concurrent.CompletionStage;

/**
 * Checks a fallback's replacement against the result type the caller expects, where that type can
 * be known at run time: when the call is an {@link Invocation} (a proxied or filtered method), its
 * method's return type, or {@code X} of a {@code CompletionStage<X>} for an asynchronous call. A
 * lambda's result type is erased, so a call that is not an {@code Invocation} is not checked.
 *
 * <p>A mismatch fails with an {@link IllegalStateException} naming the fallback, the replacement's
 * type and the method's, before the value reaches the caller, instead of a
 * {@link ClassCastException} wherever the caller first uses it. Runs only when a fallback replaces a
 * failure, never on the success path. Stateless; thread-safe.
 */
final class ResultType {

    private ResultType() {
    }

    /**
     * Fails if {@code value}, the replacement fallback {@code name} produced for {@code call}, cannot
     * be what the invoked method returns (for the sync form) or what its stage completes with
     * ({@code async}).
     *
     * @throws IllegalStateException on a mismatch
     */
    static void check(Object value, Object call, boolean async, String name) {
        if (!(call instanceof Invocation invocation)) {
            return;
        }
        Method method = invocation.method();
        Class<?> expected = async ? stageElement(method) : method.getReturnType();
        if (expected == null || expected == void.class || expected == Void.class || expected == Object.class) {
            return;
        }
        boolean fits = value == null ? !expected.isPrimitive() : box(expected).isInstance(value);
        if (!fits) {
            String returns = async ? "CompletionStage<" + expected.getSimpleName() + ">" : expected.getSimpleName();
            String got = value == null ? "null" : "a " + value.getClass().getName() + " (" + value + ")";
            throw new IllegalStateException("fallback '" + name + "' replaced a failure of "
                    + method.getDeclaringClass().getSimpleName() + "." + method.getName() + " with " + got
                    + ", but the method returns " + returns);
        }
    }

    /** {@code X} of a method returning {@code CompletionStage<X>} (or a subtype), or null when it cannot be told. */
    private static Class<?> stageElement(Method method) {
        if (!CompletionStage.class.isAssignableFrom(method.getReturnType())
                || !(method.getGenericReturnType() instanceof ParameterizedType p)
                || p.getActualTypeArguments().length != 1) {
            return null;
        }
        Type t = p.getActualTypeArguments()[0];
        if (t instanceof WildcardType w && w.getUpperBounds().length == 1) {
            t = w.getUpperBounds()[0];
        }
        if (t instanceof ParameterizedType inner) {
            t = inner.getRawType();
        }
        return t instanceof Class<?> c ? c : null;
    }

    private static Class<?> box(Class<?> c) {
        if (!c.isPrimitive()) {
            return c;
        }
        return c == int.class ? Integer.class
                : c == long.class ? Long.class
                : c == boolean.class ? Boolean.class
                : c == double.class ? Double.class
                : c == float.class ? Float.class
                : c == short.class ? Short.class
                : c == byte.class ? Byte.class
                : Character.class;
    }
}
