package dev.nines.context;

import dev.nines.internal.Contexts;

/**
 * Carries the calling thread's context to the threads nines hands work to, and puts each worker
 * thread's own context back afterwards.
 *
 * <p>nines calls {@link #capture(Runnable)} on the calling thread at every thread hop it makes:
 * the synchronous {@code Timeout}'s executor, the {@code ThreadPoolBulkhead}'s pool, the async
 * {@code Retry}'s backoff on its scheduler and the async {@code Timeout}'s timer (whose thread may
 * run the stages that depend on a timed-out call). Calls that make no hop never reach it.
 *
 * <p>Implementations are found once, through {@link java.util.ServiceLoader} (a line in
 * {@code META-INF/services/dev.nines.context.ContextPropagator}, or {@code provides} in a
 * module), the first time a hop needs one. Without any, nines carries the SLF4J MDC
 * ({@link #mdc()}). When some are found they replace that default (an implementation that wants
 * the MDC carried carries it itself, as {@code nines-micrometer}'s does) and are applied all,
 * nested in the order of their class names. Implementations must be thread-safe.
 */
public interface ContextPropagator {

    /**
     * Called on the calling thread: captures its context and returns a task that, wherever and
     * however often it runs, runs {@code task} with that context installed and then restores the
     * running thread's previous context, even when {@code task} throws.
     *
     * @param task what the worker thread runs
     * @return {@code task} wrapped; never {@code null}
     */
    Runnable capture(Runnable task);

    /** The built-in propagator: a copy of the caller's SLF4J MDC, the worker's own MDC restored after. */
    static ContextPropagator mdc() {
        return Contexts.MDC;
    }

    /**
     * The propagator nines uses: the ones found through {@link java.util.ServiceLoader}, nested, or
     * {@link #mdc()} when none are found. Looked up once, on first use.
     */
    static ContextPropagator installed() {
        return Contexts.installed();
    }
}
