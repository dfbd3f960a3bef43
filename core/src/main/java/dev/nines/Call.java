package dev.nines;

import java.util.concurrent.Callable;

/**
 * A unit of work that reads its {@link CallContext}, for example to pass the remaining deadline
 * downstream.
 *
 * <p>It is also a {@link Callable}, so a pipeline carries both kinds through the same path without
 * wrapping either: a plain {@code Callable} simply does not see the context.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface Call<T> extends Callable<T> {

    /** Runs the work with the context of the current call. */
    T call(CallContext context) throws Exception;

    /** Runs the work with {@link CallContext#empty()}. */
    @Override
    default T call() throws Exception {
        return call(CallContext.empty());
    }
}
