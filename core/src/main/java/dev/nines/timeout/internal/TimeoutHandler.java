package dev.nines.timeout.internal;

import dev.nines.Policy;
import dev.nines.annotation.AnnotatedMethod;
import dev.nines.annotation.AnnotationHandler;
import dev.nines.annotation.PipelineOrder;
import dev.nines.timeout.Timeout;
import dev.nines.timeout.TimeoutBuilder;
import dev.nines.timeout.annotation.WithTimeout;
import java.time.Duration;

/** Builds a {@link Timeout} from {@link WithTimeout}. Found through {@link java.util.ServiceLoader}. Stateless and thread-safe. */
public final class TimeoutHandler implements AnnotationHandler<WithTimeout> {

    @Override
    public Class<WithTimeout> annotationType() {
        return WithTimeout.class;
    }

    @Override
    public int order(WithTimeout annotation) {
        return annotation.scope() == WithTimeout.Scope.ATTEMPT ? PipelineOrder.ATTEMPT_TIMEOUT : PipelineOrder.TOTAL_TIMEOUT;
    }

    @Override
    public Policy create(WithTimeout a, AnnotatedMethod m) {
        if (a.millis() <= 0) {
            throw m.invalid("WithTimeout", "millis", a.millis(), "must be > 0");
        }
        TimeoutBuilder b = Timeout.builder(a.name().isEmpty() ? m.defaultPolicyName() : a.name())
                .timeout(Duration.ofMillis(a.millis()))
                .ticker(m.ticker())
                .scheduler(m.scheduler())
                .metrics(m.metrics());
        return m.policy(a.name(), Timeout.class, b::build);
    }
}
