package dev.nines.spring.boot.autoconfigure.web;

import dev.nines.ManualTicker;
import dev.nines.Priority;
import dev.nines.annotation.PolicyRegistry;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.RequestOutcome;
import dev.nines.shedding.LoadShedder;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;

/** The application the controller tests start on a real port: the guarded controllers, a manual clock, a recording sink. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(GuardedController.class)
public class WebTestApplication {

    /** The time of every policy the guards build; tests advance it. */
    @Bean
    ManualTicker webTestTicker() {
        return new ManualTicker();
    }

    /** Holds the "api" shedder the {@code @WithPriority} endpoints name. */
    @Bean
    PolicyRegistry webTestPolicyRegistry(ManualTicker ticker) {
        PolicyRegistry registry = new PolicyRegistry();
        registry.register(LoadShedder.builder("api").ticker(ticker).build());
        return registry;
    }

    /** Where the guards report; primary, so another sink in the context does not replace it. */
    @Bean
    @Primary
    RecordingSink recordingSink() {
        return new RecordingSink();
    }

    /** Remembers each request event. Thread-safe. */
    public static final class RecordingSink implements MetricsSink {
        /** One request event. */
        public record Request(String name, Priority priority, RequestOutcome outcome, String rejectedBy) {
        }

        /** Every request event so far. */
        public final List<Request> requests = new CopyOnWriteArrayList<>();

        @Override
        public void onRequest(String name, Priority priority, RequestOutcome outcome, String rejectedBy,
                String rejectedKind, long latencyNanos) {
            requests.add(new Request(name, priority, outcome, rejectedBy));
        }

        /** The events of endpoint {@code name}. */
        public List<Request> of(String name) {
            return requests.stream().filter(r -> r.name().equals(name)).toList();
        }
    }
}
