package dev.nines.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nines.ManualTicker;
import dev.nines.Priority;
import dev.nines.RejectedCallException;
import dev.nines.circuitbreaker.CircuitBreakerOpenException;
import dev.nines.circuitbreaker.CircuitState;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.Outcome;
import dev.nines.ratelimit.RateLimitedException;
import dev.nines.shedding.LoadShedder;
import dev.nines.shedding.limit.ConcurrencyLimit;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A handler whose own outbound calls are refused (an open downstream breaker, a downstream rate
 * limit) fails, but that is no overload of this server: the guard's adaptive shedder keeps its limit.
 */
class DownstreamRejectionTest {

    /** An exchange that only remembers whether an answer was sent. */
    private static final class Exchange implements ServerExchange {
        private final FakeRequest request = new FakeRequest("10.0.0.1");
        private boolean committed;

        @Override
        public HttpRequestView request() {
            return request;
        }

        @Override
        public void addHeader(String name, String value) {
        }

        @Override
        public boolean isCommitted() {
            return committed;
        }

        @Override
        public void send(int status, Map<String, String> headers, String contentType, String body) {
            committed = true;
        }
    }

    @Test
    void aHandlerMeetingOpenDownstreamBreakersAndRateLimitsLeavesTheGuardsAdaptiveLimitWhereItWas()
            throws Exception {
        ManualTicker ticker = new ManualTicker();
        InMemoryMetrics metrics = new InMemoryMetrics(ticker, 10);
        LoadShedder shedder = LoadShedder.builder("api").ticker(ticker).metrics(metrics).sampleEvery(1)
                .limit(ConcurrencyLimit.gradient().initialLimit(40).window(Duration.ofMillis(10)).minWindowSamples(1).build())
                .build();
        EndpointGuard guard = EndpointGuard.builder("orders").policies(shedder).priority(Priority.P1).build();
        for (int i = 0; i < 30_000; i++) {
            RejectedCallException downstream = i % 2 == 0
                    ? new CircuitBreakerOpenException("payments", CircuitState.OPEN, 1_000_000L)
                    : new RateLimitedException("partner-api", 1_000_000L);
            Exchange exchange = new Exchange();
            ticker.advance(Duration.ofMillis(3));
            RejectedCallException thrown = assertThrows(RejectedCallException.class,
                    () -> guard.handle(exchange, ctx -> {
                        throw downstream;
                    }));
            assertSame(downstream, thrown, "the server's own failure, not an answer for the client");
            assertFalse(exchange.isCommitted());
        }
        assertEquals(40, shedder.limit(), "the inbound shedder did not take a downstream refusal for overload");
        assertEquals(30_000, metrics.count("api", Outcome.IGNORED));
        assertEquals(0, metrics.count("api", Outcome.TIMED_OUT));
    }
}
