package dev.nines.micrometer.internal;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ThreadLocalAccessor;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A {@link ThreadLocalAccessor} for OpenTelemetry's current {@link Context}, so that a span
 * started on a nines worker thread joins the caller's trace.
 *
 * <p>OpenTelemetry sets a context by {@link Context#makeCurrent()}, whose {@link Scope} must be
 * closed, innermost first, to put the previous one back: each {@code setValue} pushes its scope on
 * a per-thread stack, and each {@code restore} closes the one on top (context-propagation pairs
 * them, last in first out). Not part of the public API. Thread-safe.
 */
public final class OpenTelemetryAccessor implements ThreadLocalAccessor<Context> {

    /** The key this accessor is registered under. */
    public static final String KEY = "dev.nines.opentelemetry.context";

    private static final ThreadLocal<Deque<Scope>> SCOPES = ThreadLocal.withInitial(ArrayDeque::new);

    /** Made by {@link #register(ContextRegistry)}. */
    public OpenTelemetryAccessor() {
    }

    /**
     * Adds this accessor to {@code registry} unless it holds one under {@link #KEY} already;
     * returns {@code registry}. Call only when OpenTelemetry's context API is on the path
     * ({@link OpenTelemetryPresence#present()}): this class links against it.
     */
    public static ContextRegistry register(ContextRegistry registry) {
        synchronized (OpenTelemetryAccessor.class) {
            for (ThreadLocalAccessor<?> a : registry.getThreadLocalAccessors()) {
                if (KEY.equals(a.key())) {
                    return registry;
                }
            }
            registry.registerThreadLocalAccessor(new OpenTelemetryAccessor());
        }
        return registry;
    }

    @Override
    public Object key() {
        return KEY;
    }

    /** The current context, or {@code null} (nothing to carry) when it is the root context. */
    @Override
    public Context getValue() {
        Context current = Context.current();
        return current == Context.root() ? null : current;
    }

    @Override
    public void setValue(Context value) {
        SCOPES.get().push(value.makeCurrent());
    }

    /** The caller had no context: the work runs with the root context. */
    @Override
    public void setValue() {
        SCOPES.get().push(Context.root().makeCurrent());
    }

    @Override
    public void restore(Context previous) {
        closeInnermost();
    }

    @Override
    public void restore() {
        closeInnermost();
    }

    private static void closeInnermost() {
        Deque<Scope> scopes = SCOPES.get();
        Scope scope = scopes.poll();
        if (scope != null) {
            scope.close();
        }
        if (scopes.isEmpty()) {
            SCOPES.remove();
        }
    }
}
