package dev.nines.ratelimit.annotation;

import dev.nines.Policy;
import dev.nines.annotation.AnnotatedMethod;
import dev.nines.annotation.AnnotationHandler;
import dev.nines.annotation.ContextCustomizer;
import dev.nines.annotation.PipelineOrder;
import dev.nines.ratelimit.KeyedRateLimiter;
import dev.nines.ratelimit.Limit;
import dev.nines.ratelimit.RateLimiter;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Builds the policy of a {@link RateLimit}: a {@link RateLimiter} for {@link KeySource#NONE}, a
 * {@link KeyedRateLimiter} otherwise, at {@link PipelineOrder#RATE_LIMIT}. Registered through
 * {@code META-INF/services/dev.nines.annotation.AnnotationHandler}. Stateless and thread-safe.
 */
public final class RateLimitHandler implements AnnotationHandler<RateLimit> {

    private static final String NAME = "RateLimit";

    /** For {@link java.util.ServiceLoader}. */
    public RateLimitHandler() {
    }

    @Override
    public Class<RateLimit> annotationType() {
        return RateLimit.class;
    }

    @Override
    public int order(RateLimit annotation) {
        return PipelineOrder.RATE_LIMIT;
    }

    @Override
    public Policy create(RateLimit a, AnnotatedMethod m) {
        Limit limit = validate(a, m);
        String name = a.name().isEmpty() ? m.defaultPolicyName() : a.name();
        if (a.key() == KeySource.NONE) {
            Supplier<RateLimiter> factory = () -> RateLimiter.builder().name(name).limit(limit)
                    .ticker(m.ticker()).metrics(m.metrics()).build();
            return m.policy(a.name(), RateLimiter.class, factory);
        }
        Supplier<KeyedRateLimiter> factory = () -> KeyedRateLimiter.builder(limit).name(name).maxKeys(a.maxKeys())
                .ticker(m.ticker()).metrics(m.metrics()).build();
        return m.policy(a.name(), KeyedRateLimiter.class, factory);
    }

    @Override
    public ContextCustomizer contextCustomizer(RateLimit a, AnnotatedMethod m) {
        if (a.key() != KeySource.ARGUMENT) {
            return null;
        }
        int index = a.argument();
        return (context, args) -> args[index] == null ? context : context.withKey(String.valueOf(args[index]));
    }

    private static Limit validate(RateLimit a, AnnotatedMethod m) {
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
        return Limit.builder().permits(a.permits()).period(period).burst(a.burst()).build();
    }
}
