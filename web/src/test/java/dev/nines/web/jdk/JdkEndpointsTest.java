package dev.nines.web.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.nines.ManualTicker;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.shedding.LoadShedder;
import dev.nines.shedding.Tier;
import dev.nines.shedding.limit.FixedLimit;
import dev.nines.web.HealthEndpoint;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JdkEndpointsTest {

    private final ManualTicker ticker = new ManualTicker();
    private final InMemoryMetrics metrics = new InMemoryMetrics();
    private final CircuitBreaker payments = CircuitBreaker.builder("payments").ticker(ticker).metrics(metrics).build();
    private final CircuitBreaker recs = CircuitBreaker.builder("recs").ticker(ticker).metrics(metrics).build();
    private final LoadShedder shedder = LoadShedder.builder("api").limit(FixedLimit.of(40)).ticker(ticker)
            .metrics(metrics).build();
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        HealthEndpoint health = HealthEndpoint.builder().breaker(payments, true).breaker(recs, false)
                .shedder(shedder).build();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/health", JdkEndpoints.health(health));
        server.createContext("/livez", JdkEndpoints.liveness(health));
        server.createContext("/readyz", JdkEndpoints.readiness(health));
        server.createContext("/metrics", JdkEndpoints.metrics(metrics));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthIsUpUntilACriticalBreakerOpens() throws Exception {
        HttpResponse<String> up = get("/health");
        assertEquals(200, up.statusCode());
        assertEquals("application/json", up.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(up.body().startsWith("{\"status\":\"UP\""), up.body());
        assertTrue(up.body().contains("\"api\":{\"tier\":\"FULL\",\"forced\":false,\"limit\":40,\"inFlight\":0"),
                up.body());

        recs.forceOpen();
        assertEquals(200, get("/health").statusCode(), "a non-critical breaker does not take the service down");

        payments.forceOpen();
        shedder.forceTier(Tier.REDUCED);
        HttpResponse<String> down = get("/health");
        assertEquals(503, down.statusCode());
        assertTrue(down.body().contains("\"status\":\"DOWN\""), down.body());
        assertTrue(down.body().contains("\"payments\":{\"state\":\"FORCED_OPEN\",\"critical\":true"), down.body());
        assertTrue(down.body().contains("\"tier\":\"REDUCED\",\"forced\":true"), down.body());

        payments.reset();
        assertEquals(200, get("/health").statusCode());
    }

    @Test
    void livenessAndReadinessStayUpWhileACriticalBreakerIsOpenSoNoProbeRestartsOrEmptiesTheFleet() throws Exception {
        payments.forceOpen();
        assertEquals(503, get("/health").statusCode(), "the detail still says a critical dependency is down");
        for (String probe : new String[] {"/livez", "/readyz"}) {
            HttpResponse<String> response = get(probe);
            assertEquals(200, response.statusCode(), probe);
            assertEquals("{\"status\":\"UP\"}", response.body(), probe);
            assertEquals("no-store", response.headers().firstValue("Cache-Control").orElseThrow(), probe);
            assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"), probe);
        }
    }

    @Test
    void metricsAreServedInPrometheusFormat() throws Exception {
        payments.run(() -> { });
        HttpResponse<String> response = get("/metrics");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain; version=0.0.4"));
        assertTrue(response.body().contains(
                "nines_calls_total{policy=\"payments\",kind=\"circuit_breaker\",outcome=\"success\"} 1"), response.body());
        assertTrue(response.body().contains("nines_gauge{policy=\"api\",kind=\"load_shedder\",gauge=\"limit\"} 40"),
                response.body());
    }
}
