package dev.nines.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Exempts a test method (or every test of a class) from {@link PolicyInvariantsExtension}: the
 * test legitimately ends with a policy it built not at rest, and cannot release it (a call that
 * ignores interruption by design, say). The reason is required and must say why; it is shown when
 * the check is skipped. Prefer releasing in a {@code finally}: every use of this hides a place where
 * a leak would go unnoticed.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface LeavesPoliciesBusy {

    /** Why the test cannot leave its policies at rest; must not be blank. */
    String reason();
}
