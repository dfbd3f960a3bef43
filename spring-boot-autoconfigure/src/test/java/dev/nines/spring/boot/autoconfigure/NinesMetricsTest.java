package dev.nines.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.CallContext;
import dev.nines.Next;
import dev.nines.annotation.PolicyRegistry;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.circuitbreaker.annotation.WithCircuitBreaker;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.MetricsSink;
import dev.nines.micrometer.MicrometerSink;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class NinesMetricsTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(NinesMetricsAutoConfiguration.class, NinesAutoConfiguration.class))
            .withPropertyValues("nines.circuit-breaker.instances.payments.minimum-calls=5");

    @Test
    void everyConfiguredPolicyAndAnnotatedMethodReportsToTheApplicationsMeterRegistry() {
        runner.withUserConfiguration(Meters.class).run(context -> {
            assertThat(context.getBean(MetricsSink.class)).isInstanceOf(MicrometerSink.class);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            CircuitBreaker payments = context.getBean(PolicyRegistry.class).find("payments", CircuitBreaker.class)
                    .orElseThrow();
            payments.execute(CallContext.empty(), () -> "paid", Next.END);
            assertThat(meters.find(MicrometerSink.POLICY_CALLS).tag("policy", "payments").meters()).isNotEmpty();
            assertThat(context.getBean(Client.class).call()).isEqualTo("called");
            assertThat(meters.find(MicrometerSink.REQUESTS).tag("endpoint", "Client.call").meters()).isNotEmpty();
            assertThat(Metrics.getDefault()).isNotSameAs(context.getBean(MetricsSink.class)); // no JVM-wide default
        });
    }

    @Test
    void withoutAMeterRegistryThereIsNoSink() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(MetricsSink.class);
        });
    }

    /** An annotated bean. */
    public static class Client {
        @WithCircuitBreaker(name = "payments")
        public String call() {
            return "called";
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Meters {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        Client client() {
            return new Client();
        }
    }
}
