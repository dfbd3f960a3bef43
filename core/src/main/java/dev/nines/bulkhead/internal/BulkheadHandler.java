package dev.nines.bulkhead.internal;

import dev.nines.Policy;
import dev.nines.annotation.AnnotatedMethod;
import dev.nines.annotation.AnnotationHandler;
import dev.nines.annotation.PipelineOrder;
import dev.nines.bulkhead.SemaphoreBulkhead;
import dev.nines.bulkhead.SemaphoreBulkheadBuilder;
import dev.nines.bulkhead.ThreadPoolBulkhead;
import dev.nines.bulkhead.ThreadPoolBulkheadBuilder;
import dev.nines.bulkhead.annotation.WithBulkhead;
import java.time.Duration;

/** Builds a {@link SemaphoreBulkhead} or a {@link ThreadPoolBulkhead} from {@link WithBulkhead}. Found through {@link java.util.ServiceLoader}. Stateless and thread-safe. */
public final class BulkheadHandler implements AnnotationHandler<WithBulkhead> {

    @Override
    public Class<WithBulkhead> annotationType() {
        return WithBulkhead.class;
    }

    @Override
    public int order(WithBulkhead annotation) {
        return PipelineOrder.BULKHEAD;
    }

    @Override
    public Policy create(WithBulkhead a, AnnotatedMethod m) {
        if (a.maxConcurrent() < 1) {
            throw m.invalid("WithBulkhead", "maxConcurrent", a.maxConcurrent(), "must be >= 1");
        }
        String name = a.name().isEmpty() ? m.defaultPolicyName() : a.name();
        if (a.type() == WithBulkhead.Type.THREAD_POOL) {
            if (a.maxWaitMillis() != 0) {
                throw m.invalid("WithBulkhead", "maxWaitMillis", a.maxWaitMillis(), "must be 0 (unset) for type THREAD_POOL");
            }
            if (a.queueCapacity() < -1) {
                throw m.invalid("WithBulkhead", "queueCapacity", a.queueCapacity(), "must be >= 0, or -1 for the default");
            }
            ThreadPoolBulkheadBuilder b = ThreadPoolBulkhead.builder(name).maxThreads(a.maxConcurrent())
                    .ticker(m.ticker()).metrics(m.metrics());
            if (a.queueCapacity() >= 0) {
                b.queueCapacity(a.queueCapacity());
            }
            return m.policy(a.name(), ThreadPoolBulkhead.class, b::build);
        }
        if (a.maxWaitMillis() < 0) {
            throw m.invalid("WithBulkhead", "maxWaitMillis", a.maxWaitMillis(), "must be >= 0");
        }
        if (a.queueCapacity() != -1) {
            throw m.invalid("WithBulkhead", "queueCapacity", a.queueCapacity(), "must be -1 (unset) for type SEMAPHORE");
        }
        SemaphoreBulkheadBuilder b = SemaphoreBulkhead.builder(name)
                .maxConcurrent(a.maxConcurrent())
                .maxWait(Duration.ofMillis(a.maxWaitMillis()))
                .ticker(m.ticker())
                .metrics(m.metrics());
        return m.policy(a.name(), SemaphoreBulkhead.class, b::build);
    }
}
