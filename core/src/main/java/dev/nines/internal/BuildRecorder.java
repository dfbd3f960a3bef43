package dev.nines.internal;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Tells a test which policies were built while it ran, so that it can check their
 * {@link QuiescentInvariants} afterwards. A test installs a collector on its thread with
 * {@link #install}; every policy whose construction runs on that thread then reports itself
 * through {@link #record}. With no collector installed (always, in production) {@code record} is
 * one thread-local read at {@code build()}, and nothing at all happens on the call path.
 *
 * <p>Thread-safe: each thread has its own collector, and a policy built on another thread (a pool,
 * a server thread) is not recorded. Not part of the public API.
 */
public final class BuildRecorder {

    /** One recorded policy: what kind it is, its name, and the invariants it holds at rest. */
    public record Built(String kind, String name, QuiescentInvariants invariants) {

        /** Fails on a {@code null} component. */
        public Built {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(invariants, "invariants");
        }

        @Override
        public String toString() {
            return kind + " '" + name + "'";
        }
    }

    private static final ThreadLocal<Consumer<Built>> COLLECTOR = new ThreadLocal<>();

    private BuildRecorder() {
    }

    /**
     * Sends every policy built on the calling thread from now on to {@code collector}, or stops
     * recording on {@code null}; returns the collector it replaces, so nested installs can restore it.
     */
    public static Consumer<Built> install(Consumer<Built> collector) {
        Consumer<Built> previous = COLLECTOR.get();
        if (collector == null) {
            COLLECTOR.remove();
        } else {
            COLLECTOR.set(collector);
        }
        return previous;
    }

    /**
     * Called by a policy as it is built: hands {@code invariants} to the calling thread's collector
     * if one is installed, else does nothing.
     *
     * @param kind       the policy's type, such as {@code "CircuitBreaker"}
     * @param name       the policy's name
     * @param invariants what holds while no call runs through the policy
     */
    public static void record(String kind, String name, QuiescentInvariants invariants) {
        Consumer<Built> collector = COLLECTOR.get();
        if (collector != null) {
            collector.accept(new Built(kind, name, invariants));
        }
    }
}
