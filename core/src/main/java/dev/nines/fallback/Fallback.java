package dev.nines.fallback;

import dev.nines.AsyncCall;
import dev.nines.CallContext;
import dev.nines.FailureFilter;
import dev.nines.Next;
import dev.nines.Policy;
import dev.nines.fallback.internal.FallbackRunner;
import dev.nines.internal.Names;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.Outcome;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;

/**
 * Replaces a failure with a result: a fixed value, a function of the failure, another call, or
 * (for asynchronous calls) another stage. Put it outermost to see the final failure, rejections
 * included: {@code Pipeline.of(fallback, retry, breaker)}.
 *
 * <pre>{@code
 * Fallback cached = Fallback.builder("quote-cache")
 *         .failures(FailureFilter.on(IOException.class, RejectedCallException.class))
 *         .function((failure, ctx) -> cache.lastQuote())
 *         .build();
 * }</pre>
 *
 * <p>A {@link FailureFilter} ({@link FallbackBuilder#failures}) says what is replaced: an
 * exception or a result it judges a failure; an ignored outcome, or one it does not count as a
 * failure, passes through unchanged. By default every {@link Exception} is replaced and
 * {@link Error}s and results pass through; list {@link Error} types in the filter to replace them
 * too. A predicate of the filter that throws makes the outcome a failure, which is replaced (the
 * filter's rule). Every setting is readable on {@link #config()}. Reports to its sink
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

    private final FallbackConfig config;
    private final String name;
    private final FailureFilter failures;
    private final FallbackFunction function;
    private final boolean producesStage;
    private final MetricsSink metrics;

    Fallback(FallbackConfig c) {
        this.config = c;
        this.name = c.name();
        this.failures = c.failures;
        this.function = c.function;
        this.producesStage = c.returnsStage;
        this.metrics = c.metrics();
    }

    /** Starts configuring a fallback named {@code name}. */
    public static FallbackBuilder builder(String name) {
        return new FallbackBuilder(name);
    }

    /**
     * A builder holding this fallback's settings, to derive another one; a source given to it
     * replaces this one's. What was never set stays unset: without a sink of its own, the derived
     * fallback reports to {@link dev.nines.metrics.Metrics#getDefault()}, the forwarding default.
     */
    public FallbackBuilder toBuilder() {
        return new FallbackBuilder(config);
    }

    /** The settings this fallback was built with. */
    public FallbackConfig config() {
        return config;
    }

    /**
     * A fallback returning {@code value} for any {@link Exception}, with a fresh name:
     * {@code fallback-1}, {@code fallback-2}, … counting up from 1 as unnamed fallbacks are made,
     * so no two of them share a name in the metrics or the registry. Use
     * {@code builder(name).value(value)} for a name that says what it is and stays the same from
     * run to run.
     */
    public static Fallback of(Object value) {
        return builder(Names.fresh("fallback")).value(value).build();
    }

    /**
     * A fallback computing the result from the failure, for any {@link Exception}, with a fresh
     * name as {@link #of(Object)} has.
     */
    public static Fallback of(FallbackFunction function) {
        return builder(Names.fresh("fallback")).function(function).build();
    }

    @Override
    public String name() {
        return name;
    }

    /** Whether this fallback replaces {@code failure}: whether its filter judges it a failure. */
    public boolean handles(Throwable failure) {
        return failures.judge(failure) == FailureFilter.Verdict.FAILURE;
    }

    @Override
    public <T> T execute(CallContext context, Callable<T> call, Next next) throws Exception {
        return FallbackRunner.runSync(context, call, next, failures, function, producesStage, metrics, name);
    }

    @Override
    public <T> CompletionStage<T> executeAsync(CallContext context, AsyncCall<T> call, Next next) {
        return FallbackRunner.runAsync(context, call, next, failures, function, producesStage, metrics, name);
    }

    @Override
    public String toString() {
        return "Fallback[" + name + "]";
    }
}
