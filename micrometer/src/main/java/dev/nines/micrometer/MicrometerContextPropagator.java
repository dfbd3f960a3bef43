package dev.nines.micrometer;

import dev.nines.context.ContextPropagator;
import dev.nines.micrometer.internal.OpenTelemetryAccessor;
import dev.nines.micrometer.internal.OpenTelemetryPresence;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import java.util.Objects;

/**
 * Carries the caller's context through every thread hop nines makes, on Micrometer's
 * {@code io.micrometer:context-propagation}: the SLF4J MDC, OpenTelemetry's current context (when
 * {@code opentelemetry-context} is on the path) and every {@code ThreadLocalAccessor} registered
 * with the {@link ContextRegistry} (Spring Security's, Micrometer Tracing's, your own).
 *
 * <p>With {@code nines-micrometer} on the class or module path, nines finds this propagator through
 * {@link java.util.ServiceLoader} and uses it in place of the MDC-only default: nothing to
 * configure. On the worker thread the caller's values are set for the work, a value the caller did
 * not have is cleared, and the worker's own values are put back afterwards.
 *
 * <p>The no-argument constructor uses {@link ContextRegistry#getInstance()}, the registry that
 * Spring and Micrometer register their accessors with, and adds an accessor for OpenTelemetry's
 * context to it once, under the key {@code dev.nines.opentelemetry.context}, when OpenTelemetry is on
 * the path. Thread-safe.
 */
public final class MicrometerContextPropagator implements ContextPropagator {

    private final ContextRegistry registry;
    private final ContextSnapshotFactory snapshots;

    /** Propagates what the global {@link ContextRegistry#getInstance()} knows, OpenTelemetry's context added. */
    public MicrometerContextPropagator() {
        this(withOpenTelemetry(ContextRegistry.getInstance()));
    }

    /** Propagates exactly what {@code registry} knows (and the SLF4J MDC). */
    public MicrometerContextPropagator(ContextRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.snapshots = ContextSnapshotFactory.builder().contextRegistry(registry).clearMissing(true).build();
    }

    /** {@code registry} with OpenTelemetry's accessor added when OpenTelemetry is on the path. */
    private static ContextRegistry withOpenTelemetry(ContextRegistry registry) {
        // the accessor links against OpenTelemetry: only touched once its presence is known
        return OpenTelemetryPresence.present() ? OpenTelemetryAccessor.register(registry) : registry;
    }

    @Override
    public Runnable capture(Runnable task) {
        ContextSnapshot snapshot = snapshots.captureAll();
        Runnable withMdc = ContextPropagator.mdc().capture(task);
        return () -> {
            ContextSnapshot.Scope scope = snapshot.setThreadLocals();
            try {
                withMdc.run();
            } finally {
                scope.close();
            }
        };
    }

    @Override
    public String toString() {
        return "MicrometerContextPropagator[MDC, " + registry.getThreadLocalAccessors().size() + " thread-local accessors]";
    }
}
