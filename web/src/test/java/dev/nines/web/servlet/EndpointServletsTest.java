package dev.nines.web.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.shedding.LoadShedder;
import dev.nines.shedding.Tier;
import dev.nines.shedding.limit.FixedLimit;
import dev.nines.web.HealthEndpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link HealthServlet} and {@link MetricsServlet} inside a real embedded Jetty on loopback. */
class EndpointServletsTest {

    private final ManualTicker ticker = new ManualTicker();
    private final InMemoryMetrics metrics = new InMemoryMetrics();
    private final CircuitBreaker payments = CircuitBreaker.builder("payments").ticker(ticker).metrics(metrics).build();
    private final CircuitBreaker recs = CircuitBreaker.builder("recs").ticker(ticker).metrics(metrics).build();
    private final LoadShedder shedder = LoadShedder.builder("api").limit(FixedLimit.of(40)).ticker(ticker)
            .metrics(metrics).build();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Server server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        HealthEndpoint health = HealthEndpoint.builder().breaker(payments, true).breaker(recs, false)
                .shedder(shedder).build();
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new HealthServlet(health)), "/health");
        context.addServlet(new ServletHolder(HealthServlet.liveness(health)), "/livez");
        context.addServlet(new ServletHolder(HealthServlet.readiness(health)), "/readyz");
        context.addServlet(new ServletHolder(new MetricsServlet(metrics)), "/metrics");
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthIsUpUntilACriticalBreakerOpens() throws Exception {
        HttpResponse<String> up = get("/health");
        assertEquals(200, up.statusCode());
        assertTrue(up.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        assertEquals("no-store", up.headers().firstValue("Cache-Control").orElseThrow());
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
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain; version=0.0.4"),
                response.headers().toString());
        assertTrue(response.body().contains(
                "nines_calls_total{policy=\"payments\",kind=\"circuit_breaker\",outcome=\"success\"} 1"), response.body());
        assertTrue(response.body().contains("nines_gauge{policy=\"api\",kind=\"load_shedder\",gauge=\"limit\"} 40"),
                response.body());
    }
}
