/**
 * nines in the Micrometer ecosystem. Context propagation: {@code MicrometerContextPropagator}
 * carries the SLF4J MDC, OpenTelemetry's context and every {@code ThreadLocalAccessor} registered
 * with {@code io.micrometer:context-propagation} through each thread hop nines makes.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // context-propagation has no module-info
module dev.nines.micrometer {
    requires transitive dev.nines.core;
    requires transitive context.propagation;
    requires static io.opentelemetry.context;

    exports dev.nines.micrometer;

    provides dev.nines.context.ContextPropagator with dev.nines.micrometer.MicrometerContextPropagator;
}
