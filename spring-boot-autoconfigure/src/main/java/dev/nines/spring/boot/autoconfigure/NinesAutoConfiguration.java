package dev.nines.spring.boot.autoconfigure;

import dev.nines.annotation.PolicyRegistry;
import dev.nines.metrics.MetricsSink;
import dev.nines.spring.boot.autoconfigure.internal.ConfiguredPolicies;
import dev.nines.spring.boot.autoconfigure.internal.FleetBuilders;
import dev.nines.spring.boot.autoconfigure.internal.NinesAnnotationBeanPostProcessor;
import dev.nines.spring.boot.autoconfigure.internal.PolicyFactory;
import dev.nines.spring.boot.autoconfigure.internal.RegistryPopulator;
import dev.nines.spring.boot.autoconfigure.internal.SloRequestSink;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import java.util.Objects;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;

/**
 * The nines auto-configuration: the policies of {@code nines.*} built at startup and registered
 * in one {@link PolicyRegistry} bean, and the nines annotations applied to Spring beans.
 *
 * <ul>
 * <li>{@code ninesPolicyRegistry}: a {@link PolicyRegistry}, unless the application defines one;
 *     either way every configured instance is registered in it before anyone can use it.
 * <li>{@code ninesPolicyFactory}: builds the instances from the {@link Environment}, reporting to
 *     the application's {@link MetricsSink} bean if there is exactly one (see
 *     {@link NinesMetricsAutoConfiguration}) and to the SLOs of {@link NinesSloAutoConfiguration}; the fleet limiters of
 *     {@code nines.fleet-rate-limiter} (with nines-redis) use the application's Lettuce
 *     {@code StatefulRedisConnection<String, String>} bean.
 * <li>{@code ninesAnnotationBeanPostProcessor}: wraps beans whose methods carry nines annotations.
 * <li>{@code ninesReloader}: a {@link NinesReloader}, which applies a changed configuration to the
 *     running instances; with Spring Cloud, its refresh ({@code EnvironmentChangeEvent}) triggers it.
 * </ul>
 *
 * Instances are not beans of their own: look them up in the registry
 * ({@code registry.find("payments", CircuitBreaker.class)}). {@code nines.enabled=false} turns all
 * of it off.
 */
@AutoConfiguration(after = NinesMetricsAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "nines.enabled", matchIfMissing = true)
@EnableConfigurationProperties(NinesProperties.class)
public class NinesAutoConfiguration {

    /** Created by Spring. */
    public NinesAutoConfiguration() {
    }

    /**
     * The registry every annotation, proxy and web guard of the application shares.
     *
     * @return an empty registry; the configured instances are added when it is initialized
     */
    @Bean
    @ConditionalOnMissingBean
    public PolicyRegistry ninesPolicyRegistry() {
        return new PolicyRegistry();
    }

    /**
     * The factory that turns {@code nines.*} into policies.
     *
     * @param metrics the application's sink, if it has exactly one
     * @param beans   where the fleet limiters find the application's Lettuce connection
     * @return the factory
     */
    @Bean
    @ConditionalOnMissingBean
    public PolicyFactory ninesPolicyFactory(ObjectProvider<MetricsSink> metrics, ListableBeanFactory beans) {
        ClassLoader loader = NinesAutoConfiguration.class.getClassLoader();
        // with SLOs (NinesSloAutoConfiguration), every policy also feeds them its request events
        return new PolicyFactory(SloRequestSink.compose(metrics.getIfUnique(), beans),
                FleetBuilders.available(loader) ? () -> FleetBuilders.connection(beans) : null);
    }

    /**
     * Every configured instance, built and validated at startup; closed with the context.
     *
     * @param factory     the factory
     * @param environment the application's environment
     * @return the instances
     */
    @Bean(destroyMethod = "close")
    public ConfiguredPolicies ninesConfiguredPolicies(PolicyFactory factory, Environment environment) {
        return factory.build(environment);
    }

    /**
     * Applies a changed {@code nines.*} configuration to the running policies; Spring Cloud's
     * refresh calls it, and so can the application.
     *
     * @param factory     the factory
     * @param registry    the registry whose instances it reconfigures
     * @param environment the application's environment
     * @param policies    the startup instances, registered before the reloader reads the environment
     * @return the reloader
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public NinesReloader ninesReloader(PolicyFactory factory, PolicyRegistry registry, Environment environment,
            ConfiguredPolicies policies) {
        Objects.requireNonNull(policies, "policies");
        return new NinesReloader(factory, registry, environment);
    }

    /** Spring Cloud's refresh: an {@code EnvironmentChangeEvent} naming a {@code nines.*} key reloads. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.cloud.context.environment.EnvironmentChangeEvent")
    static class SpringCloudRefresh {

        @Bean
        ApplicationListener<EnvironmentChangeEvent> ninesEnvironmentChangeListener(ObjectProvider<NinesReloader> reloader) {
            return event -> {
                if (event.getKeys().stream().anyMatch(SpringCloudRefresh::isNines)) {
                    reloader.ifAvailable(NinesReloader::reload);
                }
            };
        }

        /** {@code nines.x} as written in a file, {@code NINES_X} as an environment variable. */
        static boolean isNines(String key) {
            return key.regionMatches(true, 0, "nines.", 0, 6) || key.regionMatches(true, 0, "nines_", 0, 6);
        }
    }

    /**
     * Registers the configured instances in every {@link PolicyRegistry} bean as it is initialized.
     *
     * @param policies the configured instances, resolved when the first registry is
     * @return the post-processor
     */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    public static RegistryPopulator ninesRegistryPopulator(ObjectProvider<ConfiguredPolicies> policies) {
        return new RegistryPopulator(policies::getObject);
    }

    /**
     * Applies the nines annotations to the methods of Spring beans (not of controllers).
     *
     * @param registry the registry
     * @param factory  the factory, for its metrics sink
     * @return the post-processor
     */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    public static NinesAnnotationBeanPostProcessor ninesAnnotationBeanPostProcessor(
            ObjectProvider<PolicyRegistry> registry, ObjectProvider<PolicyFactory> factory) {
        return new NinesAnnotationBeanPostProcessor(registry::getObject, () -> factory.getObject().metrics());
    }
}
