package dev.nines.fallback.internal;

import dev.nines.AsyncCall;
import dev.nines.CallContext;
import dev.nines.FailureFilter;
import dev.nines.Next;
import dev.nines.Policy;
import dev.nines.annotation.Invocation;
import dev.nines.fallback.FallbackFunction;
import dev.nines.metrics.MetricsSink;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;

/**
 * The policy behind {@link dev.nines.fallback.annotation.WithFallback @WithFallback}: calls a method of the
 * target with the invocation's arguments.
 *
 * <p>It reads the arguments from the call itself: the proxy's call is an {@link Invocation}, and
 * this policy is outermost, so it sees that call unwrapped. Thread-safe.
 */
final class MethodFallback implements Policy {

    private final String name;
    private final Object target;
    private final Method method;
    private final boolean passesFailure;
    private final boolean producesStage;
    private final FailureFilter failures;
    private final MetricsSink metrics;

    MethodFallback(String name, Object target, Method method, boolean passesFailure, boolean producesStage,
            FailureFilter failures, MetricsSink metrics) {
        this.name = name;
        this.target = target;
        this.method = method;
        this.passesFailure = passesFailure;
        this.producesStage = producesStage;
        this.failures = failures;
        this.metrics = metrics;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public <T> T execute(CallContext context, Callable<T> call, Next next) throws Exception {
        return FallbackRunner.runSync(context, call, next, failures, function(arguments(call)), producesStage, metrics,
                name);
    }

    @Override
    public <T> CompletionStage<T> executeAsync(CallContext context, AsyncCall<T> call, Next next) {
        return FallbackRunner.runAsync(context, call, next, failures, function(arguments(call)), producesStage,
                metrics, name);
    }

    private static Object[] arguments(Object call) {
        return call instanceof Invocation invocation ? invocation.arguments() : null;
    }

    private FallbackFunction function(Object[] args) {
        return (failure, ctx) -> {
            if (args == null) {
                throw new IllegalStateException(name + ": a method fallback runs only on calls made through an "
                        + "annotated proxy, outermost, where it can see the invocation's arguments");
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
