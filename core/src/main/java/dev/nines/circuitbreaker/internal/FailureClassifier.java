package dev.nines.circuitbreaker.internal;

import dev.nines.FailureFilter;
import dev.nines.internal.Exceptions;
import java.util.concurrent.CancellationException;

/**
 * The breaker's reading of a {@link FailureFilter}: the filter's verdict on a call's exception or
 * result, plus the two rules of every circuit breaker. A {@link CancellationException} (looked for
 * through {@link java.util.concurrent.CompletionException} and
 * {@link java.util.concurrent.ExecutionException} wrappers) is always ignored: a cancelled call
 * says nothing about the dependency. An {@link Error} the filter does not ignore is always a
 * failure, whatever else it says.
 *
 * <p>A filter predicate that throws makes the call a failure (the filter's rule, logged once by
 * the filter); only a {@link VirtualMachineError} gets out, and the breaker still settles the
 * call's permit, as a failure, before passing it on. Immutable; thread-safe if the filter's
 * predicates are. Not part of the public API.
 */
public final class FailureClassifier {

    /** The call counts as a success. */
    public static final int SUCCESS = 0;
    /** The call counts as a failure. */
    public static final int FAILURE = 1;
    /** The call is not counted. */
    public static final int IGNORED = 2;

    private final FailureFilter filter;

    /** Judges with {@code filter}, adding the breaker's rules. */
    public FailureClassifier(FailureFilter filter) {
        this.filter = filter;
    }

    /** {@link #SUCCESS}, {@link #FAILURE} or {@link #IGNORED} for a thrown exception. */
    public int classify(Throwable thrown) {
        Throwable t = Exceptions.unwrap(thrown);
        if (t instanceof CancellationException) {
            return IGNORED;
        }
        switch (filter.judge(t)) {
            case IGNORED:
                return IGNORED;
            case FAILURE:
                return FAILURE;
            default:
                return t instanceof Error ? FAILURE : SUCCESS;
        }
    }

    /** {@link #SUCCESS}, {@link #FAILURE} or {@link #IGNORED} for a returned result. */
    public int classifyResult(Object result) {
        switch (filter.judgeResult(result)) {
            case IGNORED:
                return IGNORED;
            case FAILURE:
                return FAILURE;
            default:
                return SUCCESS;
        }
    }
}
