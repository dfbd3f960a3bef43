/**
 * nines core: the policy SPI and {@code Pipeline}, the call context, the circuit breaker, retry
 * with its budget, timeouts, bulkheads and fallback, the metrics SPI and the annotation proxy.
 *
 * <p>Only API packages are exported. {@code dev.nines.internal} is shared with the other nines
 * modules alone, and every {@code *.internal} package of a policy stays inside this module, so the
 * compiler keeps modular users off the internals.
 */
@SuppressWarnings("module") // the modules the internals are shared with are built after this one
module dev.nines.core {
    requires transitive org.slf4j;
    requires jdk.jfr;

    exports dev.nines;
    exports dev.nines.annotation;
    exports dev.nines.bulkhead;
    exports dev.nines.bulkhead.annotation;
    exports dev.nines.circuitbreaker;
    exports dev.nines.context;
    exports dev.nines.circuitbreaker.annotation;
    exports dev.nines.fallback;
    exports dev.nines.fallback.annotation;
    exports dev.nines.metrics;
    exports dev.nines.retry;
    exports dev.nines.retry.annotation;
    exports dev.nines.timeout;
    exports dev.nines.timeout.annotation;

    exports dev.nines.internal to dev.nines.ratelimit, dev.nines.shedding, dev.nines.web, dev.nines.simulator,
            dev.nines.redis;

    uses dev.nines.annotation.AnnotationHandler;
    uses dev.nines.metrics.MetricsSink;
    uses dev.nines.context.ContextPropagator;

    provides dev.nines.annotation.AnnotationHandler with
            dev.nines.bulkhead.internal.BulkheadHandler,
            dev.nines.retry.internal.RetryHandler,
            dev.nines.timeout.internal.TimeoutHandler,
            dev.nines.circuitbreaker.internal.CircuitBreakerAnnotationHandler,
            dev.nines.fallback.internal.FallbackAnnotationHandler;
}
