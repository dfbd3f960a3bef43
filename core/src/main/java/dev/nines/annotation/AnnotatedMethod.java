package dev.nines.annotation;

import dev.nines.Policy;
import dev.nines.Scheduler;
import dev.nines.Sleeper;
import dev.nines.Ticker;
import dev.nines.metrics.MetricsSink;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What an {@link AnnotationHandler} knows about the method it builds a policy for.
 *
 * <p><b>Which annotations apply.</b> A method is protected as a method of {@code type} (the proxied
 * interface, or the class of a web handler), whichever supertype declares it. Its annotations are,
 * for each annotation type, the first found in this order (see {@link #annotations()}):
 * <ol>
 * <li>on the method itself, then on each method it overrides or redeclares, nearest first;
 * <li>on {@code type}, then on each of its supertypes, nearest first.
 * </ol>
 * So a method's annotation wins over a type's, a subtype's over its supertype's, and a type-level
 * annotation covers every method of the type, inherited ones included. "Nearest first" is
 * breadth-first from {@code type}: a class, then its superclass, then the interfaces it implements
 * in declaration order, then their supertypes. Policies are named after {@code type}
 * ({@link #defaultPolicyName()}), so a method {@code m} that {@code interface Sub} inherits from
 * {@code Base} is {@code Sub.m}, overridable in the registry under that name.
 *
 * <p>Immutable and thread-safe (as far as its components are).
 *
 * @param type     the type the method is protected as a method of: the proxied interface or the
 *                 handler's class; {@code method}'s declaring class or a subtype of it
 * @param method   the annotated method (for a proxy, the interface method; it may be declared by a
 *                 supertype of {@code type})
 * @param target   the object the calls finally reach, or {@code null} if there is none (a fallback
 *                 handler looks up its fallback method on it)
 * @param registry shared, named policy instances: two methods naming the same breaker share it
 * @param metrics  the sink new policies report to
 * @param ticker   the time source new policies use
 * @param sleeper  how new synchronous policies wait (a retry's backoff); keeps the ticker's time
 * @param scheduler the timer of new asynchronous policies (async retries, timeouts); keeps the
 *                 ticker's time
 */
public record AnnotatedMethod(Class<?> type, Method method, Object target, PolicyRegistry registry,
        MetricsSink metrics, Ticker ticker, Sleeper sleeper, Scheduler scheduler) {

    /**
     * Checks that nothing but {@code target} is null.
     *
     * @throws IllegalArgumentException if {@code type} is not {@code method}'s declaring class or a
     *                                  subtype of it
     */
    public AnnotatedMethod {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(method, "method");
        if (!method.getDeclaringClass().isAssignableFrom(type)) {
            throw new IllegalArgumentException("type must be " + method.getDeclaringClass().getSimpleName()
                    + " or a subtype of it but was " + type.getName());
        }
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(ticker, "ticker");
        Objects.requireNonNull(sleeper, "sleeper");
        Objects.requireNonNull(scheduler, "scheduler");
    }

    /** A method protected as a method of the type that declares it. */
    public AnnotatedMethod(Method method, Object target, PolicyRegistry registry, MetricsSink metrics, Ticker ticker,
            Sleeper sleeper, Scheduler scheduler) {
        this(method.getDeclaringClass(), method, target, registry, metrics, ticker, sleeper, scheduler);
    }

    /**
     * A method protected as a method of the type that declares it, with the real clock's
     * {@link Sleeper#system()} and {@link Scheduler#system()}.
     */
    public AnnotatedMethod(Method method, Object target, PolicyRegistry registry, MetricsSink metrics, Ticker ticker) {
        this(method, target, registry, metrics, ticker, Sleeper.system(), Scheduler.system());
    }

    /** The method as people read it, as a method of {@link #type()}: {@code PaymentClient.charge(String, long)}. */
    public String describe() {
        return type.getSimpleName() + "." + method.getName()
                + Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName)
                        .collect(Collectors.joining(", ", "(", ")"));
    }

    /** A default policy name for this method, after {@link #type()}: {@code PaymentClient.charge}. */
    public String defaultPolicyName() {
        return type.getSimpleName() + "." + method.getName();
    }

    /**
     * The annotations in effect on this method, one per annotation type, by the precedence in the
     * class comment: the method's (and the methods it overrides') first, then those of
     * {@link #type()} and its supertypes. Every annotation is listed, nines' or not. Computed on
     * each call (this is read when a proxy or filter is built, not per invocation).
     *
     * @return an unmodifiable map from annotation type to the annotation that applies
     */
    public Map<Class<? extends Annotation>, Annotation> annotations() {
        List<Class<?>> hierarchy = hierarchy(type);
        Map<Class<? extends Annotation>, Annotation> result = new LinkedHashMap<>();
        for (Annotation a : method.getDeclaredAnnotations()) {
            result.putIfAbsent(a.annotationType(), a);
        }
        for (Class<?> t : hierarchy) {
            Method declared = declaredIn(t);
            if (declared != null) {
                for (Annotation a : declared.getDeclaredAnnotations()) {
                    result.putIfAbsent(a.annotationType(), a);
                }
            }
        }
        for (Class<?> t : hierarchy) {
            for (Annotation a : t.getDeclaredAnnotations()) {
                result.putIfAbsent(a.annotationType(), a);
            }
        }
        return Collections.unmodifiableMap(result);
    }

    /** The annotation of {@code annotationType} in effect on this method ({@link #annotations()}), or null. */
    public <A extends Annotation> A annotation(Class<A> annotationType) {
        Objects.requireNonNull(annotationType, "annotationType");
        return annotationType.cast(annotations().get(annotationType));
    }

    /** {@code start} and its supertypes, breadth-first: a class, its superclass, its interfaces; no Object. */
    private static List<Class<?>> hierarchy(Class<?> start) {
        Set<Class<?>> seen = new LinkedHashSet<>();
        Deque<Class<?>> queue = new ArrayDeque<>();
        queue.add(start);
        while (!queue.isEmpty()) {
            Class<?> c = queue.poll();
            if (c == Object.class || !seen.add(c)) {
                continue;
            }
            if (c.getSuperclass() != null) {
                queue.add(c.getSuperclass());
            }
            queue.addAll(Arrays.asList(c.getInterfaces()));
        }
        return new ArrayList<>(seen);
    }

    /** This method as {@code t} declares it (itself, an override or a redeclaration), or null. */
    private Method declaredIn(Class<?> t) {
        Method m;
        try {
            m = t.getDeclaredMethod(method.getName(), method.getParameterTypes());
        } catch (NoSuchMethodException e) {
            return null;
        }
        int modifiers = m.getModifiers();
        return Modifier.isStatic(modifiers) || Modifier.isPrivate(modifiers) || m.isBridge() ? null : m;
    }

    /**
     * The policy instance an annotation gets, by the one rule every handler follows. With a
     * {@code name}, the instance registered under it is shared, and when there is none the one
     * {@code factory} builds is registered so the next annotation naming it shares it. Without a
     * name (empty), an instance of {@code type} registered under {@link #defaultPolicyName()}
     * wins, so configuration in code can override an annotation; otherwise this method gets its
     * own. The default name is shared by every unnamed annotation on the method, so a registered
     * policy of another type (a breaker, when this is a retry) is not this annotation's and is
     * passed over.
     *
     * @throws IllegalArgumentException if {@code name} is given and holds a policy that is not a
     *                                  {@code type}
     */
    public <P extends Policy> P policy(String name, Class<P> type, Supplier<? extends P> factory) {
        if (!name.isEmpty()) {
            return registry.getOrCreate(name, type, factory);
        }
        return registry.find(defaultPolicyName(), type).orElseGet(factory);
    }

    /**
     * The policy registered under {@code name}, for an attribute that only <em>refers</em> to a
     * policy the annotation cannot configure (a shedder, a retry budget). A misspelt name must not
     * quietly build a second policy with defaults, so unless {@code create} is set a missing name
     * fails, naming the method, the attribute, the name and the names of that type that do exist;
     * with {@code create} the one {@code factory} builds is registered and shared.
     *
     * @param annotation the annotation's simple name, for the message ({@code WithPriority})
     * @param attribute  the attribute holding the name ({@code shedder})
     * @param optIn      the attribute that asks for creation, for the message ({@code createShedder})
     * @throws IllegalArgumentException if the name is missing and {@code create} is not set, or the
     *                                  name holds a policy of another type
     */
    public <P extends Policy> P registered(String annotation, String attribute, String name, Class<P> type,
            boolean create, String optIn, Supplier<? extends P> factory) {
        if (create) {
            return registry.getOrCreate(name, type, factory);
        }
        Optional<P> found = registry.find(name, type);
        if (found.isPresent()) {
            return found.get();
        }
        String what = registry.find(name, Policy.class).map(p -> "a " + p.getClass().getSimpleName())
                .orElse("not registered");
        throw invalid(annotation, attribute + " must name a " + type.getSimpleName() + " registered in the PolicyRegistry"
                + " but was '" + name + "', which is " + what + " (registered " + type.getSimpleName() + "s: "
                + registry.names(type) + "); register it, or set " + optIn + " = true to create it with defaults");
    }

    /**
     * An exception for an invalid annotation attribute, worded like every other configuration
     * error: {@code @WithRetry on PaymentClient.charge(String): maxAttempts must be >= 1 but was 0}.
     */
    public IllegalArgumentException invalid(String annotation, String attribute, Object value, String requirement) {
        return new IllegalArgumentException("@" + annotation + " on " + describe() + ": " + attribute + " "
                + requirement + " but was " + value);
    }

    /** Like {@link #invalid(String, String, Object, String)} for a message that is not about one value. */
    public IllegalArgumentException invalid(String annotation, String problem) {
        return new IllegalArgumentException("@" + annotation + " on " + describe() + ": " + problem);
    }
}
