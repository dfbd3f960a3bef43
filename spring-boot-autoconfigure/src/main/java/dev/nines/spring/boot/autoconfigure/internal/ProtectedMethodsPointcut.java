package dev.nines.spring.boot.autoconfigure.internal;

import java.lang.reflect.Method;
import java.util.Objects;
import java.util.Set;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.StaticMethodMatcherPointcut;

/**
 * Matches the methods of one bean class that have nines policies. Equal to another for the same
 * class and methods, so Spring reuses the generated CGLIB proxy class across application contexts
 * (a pointcut without {@code equals} makes it generate, and keep, a new class per context).
 * Immutable and thread-safe.
 */
final class ProtectedMethodsPointcut extends StaticMethodMatcherPointcut {

    private final Class<?> targetClass;
    private final Set<Method> methods;

    ProtectedMethodsPointcut(Class<?> targetClass, Set<Method> methods) {
        this.targetClass = targetClass;
        this.methods = Set.copyOf(methods);
    }

    @Override
    public boolean matches(Method method, Class<?> type) {
        return methods.contains(method) || methods.contains(AopUtils.getMostSpecificMethod(method, targetClass));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProtectedMethodsPointcut p && p.targetClass == targetClass && p.methods.equals(methods);
    }

    @Override
    public int hashCode() {
        return Objects.hash(targetClass, methods);
    }

    @Override
    public String toString() {
        return "nines methods of " + targetClass.getName() + methods;
    }
}
