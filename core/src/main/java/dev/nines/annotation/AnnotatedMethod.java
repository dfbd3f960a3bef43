package dev.nines.annotation;

import dev.nines.Policy;
import dev.nines.Scheduler;
import dev.nines.Sleeper;
import dev.nines.Ticker;
import dev.nines.metrics.MetricsSink;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What an {@link AnnotationHandler} knows about the method it builds a policy for.
 *
 * @param method   the annotated method (for a proxy, the interface method)
 * @param target   the object the calls finally reach, or {@code null} if there is none (a fallback
 *                 handler looks up its fallback method on it)
 * @param registry shared, named policy instances: two methods naming the same breaker share it
 * @param metrics  the sink new policies report to
 * @param ticker   the time source new policies use
 * @param sleeper  how new synchronous policies wait (a retry's backoff); keeps the ticker's time
 * @param scheduler the timer of new asynchronous policies (async retries, timeouts); keeps the
 *                 ticker's time
 */
public record AnnotatedMethod(Method method, Object target, PolicyRegistry registry, MetricsSink metrics,
        Ticker ticker, Sleeper sleeper, Scheduler scheduler) {

    /** Checks that nothing but {@code target} is null. */
    public AnnotatedMethod {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(ticker, "ticker");
        Objects.requireNonNull(sleeper, "sleeper");
        Objects.requireNonNull(scheduler, "scheduler");
    }

    /** With the real clock's {@link Sleeper#system()} and {@link Scheduler#system()}. */
    public AnnotatedMethod(Method method, Object target, PolicyRegistry registry, MetricsSink metrics, Ticker ticker) {
        this(method, target, registry, metrics, ticker, Sleeper.system(), Scheduler.system());
    }

    /** The method as people read it: {@code PaymentClient.charge(String, long)}. */
    public String describe() {
        return method.getDeclaringClass().getSimpleName() + "." + method.getName()
                + Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName)
                        .collect(Collectors.joining(", ", "(", ")"));
    }

    /** A default policy name for this method: {@code PaymentClient.charge}. */
    public String defaultPolicyName() {
        return method.getDeclaringClass().getSimpleName() + "." + method.getName();
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
     * An exception for an invalid annotation attribute, worded like every other configuration
     * error: {@code @Retry on PaymentClient.charge(String): maxAttempts must be >= 1 but was 0}.
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
