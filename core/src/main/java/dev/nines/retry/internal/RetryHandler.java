package dev.nines.retry.internal;

import dev.nines.FailureFilter;
import dev.nines.Policy;
import dev.nines.annotation.AnnotatedMethod;
import dev.nines.annotation.AnnotationHandler;
import dev.nines.annotation.PipelineOrder;
import dev.nines.retry.Backoff;
import dev.nines.retry.Retry;
import dev.nines.retry.RetryBuilder;
import dev.nines.retry.RetryBudget;
import dev.nines.retry.annotation.WithRetry;
import java.time.Duration;

/**
 * Builds a {@link Retry} from {@link WithRetry}. Found through {@link java.util.ServiceLoader}.
 * Stateless and thread-safe.
 */
public final class RetryHandler implements AnnotationHandler<WithRetry> {

    private static final String NAME = "WithRetry";

    @Override
    public Class<WithRetry> annotationType() {
        return WithRetry.class;
    }

    @Override
    public int order(WithRetry annotation) {
        return PipelineOrder.RETRY;
    }

    @Override
    public Policy create(WithRetry a, AnnotatedMethod m) {
        if (a.maxAttempts() < 1) {
            throw m.invalid(NAME, "maxAttempts", a.maxAttempts(), "must be >= 1");
        }
        if (a.initialDelayMillis() < 0) {
            throw m.invalid(NAME, "initialDelayMillis", a.initialDelayMillis(), "must be >= 0");
        }
        if (!(a.multiplier() >= 1.0) || Double.isInfinite(a.multiplier())) {
            throw m.invalid(NAME, "multiplier", a.multiplier(), "must be >= 1.0 and finite");
        }
        if (a.maxDelayMillis() < a.initialDelayMillis()) {
            throw m.invalid(NAME, "maxDelayMillis", a.maxDelayMillis(),
                    "must be >= initialDelayMillis (" + a.initialDelayMillis() + ")");
        }
        if (a.maxDurationMillis() < 0) {
            throw m.invalid(NAME, "maxDurationMillis", a.maxDurationMillis(), "must be >= 0");
        }
        if (a.minAttemptTimeMillis() < 0) {
            throw m.invalid(NAME, "minAttemptTimeMillis", a.minAttemptTimeMillis(), "must be >= 0");
        }
        RetryBuilder b = Retry.builder(a.name().isEmpty() ? m.defaultPolicyName() : a.name())
                .maxAttempts(a.maxAttempts())
                .backoff(Backoff.exponential(Duration.ofMillis(a.initialDelayMillis()), a.multiplier(),
                        Duration.ofMillis(a.maxDelayMillis()), a.jitter()))
                .maxDuration(Duration.ofMillis(a.maxDurationMillis()))
                .minAttemptTime(Duration.ofMillis(a.minAttemptTimeMillis()))
                .failures(failures(a))
                .ticker(m.ticker())
                .sleeper(m.sleeper())
                .scheduler(m.scheduler())
                .metrics(m.metrics());
        if (!a.budget().isEmpty()) {
            // a budget's settings cannot be written in the annotation, so its name refers to a registered one
            b.budget(m.registered(NAME, "budget", a.budget(), RetryBudget.class, a.createBudget(), "createBudget",
                    () -> RetryBudget.builder(a.budget()).ticker(m.ticker()).metrics(m.metrics()).build()));
        }
        return m.policy(a.name(), Retry.class, b::build);
    }

    /** {@code FailureFilter.on(failures).ignoring(ignored)}; no failure types keeps the default. */
    private static FailureFilter failures(WithRetry a) {
        FailureFilter on = a.failures().length == 0 ? FailureFilter.exceptions() : FailureFilter.on(a.failures());
        return a.ignored().length == 0 ? on : on.ignoring(a.ignored());
    }
}
