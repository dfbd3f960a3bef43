package dev.nines.spring.boot.autoconfigure;

import dev.nines.Ticker;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.MetricsSink;
import dev.nines.micrometer.SloMeters;
import dev.nines.slo.Slo;
import dev.nines.slo.SloRegistry;
import dev.nines.spring.boot.autoconfigure.internal.SloBuilders;
import dev.nines.spring.boot.autoconfigure.internal.SloEvaluation;
import dev.nines.spring.boot.autoconfigure.internal.SloHealthIndicator;
import dev.nines.spring.boot.autoconfigure.internal.SloRequestSink;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Objects;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Service level objectives from {@code nines.slo.*}, when nines-slo is on the class path (the starter
 * brings it):
 *
 * <ul>
 * <li>{@code ninesSloRegistry}: an {@link SloRegistry} (unless the application defines one) holding
 *     every SLO of {@code nines.slo.instances}, built and checked at startup (an invalid setting
 *     fails it, named by property path and value). Its state changes go to the application's
 *     {@link MetricsSink} as transitions of kind {@code slo}.
 * <li>The registry's sink is composed into the sink of every policy, pipeline and web guard the
 *     nines auto-configuration builds, so every annotated method and controller endpoint feeds the
 *     SLOs that count its name, with no code. A request is named as in the {@code nines.requests}
 *     meter: {@code GuardedController.search} for a controller method.
 * <li>{@code ninesSloEvaluation}: evaluates the alerts every {@code nines.slo.evaluation-interval}
 *     (10 s) on a thread of its own, stopped when the context closes; every
 *     {@link SloRegistry.Listener} bean (such as a {@link dev.nines.slo.BudgetProtection}) hears the
 *     state changes.
 * <li>{@code sloHealthIndicator}, with spring-boot-health: the health contributor {@code slo}, see
 *     {@link SloProperties.Health}.
 * <li>{@code ninesSloMeters}, with nines-micrometer and a {@link MeterRegistry}: {@link SloMeters},
 *     which Spring Boot binds to the registry.
 * </ul>
 *
 * Windows live in the process and start empty with it: the fleet-wide truth is Prometheus
 * evaluating rules over the {@code nines_slo_*} counters of every instance.
 */
@AutoConfiguration(after = NinesMetricsAutoConfiguration.class, afterName = {
    "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass(SloRegistry.class)
@ConditionalOnBooleanProperty(name = "nines.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SloProperties.class)
public class NinesSloAutoConfiguration {

    /** Created by Spring. */
    public NinesSloAutoConfiguration() {
    }

    /**
     * The application's SLO registry, reporting state changes to its metrics sink.
     *
     * @param metrics the application's sink, if it has exactly one (else the default sink)
     * @return an empty registry; the configured SLOs are added by {@code ninesSloSink}
     */
    @Bean
    @ConditionalOnMissingBean
    public SloRegistry ninesSloRegistry(ObjectProvider<MetricsSink> metrics) {
        return new SloRegistry(metrics.getIfUnique(Metrics::getDefault));
    }

    /**
     * Adds the SLOs of {@code nines.slo.instances} to the registry and offers its sink to the policy
     * factory and the web guards.
     *
     * @param registry   the registry
     * @param properties {@code nines.slo.*}
     * @param ticker     the application's time source, if it has exactly one (else nines-slo's
     *                   shared coarse ticker)
     * @return the sink that feeds the SLOs
     */
    @Bean
    public SloRequestSink ninesSloSink(SloRegistry registry, SloProperties properties, ObjectProvider<Ticker> ticker) {
        List<Slo> slos = SloBuilders.build(properties, ticker.getIfUnique());
        for (Slo slo : slos) {
            registry.add(slo);
        }
        return new SloRequestSink(registry.sink());
    }

    /**
     * Evaluates the SLOs' alerts periodically; stopped with the context. Every
     * {@link SloRegistry.Listener} bean of the application (a {@link dev.nines.slo.BudgetProtection}
     * built on the {@code PolicyRegistry} bean, say) is added to the registry first, so it hears every
     * state change.
     *
     * @param registry   the registry
     * @param properties {@code nines.slo.*}
     * @param sink       the configured SLOs, added before the first evaluation
     * @param listeners  the application's listeners of SLO state changes, in their order
     * @return the evaluation
     */
    @Bean(destroyMethod = "close")
    public SloEvaluation ninesSloEvaluation(SloRegistry registry, SloProperties properties, SloRequestSink sink,
            ObjectProvider<SloRegistry.Listener> listeners) {
        Objects.requireNonNull(sink, "sink");
        listeners.orderedStream().forEach(registry::addListener);
        return new SloEvaluation(registry, properties.getEvaluationInterval());
    }

    /** The {@code slo} health contributor, with spring-boot-health. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    static class SloHealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "sloHealthIndicator")
        HealthIndicator sloHealthIndicator(SloRegistry registry, SloProperties properties, SloRequestSink sink) {
            Objects.requireNonNull(sink, "sink");
            return new SloHealthIndicator(registry, properties.getHealth().isDegradeOnFastBurn());
        }
    }

    /** The SLO meters, with nines-micrometer and a meter registry. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"dev.nines.micrometer.SloMeters", "io.micrometer.core.instrument.MeterRegistry"})
    @ConditionalOnBean(type = "io.micrometer.core.instrument.MeterRegistry")
    static class SloMetersConfiguration {

        @Bean
        @ConditionalOnMissingBean
        SloMeters ninesSloMeters(SloRegistry registry, SloRequestSink sink) {
            Objects.requireNonNull(sink, "sink");
            return new SloMeters(registry);
        }
    }
}
