package dev.nines.fallback;

import dev.nines.FailureFilter;
import dev.nines.internal.PolicyBuilder;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Configures a {@link Fallback}: exactly one source of the replacement ({@link #value},
 * {@link #function}, {@link #supplier}, {@link #callable} or {@link #asyncFunction}) and which
 * outcomes it replaces ({@link #failures}). Setters only store (rejecting {@code null} at once);
 * {@link #build()} checks, naming each bad field with its value.
 *
 * <p>Its name and {@link #metrics(dev.nines.metrics.MetricsSink) metrics} sink are kept as every
 * nines builder keeps them: what was never set stays unset, also on a {@link Fallback#toBuilder()}
 * copy, and resolves to its default at each {@code build()}. A fallback reads no clock, so the
 * {@link #ticker(dev.nines.Ticker) ticker} it shares with every builder is not used. On a
 * {@code toBuilder()} copy a new source replaces the one copied.
 *
 * <p>Not thread-safe; the fallback it builds is.
 */
@SuppressWarnings("exports") // the shared base is internal; its public setters are this builder's API
public final class FallbackBuilder extends PolicyBuilder<FallbackBuilder> {

    FallbackFunction function;
    boolean returnsStage;
    /** Sources set on this builder; one copied by toBuilder() is replaced, not counted. */
    private int sources;
    FailureFilter failures = FailureFilter.exceptions();

    FallbackBuilder(String name) {
        super(name);
    }

    FallbackBuilder(FallbackConfig c) {
        super(c.wiring);
        this.function = c.function;
        this.returnsStage = c.returnsStage;
        this.failures = c.failures;
    }

    /** Replaces a failure with {@code value} (may be {@code null}). */
    public FallbackBuilder value(Object value) {
        return source((failure, ctx) -> value, false);
    }

    /**
     * Replaces a failure with what {@code function} computes from it (the failure is {@code null}
     * when the call returned a result that {@link #failures} judges a failure).
     */
    public FallbackBuilder function(FallbackFunction function) {
        return source(Objects.requireNonNull(function, "function"), false);
    }

    /** Replaces a failure with what {@code supplier} returns. */
    public FallbackBuilder supplier(Supplier<?> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        return source((failure, ctx) -> supplier.get(), false);
    }

    /** Replaces a failure with the result of another call. */
    public FallbackBuilder callable(Callable<?> callable) {
        Objects.requireNonNull(callable, "callable");
        return source((failure, ctx) -> callable.call(), false);
    }

    /**
     * Replaces a failure with the outcome of another asynchronous call. The async path completes
     * with that stage; the sync path waits for it.
     */
    public FallbackBuilder asyncFunction(Function<Throwable, ? extends CompletionStage<?>> function) {
        Objects.requireNonNull(function, "asyncFunction");
        return source((failure, ctx) -> function.apply(failure), true);
    }

    /**
     * Which outcomes are replaced: an exception or a result the filter judges a
     * {@link FailureFilter.Verdict#FAILURE} (a result through {@link FailureFilter#failingResults},
     * such as an empty answer; the source then sees a {@code null} failure). An
     * {@link FailureFilter.Verdict#IGNORED} or {@link FailureFilter.Verdict#SUCCESS} outcome passes
     * through unchanged; so does a cancellation, always. List
     * {@code RejectedCallException} to replace rejections, {@link Error} types to replace errors.
     * Default {@link FailureFilter#exceptions()}: every {@link Exception}, no {@link Error}, no result.
     */
    public FallbackBuilder failures(FailureFilter failures) {
        this.failures = Objects.requireNonNull(failures, "failures");
        return this;
    }

    /**
     * Builds the fallback.
     *
     * @throws IllegalArgumentException when no source or more than one was given, or the name is blank
     */
    public Fallback build() {
        validation()
                .check(sources == 1 || (sources == 0 && function != null), "fallback source",
                        "set exactly once (value, function, supplier, callable or asyncFunction)",
                        "set " + sources + " times")
                .throwIfInvalid();
        return new Fallback(new FallbackConfig(this, wiring()));
    }

    private FallbackBuilder source(FallbackFunction fn, boolean stage) {
        this.function = fn;
        this.returnsStage = stage;
        this.sources++;
        return this;
    }
}
