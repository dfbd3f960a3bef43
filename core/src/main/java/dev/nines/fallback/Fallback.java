package dev.nines.fallback;

import dev.nines.AsyncCall;
import dev.nines.CallContext;
import dev.nines.Next;
import dev.nines.Policy;
import dev.nines.fallback.internal.FallbackRunner;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.Outcome;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * Replaces a failure with a result: a fixed value, a function of the failure, another call, or
 * (for asynchronous calls) another stage. Put it outermost to see the final failure, rejections
 * included: {@code Pipeline.of(fallback, retry, breaker)}.
 *
 * <pre>{@code
 * Fallback cached = Fallback.builder("quote-cache")
 *         .handle(IOException.class, RejectedCallException.class)
 *         .function((failure, ctx) -> cache.lastQuote())
 *         .build();
 * }</pre>
 *
 * <p>By default every {@link Exception} is handled and {@link Error}s pass through; list
 * {@link Error} types in {@link FallbackBuilder#handle} to handle them too. Reports to its sink
 * with kind {@link dev.nines.metrics.PolicyKinds#FALLBACK}. A fallback that throws
 * surfaces its own exception with the original failure suppressed. Each replacement reports
 * {@link Outcome#FALLBACK} (duration 0: a fallback does not time calls). The result is not
 * type-checked: a fallback value of the wrong type fails with {@link ClassCastException} where the
 * caller uses it. Cancelling the stage of {@link #executeAsync} cancels the call's stage inside
 * (or the fallback's own stage, once it runs), so every permit held inside is given back; a
 * cancel is never replaced with a fallback. Immutable and thread-safe.
 */
public final class Fallback implements Policy {

    private final String name;
    private final Predicate<Throwable> handles;
    private final FallbackFunction function;
    private final boolean producesStage;
    private final MetricsSink metrics;

    Fallback(String name, Predicate<Throwable> handles, FallbackFunction function, boolean producesStage,
            MetricsSink metrics) {
        this.name = name;
        this.handles = handles;
        this.function = function;
        this.producesStage = producesStage;
        this.metrics = metrics;
    }

    /** Starts configuring a fallback named {@code name}. */
    public static FallbackBuilder builder(String name) {
        return new FallbackBuilder(name);
    }

    /** A fallback named "fallback" returning {@code value} for any {@link Exception}. */
    public static Fallback of(Object value) {
        return builder("fallback").value(value).build();
    }

    /** A fallback named "fallback" computing the result from the failure, for any {@link Exception}. */
    public static Fallback of(FallbackFunction function) {
        return builder("fallback").function(function).build();
    }

    @Override
    public String name() {
        return name;
    }

    /** Whether this fallback replaces {@code failure}. */
    public boolean handles(Throwable failure) {
        return handles.test(failure);
    }

    @Override
    public <T> T execute(CallContext context, Callable<T> call, Next next) throws Exception {
        return FallbackRunner.runSync(context, call, next, handles, function, producesStage, metrics, name);
    }

    @Override
    public <T> CompletionStage<T> executeAsync(CallContext context, AsyncCall<T> call, Next next) {
        return FallbackRunner.runAsync(context, call, next, handles, function, producesStage, metrics, name);
    }

    @Override
    public String toString() {
        return "Fallback[" + name + "]";
    }
}
