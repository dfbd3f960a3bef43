package dev.nines.ratelimit.internal;

import dev.nines.Policy;
import dev.nines.annotation.AnnotatedMethod;
import dev.nines.annotation.AnnotationHandler;
import dev.nines.annotation.ContextCustomizer;
import dev.nines.annotation.PipelineOrder;
import dev.nines.ratelimit.KeyedRateLimiter;
import dev.nines.ratelimit.Rate;
import dev.nines.ratelimit.RateLimiter;
import dev.nines.ratelimit.annotation.KeySource;
import dev.nines.ratelimit.annotation.WithRateLimit;
import java.time.Duration;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Builds the policy of a {@link WithRateLimit}: a {@link RateLimiter} for {@link KeySource#NONE}, a
 * {@link KeyedRateLimiter} otherwise, at {@link PipelineOrder#RATE_LIMIT}. Registered through
 * {@code META-INF/services/dev.nines.annotation.AnnotationHandler} and the module's
 * {@code provides}; internal, so not exported: users write the annotation, never the handler.
 *
 * <p>Annotations sharing a limiter by {@link WithRateLimit#name()} must agree: when the limiter under
 * that name was built by another {@code @WithRateLimit} with a different limit ({@code permits},
 * {@code period}, {@code burst}), key kind ({@code NONE} or keyed) or {@code maxKeys}, creating the
 * proxy fails, naming the method and the attribute. A limiter registered in code under the name is
 * not checked: it wins over every annotation's attributes. For this the handler remembers, weakly
 * (a limiter no longer referenced is forgotten), which annotation built each limiter.
 * Thread-safe.
 */
public final class RateLimitHandler implements AnnotationHandler<WithRateLimit> {

    private static final String NAME = "WithRateLimit";

    /** For {@link java.util.ServiceLoader}. */
    public RateLimitHandler() {
    }

    @Override
    public Class<WithRateLimit> annotationType() {
        return WithRateLimit.class;
    }

    @Override
    public int order(WithRateLimit annotation) {
        return PipelineOrder.RATE_LIMIT;
    }

    @Override
    public Policy create(WithRateLimit a, AnnotatedMethod m) {
        Rate limit = validate(a, m);
        String name = a.name().isEmpty() ? m.defaultPolicyName() : a.name();
        Origin origin = new Origin(a, limit, m.describe());
        if (!a.name().isEmpty()) { // a limiter another annotation built under this name must agree with this one
            m.registry().find(a.name(), Policy.class).ifPresent(p -> checkAgrees(p, origin, m));
        }
        Policy policy;
        if (a.key() == KeySource.NONE) {
            Supplier<RateLimiter> factory = () -> built(RateLimiter.builder(name).limit(limit)
                    .ticker(m.ticker()).metrics(m.metrics()).build(), origin);
            policy = m.policy(a.name(), RateLimiter.class, factory);
        } else {
            Supplier<KeyedRateLimiter> factory = () -> built(KeyedRateLimiter.builder(name).limit(limit)
                    .maxKeys(a.maxKeys()).ticker(m.ticker()).metrics(m.metrics()).build(), origin);
            policy = m.policy(a.name(), KeyedRateLimiter.class, factory);
        }
        if (!a.name().isEmpty()) {
            checkAgrees(policy, origin, m); // one built concurrently by another proxy under the same name
        }
        return policy;
    }

    /** What a limiter built by this handler was built from: the annotation, its limit and its method. */
    private record Origin(WithRateLimit annotation, Rate limit, String method) {
    }

    /**
     * The origin of every limiter this handler built, by identity, so that the next annotation naming
     * one can be checked against the first. Weak keys: a limiter no proxy or registry holds any more
     * is forgotten. Touched only while proxies are created, under {@link #BUILT_LOCK}.
     */
    private static final Map<Policy, Origin> BUILT = new WeakHashMap<>();
    private static final ReentrantLock BUILT_LOCK = new ReentrantLock();

    private static <P extends Policy> P built(P policy, Origin origin) {
        BUILT_LOCK.lock();
        try {
            BUILT.put(policy, origin);
        } finally {
            BUILT_LOCK.unlock();
        }
        return policy;
    }

    /**
     * Fails, naming the method and the attribute, if {@code shared} was built from another
     * {@code @WithRateLimit} whose limit, key kind or {@code maxKeys} differ from {@code wanted}. A
     * limiter registered in code (not built here) wins over the annotation and is not checked.
     */
    private static void checkAgrees(Policy shared, Origin wanted, AnnotatedMethod m) {
        Origin first;
        BUILT_LOCK.lock();
        try {
            first = BUILT.get(shared);
        } finally {
            BUILT_LOCK.unlock();
        }
        if (first == null) {
            return;
        }
        WithRateLimit was = first.annotation();
        WithRateLimit is = wanted.annotation();
        String like = "like the @WithRateLimit on " + first.method() + " that created the shared limiter '"
                + is.name() + "'";
        if ((was.key() == KeySource.NONE) != (is.key() == KeySource.NONE)) {
            throw m.invalid(NAME, "key", is.key(), "must be " + (was.key() == KeySource.NONE ? "NONE" : "ARGUMENT or CLIENT")
                    + " " + like);
        }
        if (was.permits() != is.permits()) {
            throw m.invalid(NAME, "permits", is.permits(), "must be " + was.permits() + " " + like);
        }
        if (!first.limit().period().equals(wanted.limit().period())) {
            throw m.invalid(NAME, "period", is.period() + " " + is.unit(), "must be " + was.period() + " "
                    + was.unit() + " " + like);
        }
        if (first.limit().burst() != wanted.limit().burst()) {
            throw m.invalid(NAME, "burst", wanted.limit().burst(), "must be " + first.limit().burst() + " " + like);
        }
        if (is.key() != KeySource.NONE && was.maxKeys() != is.maxKeys()) {
            throw m.invalid(NAME, "maxKeys", is.maxKeys(), "must be " + was.maxKeys() + " " + like);
        }
    }

    @Override
    public ContextCustomizer contextCustomizer(WithRateLimit a, AnnotatedMethod m) {
        if (a.key() != KeySource.ARGUMENT) {
            return null;
        }
        int index = a.argument();
        return (context, args) -> args[index] == null ? context : context.withKey(String.valueOf(args[index]));
    }

    private static Rate validate(WithRateLimit a, AnnotatedMethod m) {
        if (a.permits() < 1) {
            throw m.invalid(NAME, "permits", a.permits(), "must be >= 1");
        }
        if (a.period() < 1) {
            throw m.invalid(NAME, "period", a.period(), "must be >= 1");
        }
        if (a.burst() < 0) {
            throw m.invalid(NAME, "burst", a.burst(), "must be >= 1 (or 0 for permits)");
        }
        if (a.maxKeys() < 1) {
            throw m.invalid(NAME, "maxKeys", a.maxKeys(), "must be >= 1");
        }
        int parameters = m.method().getParameterCount();
        if (a.key() == KeySource.ARGUMENT && parameters == 0) {
            throw m.invalid(NAME, "argument must index a parameter with key = ARGUMENT but the method has none");
        }
        if (a.key() == KeySource.ARGUMENT && (a.argument() < 0 || a.argument() >= parameters)) {
            throw m.invalid(NAME, "argument", a.argument(), "must be between 0 and " + (parameters - 1)
                    + " with key = ARGUMENT");
        }
        if (a.key() != KeySource.ARGUMENT && a.argument() != -1) {
            throw m.invalid(NAME, "argument", a.argument(), "must be -1 (unset) unless key = ARGUMENT");
        }
        Duration period;
        try {
            period = Duration.of(a.period(), a.unit().toChronoUnit());
        } catch (ArithmeticException overflow) {
            throw m.invalid(NAME, "period", a.period() + " " + a.unit(), "must be at most about 4.5 years");
        }
        // the builder checks the rest (rate, refill time); MethodPolicies adds the method to its message
        return Rate.builder().permits(a.permits()).period(period).burst(a.burst()).build();
    }
}
