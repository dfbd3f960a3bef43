package dev.nines.fallback;

import dev.nines.internal.Validation;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.MetricsSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Configures a {@link Fallback}: exactly one source of the replacement ({@link #value},
 * {@link #function}, {@link #supplier}, {@link #callable} or {@link #asyncFunction}) and which
 * failures it handles. Not thread-safe; the fallback it builds is.
 */
public final class FallbackBuilder {

    private final String name;
    private FallbackFunction function;
    private boolean producesStage;
    private int sources;
    private final List<Class<? extends Throwable>> types = new ArrayList<>();
    private Predicate<Throwable> handleIf;
    private MetricsSink metrics;

    FallbackBuilder(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** Replaces a handled failure with {@code value} (may be {@code null}). */
    public FallbackBuilder value(Object value) {
        return source((failure, ctx) -> value, false);
    }

    /** Replaces a handled failure with what {@code function} computes from it. */
    public FallbackBuilder function(FallbackFunction function) {
        return source(Objects.requireNonNull(function, "function"), false);
    }

    /** Replaces a handled failure with what {@code supplier} returns. */
    public FallbackBuilder supplier(Supplier<?> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        return source((failure, ctx) -> supplier.get(), false);
    }

    /** Replaces a handled failure with the result of another call. */
    public FallbackBuilder callable(Callable<?> callable) {
        Objects.requireNonNull(callable, "callable");
        return source((failure, ctx) -> callable.call(), false);
    }

    /**
     * Replaces a handled failure with the outcome of another asynchronous call. The async path
     * completes with that stage; the sync path waits for it.
     */
    public FallbackBuilder asyncFunction(Function<Throwable, ? extends CompletionStage<?>> function) {
        Objects.requireNonNull(function, "asyncFunction");
        return source((failure, ctx) -> function.apply(failure), true);
    }

    /**
     * Handles only these failure types and their subtypes (adds to earlier calls); include
     * {@code RejectedCallException} to handle rejections. Default: every {@link Exception}.
     */
    @SafeVarargs
    public final FallbackBuilder handle(Class<? extends Throwable>... types) {
        for (Class<? extends Throwable> t : Objects.requireNonNull(types, "handle")) {
            this.types.add(Objects.requireNonNull(t, "handle element"));
        }
        return this;
    }

    /** Also handles failures matching {@code predicate}. */
    public FallbackBuilder handleIf(Predicate<Throwable> predicate) {
        this.handleIf = Objects.requireNonNull(predicate, "handleIf");
        return this;
    }

    /** The sink to report to. Default {@link Metrics#getDefault()} at build time. */
    public FallbackBuilder metrics(MetricsSink sink) {
        this.metrics = Objects.requireNonNull(sink, "metrics");
        return this;
    }

    /**
     * Builds the fallback.
     *
     * @throws IllegalArgumentException when no source or more than one was given, or the name is blank
     */
    public Fallback build() {
        new Validation().name(name)
                .check(sources == 1, "fallback source", "set exactly once (value, function, supplier, callable "
                        + "or asyncFunction)", "set " + sources + " times")
                .throwIfInvalid();
        return new Fallback(name, handlesPredicate(), function, producesStage,
                Metrics.resolve(metrics));
    }

    private FallbackBuilder source(FallbackFunction fn, boolean stage) {
        this.function = fn;
        this.producesStage = stage;
        this.sources++;
        return this;
    }

    private Predicate<Throwable> handlesPredicate() {
        if (types.isEmpty() && handleIf == null) {
            return t -> t instanceof Exception;
        }
        Class<?>[] classes = types.toArray(new Class<?>[0]);
        Predicate<Throwable> extra = handleIf;
        return t -> {
            for (Class<?> c : classes) {
                if (c.isInstance(t)) {
                    return true;
                }
            }
            return extra != null && extra.test(t);
        };
    }
}
