package dev.nines.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nines.annotation.NinesProxy;
import dev.nines.annotation.PolicyRegistry;
import dev.nines.metrics.MetricsSink;
import dev.nines.retry.annotation.Retry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryAnnotationTest {

    public interface Quotes {
        @Retry(name = "quotes", minAttemptTimeMillis = 35)
        String quote();
    }

    public interface BadQuotes {
        @Retry(minAttemptTimeMillis = -1)
        String quote();
    }

    @Test
    void minAttemptTimeMillisSetsThePolicysMinAttemptTime() {
        PolicyRegistry registry = new PolicyRegistry();
        Quotes quotes = NinesProxy.builder(Quotes.class, () -> "42").registry(registry)
                .metrics(MetricsSink.noop()).build();
        assertEquals("42", quotes.quote());
        RetryPolicy retry = registry.find("quotes", RetryPolicy.class).orElseThrow();
        assertEquals(Duration.ofMillis(35), retry.minAttemptTime());
    }

    @Test
    void aNegativeMinAttemptTimeFailsAtProxyCreationNamingMethodAndAttribute() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NinesProxy.builder(BadQuotes.class, () -> "42").metrics(MetricsSink.noop()).build());
        assertEquals("@Retry on BadQuotes.quote(): minAttemptTimeMillis must be >= 0 but was -1", e.getMessage());
    }
}
