package dev.nines.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.nines.ManualTicker;
import dev.nines.Priority;
import dev.nines.ratelimit.Rate;
import dev.nines.ratelimit.RateLimiter;
import dev.nines.web.EndpointGuard;
import dev.nines.slo.EventCounts;
import dev.nines.slo.Slo;
import dev.nines.slo.SloHealth;
import dev.nines.slo.SloRegistry;
import dev.nines.web.HealthEndpoint;
import dev.nines.web.jdk.JdkEndpoints;
import dev.nines.web.jdk.NinesHttpFilter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An endpoint guarded on a real JDK HttpServer feeds its SLOs through the request event, driven over HTTP. */
class WebEndpointSloTest {

    private final ManualTicker ticker = new ManualTicker();
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void answersFailuresAndRateLimitRefusalsReachTheSlosOverHttp() throws Exception {
        SloRegistry slos = new SloRegistry();
        Slo availability = slos.add(Slo.availability("search").requests("search").ticker(ticker).build());
        Slo latency = slos.add(Slo.latency("search-latency", Duration.ofMillis(100)).requests("search")
                .ticker(ticker).build());
        Slo other = slos.add(Slo.availability("checkout").requests("checkout").ticker(ticker).build());
        RateLimiter limit = RateLimiter.builder("search-limit").limit(Rate.of(4, Duration.ofHours(1), 4))
                .ticker(ticker).build();
        EndpointGuard guard = EndpointGuard.builder("search").policies(limit).priority(Priority.P1)
                .metrics(slos.sink()).ticker(ticker).build();

        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/search", exchange -> {
            String query = exchange.getRequestURI().getQuery();
            if ("slow".equals(query)) {
                ticker.advance(Duration.ofMillis(150)); // the handler takes 150 ms on the guard's ticker
            }
            byte[] body = ("fail".equals(query) ? "search index down" : "found").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders("fail".equals(query) ? 503 : 200, body.length); // a 5xx of its own: bad
            exchange.getResponseBody().write(body);
            exchange.close();
        }).getFilters().add(NinesHttpFilter.of(guard));
        server.start();

        HttpClient client = HttpClient.newHttpClient();
        assertEquals(200, get(client, "ok"));
        assertEquals(200, get(client, "slow"));
        assertEquals(503, get(client, "fail"));
        assertEquals(200, get(client, "ok"));
        assertEquals(429, get(client, "ok")); // the bucket of four is empty: the client's fault, not counted
        assertEquals(429, get(client, "fail"));

        assertEquals(new EventCounts(3, 4), availability.counts(Duration.ofMinutes(1)));
        assertEquals(new EventCounts(2, 3), latency.counts(Duration.ofMinutes(1))); // answers only: one was slow
        assertEquals(new EventCounts(0, 0), other.counts(Duration.ofMinutes(1)));
    }

    @Test
    void theHealthDetailShowsTheSlosAndTurnsDegradedOnAFastBurnOnly() throws Exception {
        SloRegistry slos = new SloRegistry();
        slos.add(Slo.availability("search").requests("search").ticker(ticker).build());
        EndpointGuard guard = EndpointGuard.builder("search").metrics(slos.sink()).ticker(ticker).build();
        SloHealth sloHealth = SloHealth.of(slos, true);
        HealthEndpoint health = HealthEndpoint.builder().section("slos", sloHealth::detail, sloHealth::degraded).build();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/search", exchange -> {
            exchange.sendResponseHeaders("fail".equals(exchange.getRequestURI().getQuery()) ? 500 : 200, -1);
            exchange.close();
        }).getFilters().add(NinesHttpFilter.of(guard));
        server.createContext("/health", JdkEndpoints.health(health));
        server.start();
        HttpClient client = HttpClient.newHttpClient();

        assertEquals(200, get(client, "ok"));
        HttpResponse<String> up = health(client);
        assertEquals(200, up.statusCode());
        assertTrue(up.body().startsWith("{\"status\":\"UP\""), up.body());
        assertTrue(up.body().contains("\"slos\":{\"search\":{\"indicator\":\"availability\",\"objective\":\"99.9%\",\"window\":\"30d\",\"good\":1,"
                + "\"total\":1,"), up.body());

        assertEquals(500, get(client, "fail")); // one failure in two: 500x the budget's rate
        HttpResponse<String> degraded = health(client);
        assertEquals(200, degraded.statusCode(), "a burning budget keeps the instance in the load balancer");
        assertTrue(degraded.body().startsWith("{\"status\":\"DEGRADED\""), degraded.body());
        assertTrue(degraded.body().contains("\"state\":\"page\""), degraded.body());
    }

    private HttpResponse<String> health(HttpClient client) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/health");
        return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    private int get(HttpClient client, String query) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/search?" + query);
        return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
