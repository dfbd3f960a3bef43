package dev.nines.circuitbreaker.internal;

import dev.nines.internal.Exceptions;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a call's exception or result counts as a failure, a success, or not at all.
 *
 * <p>For an exception: ignored if the ignore predicate matches; a failure if the record predicate
 * matches or it is an {@link Error}; otherwise a success (the dependency answered, with an
 * exception the user said is not about its health). For a result: ignored if the ignore-result
 * predicate matches; a failure if the failure-result predicate matches; else a success.
 * {@link CompletionException} and {@link ExecutionException} wrappers are looked through. A {@link CancellationException} is always ignored: a cancelled call
 * says nothing about the dependency.
 *
 * <p>A predicate that throws (anything, {@code AssertionError} included) does not break the call:
 * the call then counts as a failure and the problem is logged once. Only a
 * {@link VirtualMachineError} (out of memory, stack overflow) gets out; the breaker still settles
 * the call's permit, as a failure, before passing it on.
 *
 * <p>Immutable; thread-safe if the predicates are.
 */
public final class FailureClassifier {

    private static final Logger LOG = LoggerFactory.getLogger(FailureClassifier.class);

    /** The call counts as a success. */
    public static final int SUCCESS = 0;
    /** The call counts as a failure. */
    public static final int FAILURE = 1;
    /** The call is not counted. */
    public static final int IGNORED = 2;

    private final Predicate<Throwable> record;
    private final Predicate<Throwable> ignore;
    private final Predicate<Object> failureResult;
    private final Predicate<Object> ignoreResult;
    private final AtomicBoolean logged = new AtomicBoolean();

    /**
     * @param record        which exceptions are failures
     * @param ignore        which exceptions are not counted (checked first)
     * @param failureResult which results are failures, or {@code null} when no result is
     * @param ignoreResult  which results are not counted (checked first), or {@code null} for none
     */
    public FailureClassifier(Predicate<Throwable> record, Predicate<Throwable> ignore, Predicate<Object> failureResult,
            Predicate<Object> ignoreResult) {
        this.record = record;
        this.ignore = ignore;
        this.failureResult = failureResult;
        this.ignoreResult = ignoreResult;
    }

    /** {@link #SUCCESS}, {@link #FAILURE} or {@link #IGNORED} for a thrown exception. */
    public int classify(Throwable thrown) {
        Throwable t = Exceptions.unwrap(thrown);
        try {
            if (t instanceof CancellationException || ignore.test(t)) {
                return IGNORED;
            }
            return record.test(t) || t instanceof Error ? FAILURE : SUCCESS;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            return predicateFailed(e);
        }
    }

    /** {@link #SUCCESS}, {@link #FAILURE} or {@link #IGNORED} for a returned result. */
    public int classifyResult(Object result) {
        if (failureResult == null && ignoreResult == null) {
            return SUCCESS;
        }
        try {
            if (ignoreResult != null && ignoreResult.test(result)) {
                return IGNORED;
            }
            return failureResult != null && failureResult.test(result) ? FAILURE : SUCCESS;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            return predicateFailed(e);
        }
    }

    private int predicateFailed(Throwable e) {
        if (logged.compareAndSet(false, true)) {
            LOG.warn("nines: a circuit breaker failure predicate threw; counting such calls as failures", e);
        }
        return FAILURE;
    }
}
