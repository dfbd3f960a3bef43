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
import java.util.concurrent.atomic.AtomicLong;
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
 * {@link Outcome#FALLBACK} (duration 0: a fallback does not time calls), under its name: give
 * one with {@link #builder(String)}; {@link #of(Object)} takes a fresh {@code fallback-N}.
 *
 * <p><b>Result types.</b> Java cannot check a fallback's value against the call's result type at
 * compile time: a {@link dev.nines.Pipeline} holds policies of every result type, and each call's
 * type is inferred from its own lambda, so {@code Fallback.of("PENDING")} in a pipeline whose call
 * returns {@code Integer} compiles. Where the call says its type at run time (a method of a
 * {@link dev.nines.annotation.NinesProxy} or web filter), a replacement of the wrong type fails
 * when it is made, with an {@link IllegalStateException} naming this fallback, the value's type and
 * the method's return type (the original failure suppressed). For a plain lambda the type is
 * erased: a value of the wrong type fails with {@link ClassCastException} where the caller uses
 * it. Cancelling the stage of {@link #executeAsync} cancels the call's stage inside
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

    /**
     * A fallback returning {@code value} for any {@link Exception}, with a fresh name:
     * {@code fallback-1}, {@code fallback-2}, … counting up from 1 as unnamed fallbacks are made,
     * so no two of them share a name in the metrics or the registry. Use
     * {@code builder(name).value(value)} for a name that says what it is and stays the same from
     * run to run.
     */
    public static Fallback of(Object value) {
        return builder(defaultName()).value(value).build();
    }

    /**
     * A fallback computing the result from the failure, for any {@link Exception}, with a fresh
     * name as {@link #of(Object)} has.
     */
    public static Fallback of(FallbackFunction function) {
        return builder(defaultName()).function(function).build();
    }

    /** {@code fallback-N}, N counting from 1 (a name given to a builder is not checked against it). */
    private static String defaultName() {
        return "fallback-" + UNNAMED.incrementAndGet();
    }

    private static final AtomicLong UNNAMED = new AtomicLong();

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
