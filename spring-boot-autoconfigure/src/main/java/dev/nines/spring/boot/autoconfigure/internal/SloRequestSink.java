package dev.nines.spring.boot.autoconfigure.internal;

import dev.nines.metrics.Metrics;
import dev.nines.metrics.MetricsSink;
import java.util.Objects;
import org.springframework.beans.factory.BeanFactory;

/**
 * The sink that feeds the application's SLOs (the SLO registry's {@code sink()}), as a bean of its
 * own type: it is no {@link MetricsSink} bean, so the application's one metrics sink stays unique.
 * Every policy, pipeline and web guard the auto-configuration builds reports to
 * {@link #compose the composite} of the application's sink and this one, so every annotated
 * endpoint feeds the SLOs with no code. Free of nines-slo types, so the auto-configuration can ask
 * for it when nines-slo is absent. Immutable and thread-safe.
 *
 * @param sink the SLO registry's sink
 */
public record SloRequestSink(MetricsSink sink) {

    /** Checks the sink. */
    public SloRequestSink {
        Objects.requireNonNull(sink, "sink");
    }

    /**
     * The sink to build policies with: {@code base} alone when the context has no SLOs, else the
     * composite of {@code base} (or, when it is {@code null}, {@link Metrics#getDefault()}, which the
     * builders would have used) and the SLOs' sink.
     */
    public static MetricsSink compose(MetricsSink base, BeanFactory beans) {
        SloRequestSink slo = beans.getBeanProvider(SloRequestSink.class).getIfUnique();
        if (slo == null) {
            return base;
        }
        return MetricsSink.composite(base == null ? Metrics.getDefault() : base, slo.sink());
    }
}
