package dev.nines.web.internal;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a handler (a class, or one handler method) that a drain must neither refuse nor wait for:
 * the health probes, whose answers during a drain (liveness 200, readiness 503) are the point.
 * {@code NinesWeb} builds such a handler's guard without the drain.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface NotDrained {
}
