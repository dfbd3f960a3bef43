package dev.nines.annotation;

import dev.nines.CallContext;

/** Fills the context of one invocation from its arguments. See {@link AnnotationHandler#contextCustomizer}. */
@FunctionalInterface
public interface ContextCustomizer {

    /** Returns {@code context}, or a copy with what this annotation adds. {@code args} is never null. */
    CallContext customize(CallContext context, Object[] args);
}
