package dev.nines.spring.boot.autoconfigure.web;

import dev.nines.Ticker;
import dev.nines.annotation.PolicyRegistry;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.MetricsSink;
import dev.nines.spring.boot.autoconfigure.NinesAutoConfiguration;
import dev.nines.spring.boot.autoconfigure.internal.SloRequestSink;
import dev.nines.spring.boot.autoconfigure.web.internal.ControllerGuards;
import dev.nines.spring.boot.autoconfigure.web.internal.WebSettings;
import dev.nines.web.ClientKeyResolver;
import dev.nines.web.EndpointGuard;
import dev.nines.web.NinesWeb;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerAdapter;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * nines on Spring MVC {@code @RestController} methods: the nines annotations on a handler method
 * and its class ({@code @WithRateLimit}, {@code @WithPriority}, {@code @WithBulkhead},
 * {@code @WithCircuitBreaker}) guard that endpoint as {@link EndpointGuard} does for the other
 * adapters, with 429 and 503 answers in {@code application/problem+json}, {@code Retry-After} and
 * the {@code RateLimit} headers. One guard per handler method, built at startup.
 *
 * <pre>{@code
 * @RestController
 * class CatalogController {
 *     @GetMapping("/search")
 *     @WithRateLimit(permits = 10, period = 1, unit = SECONDS, key = KeySource.CLIENT)
 *     @WithPriority(Priority.P2)
 *     List<Item> search(@RequestParam String q) { ... }
 * }
 * }</pre>
 *
 * <p>Active in a servlet web application with Spring MVC, unless {@code nines.enabled} or
 * {@code nines.web.enabled} is false. Settings come from {@link NinesWebProperties}
 * ({@code nines.web.*}); a {@link NinesWeb} bean of the application's own replaces them, and a
 * {@link ClientKeyResolver} bean replaces {@code nines.web.client-key}. Named policies come from the
 * application's {@link PolicyRegistry} bean when there is one (so {@code @WithRateLimit(name =
 * "search")} uses the limiter configured under that name), metrics go to its {@link MetricsSink}
 * bean (else {@link Metrics#getDefault()}) and to the SLOs of {@code nines.slo.*} when there are
 * any, and time comes from its {@link Ticker} bean (else the
 * system ticker).
 */
@AutoConfiguration(after = NinesAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({DispatcherServlet.class, RequestMappingHandlerMapping.class, EndpointGuard.class})
@ConditionalOnProperty(name = {"nines.enabled", "nines.web.enabled"}, havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(NinesWebProperties.class)
public class NinesWebMvcAutoConfiguration {

    /** Where the guards find the SLOs' sink, when the application has SLOs; set by Spring. */
    private BeanFactory beans;

    /** Created by Spring. */
    public NinesWebMvcAutoConfiguration() {
    }

    /** Spring's bean factory, asked for the SLOs' sink (not a parameter of the bean method, an API). */
    @Autowired
    void ninesBeanFactory(BeanFactory beanFactory) {
        this.beans = beanFactory;
    }

    /**
     * The settings every controller guard is built from, from {@code nines.web.*}.
     *
     * @param properties {@code nines.web.*}
     * @param keys       the application's client key resolver, if it has one
     * @param registry   the application's policy registry, if it has one
     * @param metrics    the application's metrics sink, if it has exactly one
     * @param ticker     the application's time source, if it has exactly one
     * @return the settings
     * @throws IllegalArgumentException naming each invalid property and its value
     */
    @Bean
    @ConditionalOnMissingBean
    public NinesWeb ninesWeb(NinesWebProperties properties, ObjectProvider<ClientKeyResolver> keys,
            ObjectProvider<PolicyRegistry> registry, ObjectProvider<MetricsSink> metrics,
            ObjectProvider<Ticker> ticker) {
        return WebSettings.of(properties, keys.getIfUnique(), registry.getIfAvailable(PolicyRegistry::new),
                SloRequestSink.compose(metrics.getIfUnique(Metrics::getDefault), beans),
                ticker.getIfUnique(Ticker::system));
    }

    /**
     * The handler adapter that runs each annotated handler method inside its guard.
     *
     * @param web      the settings
     * @param mappings the handler mappings whose annotated methods are guarded
     * @param adapters the handler adapters that run them (Spring's {@code RequestMappingHandlerAdapter})
     * @return the guards, built once the context has started
     */
    @Bean
    public ControllerGuards ninesControllerGuards(NinesWeb web, ObjectProvider<RequestMappingHandlerMapping> mappings,
            ObjectProvider<HandlerAdapter> adapters) {
        return new ControllerGuards(web, () -> mappings.orderedStream().toList(),
                () -> adapters.orderedStream().toList());
    }
}
