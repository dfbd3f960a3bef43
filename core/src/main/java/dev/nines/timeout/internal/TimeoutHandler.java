package dev.nines.timeout.internal;

import dev.nines.Policy;
import dev.nines.annotation.AnnotatedMethod;
import dev.nines.annotation.AnnotationHandler;
import dev.nines.annotation.PipelineOrder;
import dev.nines.timeout.TimeoutPolicy;
import dev.nines.timeout.annotation.Timeout;
import java.time.Duration;

/** Builds a {@link TimeoutPolicy} from {@link Timeout}. Found through {@link java.util.ServiceLoader}. Stateless and thread-safe. */
public final class TimeoutHandler implements AnnotationHandler<Timeout> {

    @Override
    public Class<Timeout> annotationType() {
        return Timeout.class;
    }

    @Override
    public int order(Timeout annotation) {
        return annotation.scope() == Timeout.Scope.ATTEMPT ? PipelineOrder.ATTEMPT_TIMEOUT : PipelineOrder.TOTAL_TIMEOUT;
    }

    @Override
    public Policy create(Timeout a, AnnotatedMethod m) {
        if (a.millis() <= 0) {
            throw m.invalid("Timeout", "millis", a.millis(), "must be > 0");
        }
        TimeoutPolicy.Builder b = TimeoutPolicy.builder(a.name().isEmpty() ? m.defaultPolicyName() : a.name())
                .timeout(Duration.ofMillis(a.millis()))
                .ticker(m.ticker())
                .scheduler(m.scheduler())
                .metrics(m.metrics());
        return m.policy(a.name(), TimeoutPolicy.class, b::build);
    }
}
