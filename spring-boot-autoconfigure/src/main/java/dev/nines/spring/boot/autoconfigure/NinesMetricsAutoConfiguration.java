package dev.nines.spring.boot.autoconfigure;

import dev.nines.metrics.MetricsSink;
import dev.nines.micrometer.MicrometerSink;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Reports every nines policy of the application to Micrometer: when nines-micrometer is on the
 * class path and the context has a {@link MeterRegistry}, a {@link MicrometerSink} bean
 * ({@code ninesMetricsSink}) that {@link NinesAutoConfiguration} hands to each configured policy,
 * each policy built from an annotation and each annotated method's request events.
 *
 * <p>The sink is given to the builders, not installed with {@code Metrics.setDefault}: the default
 * is one per JVM, and with several application contexts in one JVM (tests start many) the last
 * context would receive every other context's meters and keep their registries alive. Policies
 * that application code builds by hand report to this sink if given it
 * ({@code builder.metrics(sink)} with the {@code MetricsSink} bean). The Micrometer context
 * propagator needs nothing here: nines-micrometer installs it through {@code ServiceLoader}.
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass({MicrometerSink.class, MeterRegistry.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "nines.enabled", matchIfMissing = true)
public class NinesMetricsAutoConfiguration {

    /** Created by Spring. */
    public NinesMetricsAutoConfiguration() {
    }

    /**
     * The sink of every nines policy of the application.
     *
     * @param registry the application's meter registry (with several, the primary one)
     * @return a Micrometer sink
     */
    @Bean
    @ConditionalOnMissingBean(MetricsSink.class)
    public MetricsSink ninesMetricsSink(MeterRegistry registry) {
        return MicrometerSink.of(registry);
    }
}
