/**
 * nines in the Micrometer ecosystem. Metrics: {@link dev.nines.micrometer.MicrometerSink} records
 * every policy outcome and every request as a timer with histogram buckets, every policy gauge as a
 * gauge and every transition as a counter, in whatever {@code MeterRegistry} the application uses.
 * Context propagation: {@code MicrometerContextPropagator} carries the SLF4J MDC, OpenTelemetry's
 * context and every {@code ThreadLocalAccessor} registered with {@code io.micrometer:context-propagation}
 * through each thread hop nines makes. SLOs: {@code SloMeters} exposes the SLOs of nines-slo (an
 * optional dependency) as counters and gauges.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // context-propagation has no module-info; the sink takes a MeterRegistry
module dev.nines.micrometer {
    requires transitive dev.nines.core;
    requires transitive micrometer.core;
    requires transitive context.propagation;
    requires static io.opentelemetry.context;
    requires static transitive dev.nines.slo; // SloMeters, for applications that have SLOs

    exports dev.nines.micrometer;

    provides dev.nines.context.ContextPropagator with dev.nines.micrometer.MicrometerContextPropagator;
}
