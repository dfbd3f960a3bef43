package dev.nines.web.internal;

import dev.nines.Pipeline;
import dev.nines.Policy;
import dev.nines.annotation.AnnotatedMethod;
import dev.nines.annotation.AnnotationHandler;
import dev.nines.annotation.MethodPolicies;
import dev.nines.fallback.Fallback;
import dev.nines.fallback.annotation.WithFallback;
import dev.nines.internal.Validation;
import dev.nines.ratelimit.annotation.KeySource;
import dev.nines.ratelimit.annotation.WithRateLimit;
import dev.nines.retry.Retry;
import dev.nines.retry.annotation.WithRetry;
import dev.nines.timeout.Timeout;
import dev.nines.timeout.annotation.WithTimeout;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Assembles an endpoint guard's policies, from policies given or from a method's annotations:
 * checks that none would run the handler again or let it outlive its request, and takes the one
 * rate limiter out to be checked first. The glue behind {@code EndpointGuard.Builder}.
 *
 * @param quota    the endpoint's rate limit, or {@code null} without one
 * @param policies the other policies around the handler, outermost first
 * @param plan     what the annotations say (the call context they set), or {@code null}
 */
public record GuardAssembly(Quota quota, Pipeline policies, MethodPolicies plan) {

    private static final String RERUN_PROBLEM = "not supported on an endpoint, since it would run the handler "
            + "again after the response may have been written; retry or fall back in the client, or "
            + "around the handler's outbound calls";
    private static final String TIMEOUT_PROBLEM = "not supported on an endpoint, since a timed-out handler "
            + "would still hold the request and response and could write into another request's response; "
            + "bound the handler's outbound calls instead, with a deadline in their call context (a "
            + "Timeout or @WithTimeout around them)";

    /**
     * The guard of endpoint {@code name} from {@code given} policies, outermost first.
     *
     * @throws IllegalArgumentException if the name or priority header is blank, two policies are
     *     rate limiters, or a policy would run the handler again or let it outlive its request
     */
    public static GuardAssembly of(String name, String priorityHeader, List<Policy> given) {
        return assemble(name, priorityHeader, given, null);
    }

    /**
     * The guard of endpoint {@code name} from the annotations on {@code method}, inside the
     * {@code given} policies.
     *
     * @throws IllegalArgumentException naming the method and attribute of an invalid annotation, a
     *     {@code @WithRateLimit} keyed by an argument, or a {@code @WithRetry}, {@code @WithFallback}
     *     or {@code @WithTimeout}; and as {@link #of} does
     */
    public static GuardAssembly ofAnnotations(String name, String priorityHeader, List<Policy> given,
            AnnotatedMethod method, Map<Class<? extends Annotation>, AnnotationHandler<?>> handlers) {
        rejectArgumentKeys(method);
        rejectRerunningAnnotations(method);
        MethodPolicies plan = MethodPolicies.of(method, handlers);
        List<Policy> all = new ArrayList<>(given);
        all.addAll(plan.pipeline().policies());
        return assemble(name, priorityHeader, all, plan);
    }

    private static GuardAssembly assemble(String name, String priorityHeader, List<Policy> all,
            MethodPolicies plan) {
        new Validation().name(name)
                .notBlank("priorityHeader", priorityHeader)
                .throwIfInvalid();
        rejectRerunningPolicies(name, all);
        Quota quota = null;
        List<Policy> rest = new ArrayList<>();
        for (Policy p : all) {
            Quota q = Quota.of(p);
            if (q == null) {
                rest.add(p);
            } else if (quota != null) {
                throw new IllegalArgumentException("endpoint '" + name + "' has two rate limiters: " + quota.name()
                        + " and " + q.name() + "; combine the limits in one limiter");
            } else {
                quota = q;
            }
        }
        return new GuardAssembly(quota, Pipeline.named(name, rest), plan);
    }

    /**
     * {@code @WithRetry} and {@code @WithFallback} would run the handler (or another method) again
     * after it failed, when it may already have written part of the response; {@code @WithTimeout}
     * would answer while the handler still holds the exchange: refused at creation, naming the
     * method and the annotation. Read as the policies are ({@link AnnotatedMethod#annotations()}).
     */
    private static void rejectRerunningAnnotations(AnnotatedMethod method) {
        for (Class<? extends Annotation> type : List.of(WithRetry.class, WithFallback.class)) {
            if (method.annotation(type) != null) {
                throw method.invalid(type.getSimpleName(), RERUN_PROBLEM);
            }
        }
        if (method.annotation(WithTimeout.class) != null) {
            throw method.invalid(WithTimeout.class.getSimpleName(), TIMEOUT_PROBLEM);
        }
    }

    private static void rejectRerunningPolicies(String name, List<Policy> all) {
        for (Policy p : all) {
            if (p instanceof Pipeline nested) {
                rejectRerunningPolicies(name, nested.policies());
            } else if (p instanceof Retry || p instanceof Fallback) {
                throw new IllegalArgumentException("endpoint '" + name + "' cannot have "
                        + p.getClass().getSimpleName() + " '" + p.name() + "': " + RERUN_PROBLEM);
            } else if (p instanceof Timeout) {
                throw new IllegalArgumentException("endpoint '" + name + "' cannot have "
                        + p.getClass().getSimpleName() + " '" + p.name() + "': " + TIMEOUT_PROBLEM);
            }
        }
    }

    private static void rejectArgumentKeys(AnnotatedMethod method) {
        WithRateLimit limit = method.annotation(WithRateLimit.class);
        if (limit != null && limit.key() == KeySource.ARGUMENT) {
            throw method.invalid("WithRateLimit", "key", KeySource.ARGUMENT, "must be CLIENT or NONE on an endpoint");
        }
    }
}
