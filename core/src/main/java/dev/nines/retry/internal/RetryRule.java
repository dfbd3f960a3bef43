package dev.nines.retry.internal;

import java.util.function.Predicate;

/**
 * Decides whether an attempt's outcome is worth another attempt: the {@code retryOn},
 * {@code abortOn}, {@code retryIf}, {@code abortIf} and {@code retryIfResult} settings of a
 * {@link dev.nines.retry.Retry}. {@link InterruptedException} is never retried; without
 * {@code retryOn} or {@code retryIf}, any {@link Exception} is. Immutable and thread-safe if the
 * predicates are. Not part of the public API.
 */
public final class RetryRule {

    private final Class<?>[] retryOn;
    private final Class<?>[] abortOn;
    private final Predicate<? super Throwable> retryIf;
    private final Predicate<? super Throwable> abortIf;
    private final Predicate<Object> retryIfResult;

    /** Any argument but the arrays may be {@code null} for "not set"; the arrays are not copied. */
    public RetryRule(Class<?>[] retryOn, Class<?>[] abortOn, Predicate<? super Throwable> retryIf,
            Predicate<? super Throwable> abortIf, Predicate<Object> retryIfResult) {
        this.retryOn = retryOn;
        this.abortOn = abortOn;
        this.retryIf = retryIf;
        this.abortIf = abortIf;
        this.retryIfResult = retryIfResult;
    }

    /**
     * Whether this outcome of an attempt is worth another attempt: {@code failure} when not
     * {@code null}, else {@code result}. A predicate that throws lets its exception out.
     */
    public boolean shouldRetry(Object result, Throwable failure) {
        if (failure == null) {
            return retryIfResult != null && retryIfResult.test(result);
        }
        if (failure instanceof InterruptedException || isAny(failure, abortOn)
                || (abortIf != null && abortIf.test(failure))) {
            return false;
        }
        if (retryOn.length == 0 && retryIf == null) {
            return failure instanceof Exception;
        }
        return isAny(failure, retryOn) || (retryIf != null && retryIf.test(failure));
    }

    private static boolean isAny(Throwable t, Class<?>[] types) {
        for (Class<?> type : types) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
