package dev.nines.context;

/**
 * A test {@link ContextPropagator} found through core's test service file: carries one
 * {@code ThreadLocal} tag beside the MDC, so tests can see that every hop uses the installed one.
 */
public final class TaggingPropagator implements ContextPropagator {

    /** The thread-bound value carried across hops. */
    public static final ThreadLocal<String> TAG = new ThreadLocal<>();

    @Override
    public Runnable capture(Runnable task) {
        String captured = TAG.get();
        Runnable withMdc = ContextPropagator.mdc().capture(task);
        return () -> {
            String previous = TAG.get();
            TAG.set(captured);
            try {
                withMdc.run();
            } finally {
                TAG.set(previous);
            }
        };
    }
}
