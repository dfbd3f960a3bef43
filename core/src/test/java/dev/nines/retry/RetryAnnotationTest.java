package dev.nines.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nines.ManualTicker;
import dev.nines.annotation.NinesProxy;
import dev.nines.annotation.PolicyRegistry;
import dev.nines.metrics.MetricsSink;
import dev.nines.retry.annotation.WithRetry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryAnnotationTest {

    public interface Quotes {
        @WithRetry(name = "quotes", minAttemptTimeMillis = 35)
        String quote();
    }

    public interface Flaky {
        @WithRetry(maxAttempts = 3, initialDelayMillis = 100, multiplier = 2, jitter = Jitter.NONE)
        String quote() throws IOException;
    }

    public interface BadQuotes {
        @WithRetry(minAttemptTimeMillis = -1)
        String quote();
    }

    @Test
    void minAttemptTimeMillisSetsThePolicysMinAttemptTime() {
        PolicyRegistry registry = new PolicyRegistry();
        Quotes quotes = NinesProxy.builder(Quotes.class, () -> "42").registry(registry)
                .metrics(MetricsSink.noop()).build();
        assertEquals("42", quotes.quote());
        Retry retry = registry.find("quotes", Retry.class).orElseThrow();
        assertEquals(Duration.ofMillis(35), retry.minAttemptTime());
    }

    @Test
    void anAnnotatedRetryWaitsThroughTheProxysSleeperOnItsTicker() throws Exception {
        ManualTicker ticker = new ManualTicker();
        List<Long> sleeps = new ArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        Flaky flaky = NinesProxy.builder(Flaky.class, (Flaky) () -> {
            if (calls.incrementAndGet() < 3) {
                throw new IOException("try again");
            }
            return "42";
        }).ticker(ticker).sleeper(nanos -> {
            sleeps.add(nanos);
            ticker.advance(nanos);
        }).metrics(MetricsSink.noop()).build();

        assertEquals("42", flaky.quote());
        assertEquals(3, calls.get());
        assertEquals(List.of(Duration.ofMillis(100).toNanos(), Duration.ofMillis(200).toNanos()), sleeps,
                "both backoffs went through the given sleeper, none through the real clock");
        assertEquals(Duration.ofMillis(300).toNanos(), ticker.read());
    }

    @Test
    void aNegativeMinAttemptTimeFailsAtProxyCreationNamingMethodAndAttribute() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NinesProxy.builder(BadQuotes.class, () -> "42").metrics(MetricsSink.noop()).build());
        assertEquals("@WithRetry on BadQuotes.quote(): minAttemptTimeMillis must be >= 0 but was -1", e.getMessage());
    }
}
