package dev.nines.web.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.nines.ManualTicker;
import dev.nines.Priority;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.ratelimit.KeyedRateLimiter;
import dev.nines.ratelimit.Rate;
import dev.nines.shedding.LoadShedder;
import dev.nines.shedding.Tier;
import dev.nines.shedding.limit.FixedLimit;
import dev.nines.web.EndpointGuard;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What an endpoint's policies report, read from the Prometheus endpoint of a real JDK HttpServer. */
class EndpointMetricsTest {

    private final ManualTicker ticker = new ManualTicker();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final InMemoryMetrics metrics = new InMemoryMetrics(ticker, 100);
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/metrics", JdkEndpoints.metrics(metrics));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theRateLimitReportsAdmittedRequestsAndTheShedderReportsPriorities() throws Exception {
        KeyedRateLimiter limiter = KeyedRateLimiter.builder("per-client").limit(Rate.of(3, Duration.ofMinutes(1)))
                .ticker(ticker).build();
        LoadShedder shedder = LoadShedder.builder("api").limit(FixedLimit.of(10)).ticker(ticker)
                .metrics(metrics).build();
        server.createContext("/recs", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        }).getFilters().add(NinesHttpFilter.of(EndpointGuard.builder("recs").priority(Priority.P3)
                .policies(limiter, shedder).metrics(metrics).build()));

        shedder.forceTier(Tier.CRITICAL_ONLY);
        assertEquals(503, get("/recs").statusCode(), "admitted by the limit, shed as P3");
        assertEquals(503, get("/recs").statusCode());
        shedder.forceTier(Tier.FULL);
        assertEquals(200, get("/recs").statusCode());
        assertEquals(429, get("/recs").statusCode());

        String text = get("/metrics").body();
        assertTrue(text.contains("nines_calls_total{policy=\"per-client\",kind=\"rate_limiter\",outcome=\"success\"} 3\n"),
                "the denominator: every request the limit admitted\n" + text);
        assertTrue(text.contains("nines_calls_total{policy=\"per-client\",kind=\"rate_limiter\",outcome=\"rejected\"} 1\n"),
                text);
        assertTrue(text.contains(
                "nines_calls_total{policy=\"api\",kind=\"load_shedder\",outcome=\"shed\",priority=\"P3\"} 2\n"), text);
    }
}
