package dev.nines;

import java.util.concurrent.CompletionStage;

/**
 * Asynchronous work: starts when called and completes the returned stage later.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface AsyncCall<T> {

    /** Starts the work with the context of the current call. */
    CompletionStage<T> start(CallContext context);
}
