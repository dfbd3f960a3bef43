package dev.nines.fallback;

import dev.nines.CallContext;

/**
 * Computes a replacement result from the failure that a {@link Fallback} caught. Implementations
 * must be thread-safe: a fallback is shared, and may call it from many threads at once.
 *
 * <p>It may throw: then the caller sees that exception, with the original failure added as
 * suppressed.
 */
@FunctionalInterface
public interface FallbackFunction {

    /**
     * The replacement result for {@code failure}, the call having run with {@code context};
     * {@code failure} is {@code null} when the call returned a result that the fallback's
     * {@link dev.nines.FailureFilter} judges a failure.
     */
    Object apply(Throwable failure, CallContext context) throws Exception;
}
