package dev.nines.annotation;

import dev.nines.Policy;
import java.lang.annotation.Annotation;

/**
 * Turns one kind of annotation into a policy. Each module contributes handlers for its own
 * annotations through {@link java.util.ServiceLoader} (a line in
 * {@code META-INF/services/dev.nines.annotation.AnnotationHandler}), so core never depends on the
 * modules whose annotations it applies.
 *
 * <p>A handler validates the annotation's attributes in {@link #create} and reports a bad value
 * with {@link AnnotatedMethod#invalid(String, String, Object, String)}, which names the method and the
 * attribute.
 *
 * @param <A> the annotation type handled
 */
public interface AnnotationHandler<A extends Annotation> {

    /** The annotation type this handler reads. */
    Class<A> annotationType();

    /** Where the policy goes in the method's pipeline; see {@link PipelineOrder}. */
    int order(A annotation);

    /**
     * Builds (or looks up in {@link AnnotatedMethod#registry()}) the policy for one annotated
     * method; {@link AnnotatedMethod#policy} applies the sharing rule every built-in handler
     * follows. Called once per method when the proxy or filter is created.
     *
     * @throws IllegalArgumentException naming the method and attribute when the annotation is invalid
     */
    Policy create(A annotation, AnnotatedMethod method);

    /**
     * An optional step that fills the call context from the invocation, for example a client key
     * taken from an argument or a priority taken from the annotation. Called once per method.
     *
     * @return the customizer, or {@code null} when the annotation adds nothing to the context
     */
    default ContextCustomizer contextCustomizer(A annotation, AnnotatedMethod method) {
        return null;
    }
}
