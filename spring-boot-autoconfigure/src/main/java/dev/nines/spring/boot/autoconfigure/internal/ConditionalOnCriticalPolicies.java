package dev.nines.spring.boot.autoconfigure.internal;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Conditional;

/**
 * Matches when {@code nines.*} marks at least one circuit breaker or load shedder instance
 * {@code critical: true} (itself or through its section's defaults).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Documented
@Conditional(CriticalPoliciesCondition.class)
public @interface ConditionalOnCriticalPolicies {
}
