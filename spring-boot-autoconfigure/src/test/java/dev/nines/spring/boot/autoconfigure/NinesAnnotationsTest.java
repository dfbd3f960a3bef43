package dev.nines.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nines.annotation.PolicyRegistry;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.circuitbreaker.CircuitBreakerOpenException;
import dev.nines.circuitbreaker.CircuitState;
import dev.nines.circuitbreaker.annotation.WithCircuitBreaker;
import dev.nines.fallback.annotation.WithFallback;
import dev.nines.retry.annotation.WithRetry;
import dev.nines.spring.boot.autoconfigure.internal.NinesConfigurationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Controller;

class NinesAnnotationsTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(NinesAutoConfiguration.class))
            .withUserConfiguration(Beans.class);

    @Test
    void aBreakerConfiguredInYamlOpensAfterTheConfiguredFailuresOfAnAnnotatedBeanMethod() {
        runner.withPropertyValues("nines.circuit-breaker.instances.payments.count-window=4",
                "nines.circuit-breaker.instances.payments.minimum-calls=4",
                "nines.circuit-breaker.instances.payments.failure-rate-threshold=0.5").run(context -> {
                    PaymentClient client = context.getBean(PaymentClient.class);
                    assertThat(AopUtils.isCglibProxy(client)).isTrue();
                    for (int i = 0; i < 4; i++) {
                        assertThatThrownBy(client::charge).isInstanceOf(IllegalStateException.class);
                    }
                    assertThat(client.calls()).isEqualTo(4);
                    CircuitBreaker payments = context.getBean(PolicyRegistry.class)
                            .find("payments", CircuitBreaker.class).orElseThrow();
                    assertThat(payments.state()).isEqualTo(CircuitState.OPEN);
                    assertThatThrownBy(client::charge).isInstanceOf(CircuitBreakerOpenException.class);
                    assertThat(client.calls()).isEqualTo(4); // refused without reaching the bean
                    payments.reset();
                });
    }

    @Test
    void aRetryConfiguredInYamlRetriesTheBeanMethod() {
        runner.withPropertyValues("nines.retry.instances.fetch.max-attempts=3",
                "nines.retry.instances.fetch.backoff.type=none").run(context -> {
                    Fetcher fetcher = context.getBean(Fetcher.class);
                    fetcher.failTimes(2);
                    assertThat(fetcher.fetch()).isEqualTo("fetched after 3");
                    fetcher.failTimes(5);
                    assertThatThrownBy(fetcher::fetch).isInstanceOf(IllegalStateException.class);
                    assertThat(fetcher.attempts()).isEqualTo(3); // every attempt the retry allows, then its failure
                });
    }

    @Test
    void anAsynchronousMethodIsRetriedThroughItsStage() {
        runner.withPropertyValues("nines.retry.instances.fetch.max-attempts=3",
                "nines.retry.instances.fetch.backoff.type=none").run(context -> {
                    Fetcher fetcher = context.getBean(Fetcher.class);
                    fetcher.failTimes(2);
                    assertThat(fetcher.fetchAsync().toCompletableFuture().join()).isEqualTo("fetched after 3");
                });
    }

    @Test
    void aFallbackMethodOfTheBeanAnswersWhenTheBreakerIsOpen() {
        runner.withPropertyValues("nines.circuit-breaker.instances.quotes.minimum-calls=1",
                "nines.circuit-breaker.instances.quotes.count-window=1").run(context -> {
                    QuoteService quotes = context.getBean(QuoteService.class);
                    assertThat(quotes.quote()).isEqualTo("cached"); // the failure itself falls back
                    assertThat(quotes.quote()).isEqualTo("cached"); // refused by the open breaker
                    assertThat(quotes.calls()).isEqualTo(1);
                    context.getBean(PolicyRegistry.class).find("quotes", CircuitBreaker.class).orElseThrow().reset();
                });
    }

    @Test
    void everyContextReusesTheSameProxyClass() {
        Class<?>[] classes = new Class<?>[2];
        for (int i = 0; i < 2; i++) {
            int run = i;
            runner.withPropertyValues("nines.retry.instances.fetch.max-attempts=3")
                    .run(context -> classes[run] = context.getBean(Fetcher.class).getClass());
        }
        assertThat(classes[1]).isSameAs(classes[0]); // not a new CGLIB class (and Metaspace) per context
    }

    @Test
    void controllersAreLeftToTheWebGuard() {
        runner.run(context -> {
            assertThat(AopUtils.isAopProxy(context.getBean(QuoteController.class))).isFalse();
            assertThat(AopUtils.isAopProxy(context.getBean(Plain.class))).isFalse();
        });
    }

    @Test
    void aBeanAlreadyProxiedBySpringAopGetsTheAdviceAddedToItsProxy() {
        runner.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
                .withUserConfiguration(Aspects.class)
                .withPropertyValues("nines.retry.instances.fetch.max-attempts=3",
                        "nines.retry.instances.fetch.backoff.type=none").run(context -> {
                            Fetcher fetcher = context.getBean(Fetcher.class);
                            fetcher.failTimes(1);
                            assertThat(fetcher.fetch()).isEqualTo("fetched after 2");
                            assertThat(Aspects.seen.get()).isEqualTo(2); // the aspect runs inside the retry
                        });
    }

    @Test
    void anInvalidAnnotationFailsTheStartupNamingTheMethodAndAttribute() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NinesAutoConfiguration.class))
                .withUserConfiguration(Invalid.class).run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause().isInstanceOf(IllegalArgumentException.class);
                    NinesConfigurationException e = find(context.getStartupFailure());
                    assertThat(e.getMessage()).contains("BadRetry.call()").contains("maxAttempts");
                });
    }

    @Test
    void aFinalBeanClassIsProxiedThroughItsInterfaceOrFailsClearly() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NinesAutoConfiguration.class))
                .withUserConfiguration(Finals.class)
                .withPropertyValues("nines.retry.instances.fetch.max-attempts=2",
                        "nines.retry.instances.fetch.backoff.type=none").run(context -> {
                            Greeter greeter = context.getBean(Greeter.class);
                            assertThat(AopUtils.isJdkDynamicProxy(greeter)).isTrue();
                            assertThat(greeter.greet()).isEqualTo("hello after 2");
                        });
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NinesAutoConfiguration.class))
                .withBean(FinalClient.class).run(context -> assertThat(find(context.getStartupFailure()).getMessage())
                        .contains(FinalClient.class.getName()).contains("must not be final"));
    }

    private static NinesConfigurationException find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof NinesConfigurationException e) {
                return e;
            }
        }
        throw new AssertionError("no NinesConfigurationException in " + t, t);
    }

    /** A client with a breaker configured in YAML. */
    public static class PaymentClient {
        final AtomicInteger calls = new AtomicInteger();

        public int calls() {
            return calls.get();
        }

        @WithCircuitBreaker(name = "payments")
        public String charge() {
            calls.incrementAndGet();
            throw new IllegalStateException("payment service down");
        }
    }

    /** A client whose calls fail a set number of times. */
    public static class Fetcher {
        final AtomicInteger failuresLeft = new AtomicInteger();
        final AtomicInteger attempts = new AtomicInteger();

        public void failTimes(int failures) {
            failuresLeft.set(failures);
        }

        public int attempts() {
            return attempts.get();
        }

        @WithRetry(name = "fetch")
        public String fetch() {
            int attempt = attempts.incrementAndGet();
            if (failuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("attempt " + attempt + " failed");
            }
            String answer = "fetched after " + attempt;
            attempts.set(0);
            return answer;
        }

        @WithRetry(name = "fetch")
        public CompletionStage<String> fetchAsync() {
            try {
                return CompletableFuture.completedFuture(fetch());
            } catch (IllegalStateException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
    }

    /** A fallback method on the bean itself. */
    public static class QuoteService {
        final AtomicInteger calls = new AtomicInteger();

        public int calls() {
            return calls.get();
        }

        @WithFallback(method = "cachedQuote")
        @WithCircuitBreaker(name = "quotes")
        public String quote() {
            calls.incrementAndGet();
            throw new IllegalStateException("quotes down");
        }

        public String cachedQuote(Throwable failure) {
            return "cached";
        }
    }

    /** A controller: the web guard's, not the advisor's. */
    @Controller
    public static class QuoteController {
        @WithCircuitBreaker(name = "quotes")
        public String quote() {
            return "quote";
        }
    }

    /** No annotations: not proxied. */
    public static class Plain {
        public String hello() {
            return "hello";
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Beans {
        @Bean
        PaymentClient paymentClient() {
            return new PaymentClient();
        }

        @Bean
        Fetcher fetcher() {
            return new Fetcher();
        }

        @Bean
        QuoteService quoteService() {
            return new QuoteService();
        }

        @Bean
        QuoteController quoteController() {
            return new QuoteController();
        }

        @Bean
        Plain plain() {
            return new Plain();
        }
    }

    /** An AspectJ-style advisor on the fetcher, counting the calls that reach it. */
    @Configuration(proxyBeanMethods = false)
    @org.springframework.context.annotation.EnableAspectJAutoProxy(proxyTargetClass = true)
    static class Aspects {
        static final AtomicInteger seen = new AtomicInteger();

        @Bean
        org.springframework.aop.Advisor countingAdvisor() {
            org.springframework.aop.support.NameMatchMethodPointcutAdvisor advisor =
                    new org.springframework.aop.support.NameMatchMethodPointcutAdvisor(
                            (org.aopalliance.intercept.MethodInterceptor) invocation -> {
                                seen.incrementAndGet();
                                return invocation.proceed();
                            });
            advisor.setMappedName("fetch");
            return advisor;
        }
    }

    /** An interface of a final bean class. */
    public interface Greeter {
        String greet();
    }

    /** A final class with an interface: a JDK proxy. */
    public static final class FinalGreeter implements Greeter {
        private final AtomicInteger attempts = new AtomicInteger();

        @Override
        @WithRetry(name = "fetch")
        public String greet() {
            if (attempts.incrementAndGet() < 2) {
                throw new IllegalStateException("not yet");
            }
            return "hello after " + attempts.get();
        }
    }

    /** A final class without an interface: no proxy can protect it. */
    public static final class FinalClient {
        @WithRetry(name = "fetch")
        public String call() {
            return "never protected";
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Finals {
        @Bean
        Greeter greeter() {
            return new FinalGreeter();
        }
    }

    /** A bean with an invalid annotation. */
    public static class BadRetry {
        @WithRetry(maxAttempts = 0)
        public String call() {
            return "never";
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Invalid {
        @Bean
        BadRetry badRetry() {
            return new BadRetry();
        }
    }
}
