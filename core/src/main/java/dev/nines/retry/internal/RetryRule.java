package dev.nines.retry.internal;

import dev.nines.FailureFilter;
import dev.nines.internal.Exceptions;

/**
 * Decides whether an attempt's outcome is worth another attempt, reading the
 * {@link FailureFilter} of a {@link dev.nines.retry.Retry}: an exception or a result it judges
 * {@link FailureFilter.Verdict#FAILURE} is retried; an {@link FailureFilter.Verdict#IGNORED} or
 * {@link FailureFilter.Verdict#SUCCESS} one is not. An {@link InterruptedException} (looked for
 * through the wrappers the filter looks through) is never retried. A filter predicate that throws
 * makes the outcome a failure (the filter's rule); only a {@link VirtualMachineError} gets out.
 * Immutable and thread-safe if the filter's predicates are. Not part of the public API.
 */
public final class RetryRule {

    private final FailureFilter failures;

    /** Retries what {@code failures} judges a failure. */
    public RetryRule(FailureFilter failures) {
        this.failures = failures;
    }

    /**
     * Whether this outcome of an attempt is worth another attempt: {@code failure} when not
     * {@code null}, else {@code result}.
     */
    public boolean shouldRetry(Object result, Throwable failure) {
        if (failure == null) {
            return failures.judgeResult(result) == FailureFilter.Verdict.FAILURE;
        }
        return !(Exceptions.unwrap(failure) instanceof InterruptedException)
                && failures.judge(failure) == FailureFilter.Verdict.FAILURE;
    }
}
