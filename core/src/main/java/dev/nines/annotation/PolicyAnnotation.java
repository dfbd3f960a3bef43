package dev.nines.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an annotation type as a nines policy annotation. The proxy and the web filters refuse a
 * method carrying a marked annotation for which no {@link AnnotationHandler} is on the classpath,
 * rather than silently leaving the method unprotected.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.ANNOTATION_TYPE)
public @interface PolicyAnnotation {
}
