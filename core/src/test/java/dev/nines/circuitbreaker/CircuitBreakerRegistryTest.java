package dev.nines.circuitbreaker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.Policy;
import dev.nines.annotation.AnnotatedMethod;
import dev.nines.annotation.MethodPolicies;
import dev.nines.annotation.NinesProxy;
import dev.nines.annotation.PolicyRegistry;
import dev.nines.circuitbreaker.annotation.WithCircuitBreaker;
import dev.nines.metrics.MetricsSink;
import dev.nines.retry.Retry;
import dev.nines.retry.annotation.WithRetry;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** How unnamed and named breaker annotations pick their instance from a {@link PolicyRegistry}. */
class CircuitBreakerRegistryTest {

    private final ManualTicker ticker = new ManualTicker();

    public interface Quotes {
        @WithRetry(maxAttempts = 3, initialDelayMillis = 0, maxDelayMillis = 0)
        @WithCircuitBreaker
        String quote() throws IOException;

        @WithRetry(name = "quotes", maxAttempts = 2)
        String named();
    }

    static final class FlakyQuotes implements Quotes {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public String quote() throws IOException {
            calls.incrementAndGet();
            throw new IOException("down");
        }

        @Override
        public String named() {
            return "named";
        }
    }

    @Test
    void aBreakerRegisteredUnderTheDefaultNameOverridesOnlyTheBreakerAnnotation() throws Exception {
        CircuitBreaker mine = CircuitBreaker.builder("Quotes.quote").minimumCalls(100).countWindow(100)
                .metrics(MetricsSink.noop()).ticker(ticker).build();
        PolicyRegistry registry = new PolicyRegistry().register(mine);
        FlakyQuotes target = new FlakyQuotes();

        Quotes q = NinesProxy.builder(Quotes.class, target).registry(registry).ticker(ticker)
                .metrics(MetricsSink.noop()).build();
        IOException e = assertThrows(IOException.class, q::quote);
        assertEquals("down", e.getMessage());
        assertEquals(3, target.calls.get(), "the method's own retry ran three attempts");
        assertEquals(3, mine.bufferedCalls(), "each attempt went through the registered breaker");

        MethodPolicies plan = MethodPolicies.of(new AnnotatedMethod(Quotes.class.getMethod("quote"), target,
                registry, MetricsSink.noop(), ticker), MethodPolicies.discoverHandlers());
        List<Policy> policies = plan.pipeline().policies();
        assertEquals(2, policies.size(), policies.toString());
        assertInstanceOf(Retry.class, policies.get(0));
        assertSame(mine, policies.get(1));
        assertSame(mine, registry.find("Quotes.quote", CircuitBreaker.class).orElseThrow(),
                "the retry built its own and did not register it");
        assertTrue(registry.find("Quotes.quote", Retry.class).isEmpty());
    }

    @Test
    void anExplicitNameHoldingAnotherKindStillFails() {
        PolicyRegistry registry = new PolicyRegistry()
                .register(CircuitBreaker.builder("quotes").metrics(MetricsSink.noop()).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NinesProxy.builder(Quotes.class, new FlakyQuotes()).registry(registry).ticker(ticker)
                        .metrics(MetricsSink.noop()).build());
        assertEquals("@WithRetry on Quotes.named(): policy 'quotes' is a CircuitBreaker, not a Retry", e.getMessage());
    }
}
