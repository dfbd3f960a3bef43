package dev.nines.spring.boot.autoconfigure.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.annotation.PolicyRegistry;
import dev.nines.bulkhead.annotation.WithBulkhead;
import dev.nines.ratelimit.Rate;
import dev.nines.ratelimit.RateLimiter;
import dev.nines.ratelimit.annotation.WithRateLimit;
import dev.nines.retry.annotation.WithRetry;
import dev.nines.spring.boot.autoconfigure.web.internal.ControllerGuards;
import dev.nines.web.EndpointGuard;
import dev.nines.web.NinesWeb;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** When the controller guard is configured, from what, and how bad configuration fails startup. */
class NinesWebMvcAutoConfigurationTest {

    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DispatcherServletAutoConfiguration.class,
                    WebMvcAutoConfiguration.class, NinesWebMvcAutoConfiguration.class));

    @RestController
    static class SearchController {
        @GetMapping("/search")
        @WithRateLimit(permits = 10, name = "search")
        public String search() {
            return "results";
        }

        @GetMapping("/about")
        public String about() {
            return "about";
        }
    }

    @RestController
    @WithBulkhead(maxConcurrent = 4)
    static class ClassLevelController {
        @GetMapping({"/a", "/a-too"})
        public String a() {
            return "a";
        }

        @GetMapping("/b")
        public String b() {
            return "b";
        }
    }

    @RestController
    static class BadLimitController {
        @GetMapping("/bad")
        @WithRateLimit(permits = 0)
        public String search() {
            return "never";
        }
    }

    @RestController
    static class RetriedController {
        @GetMapping("/retried")
        @WithRetry(maxAttempts = 3)
        public String fetch() {
            return "never";
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Import(SearchController.class)
    static class SearchApp {
    }

    @Configuration(proxyBeanMethods = false)
    static class RegisteredLimiter {
        @Bean
        PolicyRegistry registry() {
            PolicyRegistry registry = new PolicyRegistry();
            registry.register(RateLimiter.builder("search").limit(Rate.of(3, Duration.ofSeconds(1))).build());
            return registry;
        }
    }

    @Test
    void guardsOnlyTheAnnotatedHandlerMethodsAtStartup() {
        web.withUserConfiguration(SearchApp.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(ControllerGuards.class).hasSingleBean(NinesWeb.class);
            assertThat(context.getBean(ControllerGuards.class).guards()).extracting(EndpointGuard::name)
                    .containsExactly("SearchController.search");
        });
    }

    @Test
    void aClassLevelAnnotationGuardsEveryHandlerMethodOnceHoweverManyPathsLeadToIt() {
        web.withUserConfiguration(ClassLevelController.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(ControllerGuards.class).guards()).extracting(EndpointGuard::name)
                    .containsExactlyInAnyOrder("ClassLevelController.a", "ClassLevelController.b");
        });
    }

    @Test
    void aNamedLimiterComesFromTheApplicationsPolicyRegistry() {
        web.withUserConfiguration(SearchApp.class, RegisteredLimiter.class).run(context -> {
            PolicyRegistry registry = context.getBean(PolicyRegistry.class);
            assertThat(context.getBean(NinesWeb.class).registry()).isSameAs(registry);
            assertThat(context.getBean(ControllerGuards.class).guards().get(0).toString()).contains("rate limit search");
        });
    }

    @Test
    void anInvalidAnnotationFailsStartupNamingTheMethod() {
        web.withUserConfiguration(BadLimitController.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasMessageContaining("BadLimitController#search")
                    .hasMessageContaining("/bad")
                    .hasMessageContaining("@WithRateLimit on BadLimitController.search()")
                    .hasMessageContaining("permits");
        });
    }

    @Test
    void aRetryOnAnEndpointFailsStartupNamingTheMethod() {
        web.withUserConfiguration(RetriedController.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasMessageContaining("RetriedController#fetch")
                    .hasMessageContaining("@WithRetry on RetriedController.fetch()");
        });
    }

    @Test
    void invalidPropertiesFailStartupNamingEachPropertyAndValue() {
        web.withUserConfiguration(SearchApp.class)
                .withPropertyValues("nines.web.trusted-proxies=10.0.0.0/8,10.0.0.300",
                        "nines.web.client-key.ipv6-prefix-length=0",
                        "nines.web.priority.header=X-Priority")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .hasMessageContaining("nines.web.trusted-proxies[1] must be an IP address or CIDR range")
                            .hasMessageContaining("but was '10.0.0.300'")
                            .hasMessageContaining("nines.web.client-key.ipv6-prefix-length must be 1..128 but was 0")
                            .hasMessageContaining("nines.web.priority.trusted-callers must not be empty");
                });
    }

    @Test
    void forwardedKeysNeedTrustedProxies() {
        web.withUserConfiguration(SearchApp.class).withPropertyValues("nines.web.client-key.source=forwarded")
                .run(context -> assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("nines.web.trusted-proxies must not be empty when "
                                + "nines.web.client-key.source is forwarded"));
    }

    @Test
    void anUnknownKeySourceFailsStartupNamingTheProperty() {
        web.withUserConfiguration(SearchApp.class).withPropertyValues("nines.web.client-key.source=cookie")
                .run(context -> {
                    assertThat(context).hasFailed();
                    StringBuilder messages = new StringBuilder();
                    for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
                        messages.append(t.getMessage()).append('\n');
                    }
                    assertThat(messages).contains("Failed to bind properties under 'nines.web.client-key.source'")
                            .contains("[cookie]");
                });
    }

    @Test
    void turnedOffByNinesWebEnabledOrNinesEnabled() {
        web.withUserConfiguration(SearchApp.class).withPropertyValues("nines.web.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ControllerGuards.class));
        web.withUserConfiguration(SearchApp.class).withPropertyValues("nines.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ControllerGuards.class));
    }

    @Test
    void notConfiguredOutsideAServletWebApplication() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NinesWebMvcAutoConfiguration.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ControllerGuards.class));
    }
}
