package dev.nines.fallback;

import dev.nines.FailureFilter;
import dev.nines.internal.PolicyWiring;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.MetricsSink;

/**
 * The validated, immutable settings of one {@link Fallback}, made by {@link FallbackBuilder#build()}
 * and returned by {@link Fallback#config()}. Every default is readable here and stated on its
 * getter. Derive changed settings with {@link Fallback#toBuilder()}. Immutable and thread-safe.
 */
public final class FallbackConfig {

    /** Name and sink, as resolved and as configured (for toBuilder()). */
    final PolicyWiring wiring;
    final FallbackFunction function;
    final boolean returnsStage;
    final FailureFilter failures;

    FallbackConfig(FallbackBuilder b, PolicyWiring wiring) {
        this.wiring = wiring;
        this.function = b.function;
        this.returnsStage = b.returnsStage;
        this.failures = b.failures;
    }

    /** The fallback's name, under which each replacement is reported. */
    public String name() {
        return wiring.name();
    }

    /**
     * The source of the replacement as a function of the failure: the {@code value},
     * {@code supplier}, {@code callable}, {@code function} or {@code asyncFunction} it was given.
     * No default: a fallback needs one.
     */
    public FallbackFunction function() {
        return function;
    }

    /** Whether {@link #function()} returns a {@link java.util.concurrent.CompletionStage} ({@code asyncFunction}). */
    public boolean returnsStage() {
        return returnsStage;
    }

    /**
     * Which outcomes are replaced: those judged {@link FailureFilter.Verdict#FAILURE}. Default
     * {@link FailureFilter#exceptions()}: every {@link Exception}, no {@link Error}, no result.
     */
    public FailureFilter failures() {
        return failures;
    }

    /**
     * The sink the fallback reports to (guarded): the one set, else {@link Metrics#getDefault()},
     * which forwards to the current default.
     */
    public MetricsSink metrics() {
        return wiring.metrics();
    }

    @Override
    public String toString() {
        return "FallbackConfig[name=" + name() + ", failures=" + failures + (returnsStage ? ", async" : "") + "]";
    }
}
