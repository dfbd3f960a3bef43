package dev.nines.annotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nines.ManualTicker;
import dev.nines.Priority;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.circuitbreaker.CircuitBreakerOpenException;
import dev.nines.circuitbreaker.annotation.WithCircuitBreaker;
import dev.nines.fallback.annotation.WithFallback;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.RequestOutcome;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Each call of a proxied method is one request event: its name, outcome and latency. */
class NinesProxyRequestEventsTest {

    /** The proxied interface; public so that the proxy class can see it. */
    public interface Quotes {
        @WithFallback(method = "cached")
        String quote(String id) throws IOException;

        @WithCircuitBreaker(name = "quotes-breaker")
        String guarded();

        String plain();

        CompletionStage<String> later(boolean fail);
    }

    /** Answers after 3 ms of manual time; fails when asked to. */
    public final class Backend implements Quotes {
        @Override
        public String quote(String id) throws IOException {
            ticker.advance(Duration.ofMillis(3));
            if (id.isEmpty()) {
                throw new IOException("no id");
            }
            return "quote " + id;
        }

        public String cached(String id) {
            return "cached";
        }

        @Override
        public String guarded() {
            return "guarded";
        }

        @Override
        public String plain() {
            ticker.advance(Duration.ofMillis(3));
            throw new IllegalStateException("plain failure");
        }

        @Override
        public CompletionStage<String> later(boolean fail) {
            ticker.advance(Duration.ofMillis(3));
            return fail ? CompletableFuture.failedFuture(new IOException("async failure"))
                    : CompletableFuture.completedFuture("later");
        }
    }

    private final ManualTicker ticker = new ManualTicker();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final MetricsSink recorder = new MetricsSink() {
        @Override
        public void onRequest(String name, Priority priority, RequestOutcome outcome, String rejectedBy,
                String rejectedKind, long latencyNanos) {
            events.add(name + " " + priority + " " + outcome + " " + rejectedBy + " " + rejectedKind + " "
                    + Duration.ofNanos(latencyNanos).toMillis() + "ms");
        }
    };
    private final PolicyRegistry registry = new PolicyRegistry();
    private final Quotes quotes = NinesProxy.builder(Quotes.class, new Backend()).registry(registry)
            .metrics(recorder).ticker(ticker).build();

    @Test
    void anAnsweredCallIsOneFreshRequestNamedAfterTheMethod() throws Exception {
        assertEquals("quote 7", quotes.quote("7"));
        assertEquals(List.of("Quotes.quote null FRESH null null 3ms"), events);
    }

    @Test
    void aFallbackAnswerIsOneDegradedRequest() throws Exception {
        assertEquals("cached", quotes.quote(""));
        assertEquals(List.of("Quotes.quote null DEGRADED null null 3ms"), events);
    }

    @Test
    void aMethodWithoutPoliciesIsARequestToo() {
        assertThrows(IllegalStateException.class, quotes::plain);
        assertEquals(List.of("Quotes.plain null FAILED null null 3ms"), events);
    }

    @Test
    void aRejectionNamesThePolicyThatRejected() {
        registry.find("quotes-breaker", CircuitBreaker.class).orElseThrow().forceOpen();
        assertThrows(CircuitBreakerOpenException.class, quotes::guarded);
        assertEquals(List.of("Quotes.guarded null REJECTED quotes-breaker circuit_breaker 0ms"), events);
    }

    @Test
    void anAsynchronousCallIsReportedWhenItsStageEnds() {
        assertEquals("later", quotes.later(false).toCompletableFuture().join());
        CompletableFuture<String> failed = quotes.later(true).toCompletableFuture();
        assertThrows(CompletionException.class, failed::join);
        assertEquals(List.of("Quotes.later null FRESH null null 3ms", "Quotes.later null FAILED null null 3ms"),
                events);
    }
}
