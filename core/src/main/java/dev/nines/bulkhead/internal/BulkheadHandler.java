package dev.nines.bulkhead.internal;

import dev.nines.Policy;
import dev.nines.annotation.AnnotatedMethod;
import dev.nines.annotation.AnnotationHandler;
import dev.nines.annotation.PipelineOrder;
import dev.nines.bulkhead.SemaphoreBulkhead;
import dev.nines.bulkhead.annotation.Bulkhead;
import java.time.Duration;

/** Builds a {@link SemaphoreBulkhead} from {@link Bulkhead}. Found through {@link java.util.ServiceLoader}. */
public final class BulkheadHandler implements AnnotationHandler<Bulkhead> {

    @Override
    public Class<Bulkhead> annotationType() {
        return Bulkhead.class;
    }

    @Override
    public int order(Bulkhead annotation) {
        return PipelineOrder.BULKHEAD;
    }

    @Override
    public Policy create(Bulkhead a, AnnotatedMethod m) {
        if (a.maxConcurrent() < 1) {
            throw m.invalid("Bulkhead", "maxConcurrent", a.maxConcurrent(), "must be >= 1");
        }
        if (a.maxWaitMillis() < 0) {
            throw m.invalid("Bulkhead", "maxWaitMillis", a.maxWaitMillis(), "must be >= 0");
        }
        SemaphoreBulkhead.Builder b = SemaphoreBulkhead.builder(a.name().isEmpty() ? m.defaultPolicyName() : a.name())
                .maxConcurrent(a.maxConcurrent())
                .maxWait(Duration.ofMillis(a.maxWaitMillis()))
                .ticker(m.ticker())
                .metrics(m.metrics());
        return m.policy(a.name(), SemaphoreBulkhead.class, b::build);
    }
}
