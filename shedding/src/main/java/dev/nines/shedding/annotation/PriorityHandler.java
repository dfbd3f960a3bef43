package dev.nines.shedding.annotation;

import dev.nines.Policy;
import dev.nines.annotation.AnnotatedMethod;
import dev.nines.annotation.AnnotationHandler;
import dev.nines.annotation.ContextCustomizer;
import dev.nines.annotation.PipelineOrder;
import dev.nines.shedding.LoadShedder;

/**
 * Turns {@link Priority @Priority} into priority admission: sets the call context's priority and
 * places the named {@link LoadShedder} (from the registry, or a default one registered under that
 * name) at {@link PipelineOrder#PRIORITY}. Registered through {@code META-INF/services}. Stateless
 * and thread-safe.
 */
public final class PriorityHandler implements AnnotationHandler<Priority> {

    /** For {@link java.util.ServiceLoader}. */
    public PriorityHandler() {
    }

    @Override
    public Class<Priority> annotationType() {
        return Priority.class;
    }

    @Override
    public int order(Priority annotation) {
        return PipelineOrder.PRIORITY;
    }

    @Override
    public Policy create(Priority annotation, AnnotatedMethod method) {
        String name = annotation.shedder();
        if (name.isBlank()) {
            throw method.invalid("Priority", "shedder", "'" + name + "'", "must be non-blank");
        }
        return method.registry().getOrCreate(name, LoadShedder.class,
                () -> LoadShedder.builder(name).metrics(method.metrics()).ticker(method.ticker()).build());
    }

    @Override
    public ContextCustomizer contextCustomizer(Priority annotation, AnnotatedMethod method) {
        dev.nines.Priority priority = annotation.value();
        return (context, args) -> context.withPriority(priority);
    }
}
