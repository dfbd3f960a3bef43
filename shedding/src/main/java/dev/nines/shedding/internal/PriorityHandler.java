package dev.nines.shedding.internal;

import dev.nines.Policy;
import dev.nines.annotation.AnnotatedMethod;
import dev.nines.annotation.AnnotationHandler;
import dev.nines.annotation.ContextCustomizer;
import dev.nines.annotation.PipelineOrder;
import dev.nines.shedding.LoadShedder;
import dev.nines.shedding.annotation.WithPriority;

/**
 * Turns {@link WithPriority @WithPriority} into priority admission: sets the call context's priority and
 * places the named {@link LoadShedder} at {@link PipelineOrder#PRIORITY}. The shedder must be
 * registered under that name, unless the name is {@link WithPriority#DEFAULT_SHEDDER} or the
 * annotation sets {@link WithPriority#createShedder()}: then a default one is registered under it. Registered through
 * {@code META-INF/services} and the module's {@code provides}; internal, so not exported: users write
 * the annotation, never the handler. Stateless and thread-safe.
 */
public final class PriorityHandler implements AnnotationHandler<WithPriority> {

    /** For {@link java.util.ServiceLoader}. */
    public PriorityHandler() {
    }

    @Override
    public Class<WithPriority> annotationType() {
        return WithPriority.class;
    }

    @Override
    public int order(WithPriority annotation) {
        return PipelineOrder.PRIORITY;
    }

    @Override
    public Policy create(WithPriority annotation, AnnotatedMethod method) {
        String name = annotation.shedder();
        if (name.isBlank()) {
            throw method.invalid("WithPriority", "shedder", "'" + name + "'", "must be non-blank");
        }
        // the shedder's settings cannot be written in the annotation, so a name refers to a registered
        // shedder; only the implicit default name, or an explicit opt-in, creates one with defaults
        boolean create = annotation.createShedder() || name.equals(WithPriority.DEFAULT_SHEDDER);
        return method.registered("WithPriority", "shedder", name, LoadShedder.class, create, "createShedder",
                () -> LoadShedder.builder(name).metrics(method.metrics()).ticker(method.ticker()).build());
    }

    @Override
    public ContextCustomizer contextCustomizer(WithPriority annotation, AnnotatedMethod method) {
        dev.nines.Priority priority = annotation.value();
        return (context, args) -> context.withPriority(priority);
    }
}
