package dev.nines.web.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import dev.nines.ManualTicker;
import dev.nines.Priority;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.RequestOutcome;
import dev.nines.ratelimit.KeyedRateLimiter;
import dev.nines.ratelimit.Rate;
import dev.nines.shedding.LoadShedder;
import dev.nines.shedding.Tier;
import dev.nines.shedding.limit.FixedLimit;
import dev.nines.web.Drain;
import dev.nines.web.EndpointGuard;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The endpoint guard reports exactly one request event per request, on a real JDK HttpServer.
 *
 * <p>The server runs every exchange on its one dispatcher thread, so once the answer to a request
 * to {@code /ping} (unguarded) arrives, the guard has finished with every earlier request: the
 * events are read then, without waiting on time.
 */
class EndpointRequestEventsTest {

    private final ManualTicker ticker = new ManualTicker();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final InMemoryMetrics metrics = new InMemoryMetrics(ticker, 100);
    private final MetricsSink recorder = MetricsSink.composite(metrics, new MetricsSink() {
        @Override
        public void onRequest(String name, Priority priority, RequestOutcome outcome, String rejectedBy,
                String rejectedKind, long latencyNanos) {
            events.add(name + " " + priority + " " + outcome + " " + rejectedBy + " " + rejectedKind + " "
                    + Duration.ofNanos(latencyNanos).toMillis() + "ms");
        }
    });
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/ping", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private int get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** A POST, which the client does not retry when the server drops the connection, as a GET would be. */
    private int post(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The events so far, once the server has finished with every earlier request. */
    private List<String> eventsSoFar() throws Exception {
        assertEquals(204, get("/ping"));
        return List.copyOf(events);
    }

    @Test
    void everyRequestIsOneEventWithTheAnswerTheClientGot() throws Exception {
        KeyedRateLimiter limiter = KeyedRateLimiter.builder("per-client").limit(Rate.of(3, Duration.ofMinutes(1)))
                .ticker(ticker).build();
        LoadShedder shedder = LoadShedder.builder("api").limit(FixedLimit.of(10)).ticker(ticker).build();
        server.createContext("/recs", exchange -> {
            ticker.advance(Duration.ofMillis(5));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        }).getFilters().add(NinesHttpFilter.of(EndpointGuard.builder("recs").priority(Priority.P3)
                .policies(limiter, shedder).metrics(recorder).ticker(ticker).build()));

        assertEquals(200, get("/recs"));
        shedder.forceTier(Tier.CRITICAL_ONLY);
        assertEquals(503, get("/recs"));
        shedder.forceTier(Tier.FULL);
        assertEquals(200, get("/recs"));
        assertEquals(429, get("/recs"));

        assertEquals(List.of(
                "recs P3 FRESH null null 5ms",
                "recs P3 REJECTED api load_shedder 0ms",
                "recs P3 FRESH null null 5ms",
                "recs P3 REJECTED per-client rate_limiter 0ms"), eventsSoFar());
        assertEquals(2, metrics.requests("recs", Priority.P3, RequestOutcome.FRESH));
        assertEquals(2, metrics.requests("recs", RequestOutcome.REJECTED));
    }

    @Test
    void aHandlerThatFailsIsOneFailedEventEvenWhenItsOwnDownstreamRejectedIt() throws Exception {
        CircuitBreaker downstream = CircuitBreaker.builder("downstream").ticker(ticker).build();
        downstream.forceOpen();
        server.createContext("/pay", exchange -> {
            try {
                downstream.call(() -> "never");
            } catch (Exception e) {
                throw (RuntimeException) e; // the downstream breaker's rejection, as the handler met it
            }
        }).getFilters().add(NinesHttpFilter.of(EndpointGuard.builder("pay")
                .policies(CircuitBreaker.builder("pay-breaker").ticker(ticker).build())
                .metrics(recorder).ticker(ticker).build()));

        assertThrows(IOException.class, () -> post("/pay"), "the server drops the exchange of a failed handler");

        assertEquals(List.of("pay null FAILED null null 0ms"), eventsSoFar());
    }

    @Test
    void aHandlerAnsweringWithItsOwnServerErrorIsAFailedEventAndAClientErrorAFreshOne() throws Exception {
        server.createContext("/orders", exchange -> {
            ticker.advance(Duration.ofMillis(3));
            int status = Integer.parseInt(exchange.getRequestURI().getQuery());
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        }).getFilters().add(NinesHttpFilter.of(EndpointGuard.builder("orders").metrics(recorder).ticker(ticker)
                .build()));

        assertEquals(503, get("/orders?503"));
        assertEquals(500, get("/orders?500"));
        assertEquals(404, get("/orders?404")); // the client's mistake, answered
        assertEquals(499, get("/orders?499"));

        assertEquals(List.of("orders null FAILED null null 3ms", "orders null FAILED null null 3ms",
                "orders null FRESH null null 3ms", "orders null FRESH null null 3ms"), eventsSoFar());
    }

    @Test
    void aRequestTheDrainRefusesIsOneRejectedEvent() throws Exception {
        Drain drain = Drain.builder().build();
        server.createContext("/recs", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        }).getFilters().add(NinesHttpFilter.of(EndpointGuard.builder("recs").drain(drain).metrics(recorder)
                .ticker(ticker).build()));
        drain.start();

        assertEquals(503, get("/recs"));

        assertEquals(List.of("recs null REJECTED drain drain 0ms"), eventsSoFar());
        assertEquals(1, metrics.requests("recs", null, RequestOutcome.REJECTED));
    }
}
