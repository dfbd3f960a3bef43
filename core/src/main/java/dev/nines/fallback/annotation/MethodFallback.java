package dev.nines.fallback.annotation;

import dev.nines.AsyncCall;
import dev.nines.CallContext;
import dev.nines.Next;
import dev.nines.Policy;
import dev.nines.fallback.FallbackFunction;
import dev.nines.fallback.internal.FallbackRunner;
import dev.nines.metrics.MetricsSink;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * The policy behind {@link Fallback @Fallback}: calls a method of the target with the
 * invocation's arguments.
 *
 * <p>The policy SPI carries no arguments, so the handler's context step hands them over through
 * a thread-local just before the pipeline starts, and this policy, outermost, takes them at once
 * on the same thread. Thread-safe.
 */
final class MethodFallback implements Policy {

    private final String name;
    private final Object target;
    private final Method method;
    private final boolean passesFailure;
    private final boolean producesStage;
    private final Predicate<Throwable> handles;
    private final MetricsSink metrics;
    private final ThreadLocal<Object[]> pending = new ThreadLocal<>();

    MethodFallback(String name, Object target, Method method, boolean passesFailure, boolean producesStage,
            Predicate<Throwable> handles, MetricsSink metrics) {
        this.name = name;
        this.target = target;
        this.method = method;
        this.passesFailure = passesFailure;
        this.producesStage = producesStage;
        this.handles = handles;
        this.metrics = metrics;
    }

    /** Hands the invocation's arguments to the next run on this thread. */
    CallContext stash(CallContext context, Object[] args) {
        pending.set(args);
        return context;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public <T> T execute(CallContext context, Callable<T> call, Next next) throws Exception {
        return FallbackRunner.runSync(context, call, next, handles, function(take()), producesStage, metrics, name);
    }

    @Override
    public <T> CompletionStage<T> executeAsync(CallContext context, AsyncCall<T> call, Next next) {
        return FallbackRunner.runAsync(context, call, next, handles, function(take()), producesStage, metrics, name);
    }

    private Object[] take() {
        Object[] args = pending.get();
        pending.remove();
        return args;
    }

    private FallbackFunction function(Object[] args) {
        return (failure, ctx) -> {
            if (args == null) {
                throw new IllegalStateException(name + ": the invocation's arguments did not reach the fallback "
                        + "(was the pipeline started on another thread?)");
            }
            Object[] actual = args;
            if (passesFailure) {
                actual = Arrays.copyOf(args, args.length + 1);
                actual[args.length] = failure;
            }
            try {
                return method.invoke(target, actual);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Exception) {
                    throw (Exception) cause;
                }
                throw (Error) cause;
            }
        };
    }

    @Override
    public String toString() {
        return "MethodFallback[" + name + " -> " + method.getName() + "]";
    }
}
