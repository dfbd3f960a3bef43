package dev.nines.internal;

import dev.nines.context.ContextPropagator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Finds the {@link ContextPropagator}s once and wraps the work of each thread hop with them.
 *
 * <p>Not part of the public API. The lookup runs in a holder class, the first time a hop needs
 * it, so code that never hops never loads a provider. Thread-safe.
 */
public final class Contexts {

    /** The built-in default: the caller's SLF4J MDC. */
    public static final ContextPropagator MDC = new ContextPropagator() {
        @Override
        public Runnable capture(Runnable task) {
            return Mdc.wrap(Mdc.capture(), task);
        }

        @Override
        public String toString() {
            return "ContextPropagator.mdc()";
        }
    };

    private Contexts() {
    }

    /** The propagator in use: the providers found, nested, or {@link #MDC}. */
    public static ContextPropagator installed() {
        return Holder.INSTALLED;
    }

    /** Called on the calling thread: {@code task} wrapped to run with its context on another thread. */
    public static Runnable capture(Runnable task) {
        return Holder.INSTALLED.capture(task);
    }

    /** Nests {@code found} (sorted by class name) into one propagator, or {@link #MDC} when empty. */
    public static ContextPropagator combine(List<ContextPropagator> found) {
        if (found.isEmpty()) {
            return MDC;
        }
        List<ContextPropagator> sorted = new ArrayList<>(found);
        sorted.sort(Comparator.comparing(p -> p.getClass().getName()));
        if (sorted.size() == 1) {
            return sorted.get(0);
        }
        ContextPropagator[] all = sorted.toArray(new ContextPropagator[0]);
        return task -> {
            Runnable wrapped = task;
            for (int i = all.length - 1; i >= 0; i--) {
                wrapped = all[i].capture(wrapped);
            }
            return wrapped;
        };
    }

    private static final class Holder {
        static final ContextPropagator INSTALLED = load();

        private static ContextPropagator load() {
            List<ContextPropagator> found = new ArrayList<>();
            for (ContextPropagator p : ServiceLoader.load(ContextPropagator.class, Contexts.class.getClassLoader())) {
                found.add(p);
            }
            return combine(found);
        }
    }
}
