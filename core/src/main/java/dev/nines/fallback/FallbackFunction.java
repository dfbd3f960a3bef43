package dev.nines.fallback;

import dev.nines.CallContext;

/**
 * Computes a replacement result from the failure that a {@link Fallback} caught.
 *
 * <p>It may throw: then the caller sees that exception, with the original failure added as
 * suppressed.
 */
@FunctionalInterface
public interface FallbackFunction {

    /** The replacement result for {@code failure}, the call having run with {@code context}. */
    Object apply(Throwable failure, CallContext context) throws Exception;
}
