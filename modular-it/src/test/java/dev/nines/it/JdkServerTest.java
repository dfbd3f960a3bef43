package dev.nines.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.sun.net.httpserver.HttpServer;
import dev.nines.ManualTicker;
import dev.nines.web.NinesWeb;
import dev.nines.web.jdk.NinesHttpFilter;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JDK server adapter on the module path with no servlet API anywhere (the web module requires
 * it only statically): an annotated endpoint on a real {@link HttpServer} on loopback, called over
 * HTTP.
 */
class JdkServerTest {

    private final ManualTicker ticker = new ManualTicker();
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        NinesWeb web = NinesWeb.builder().ticker(ticker).build();
        StockEndpoint endpoint = new StockEndpoint();
        server.createContext("/stock", endpoint).getFilters().add(NinesHttpFilter.annotated(web, endpoint));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void theAnnotatedEndpointAnswersThenRateLimitsWith429AndRetryAfter() throws IOException {
        HttpURLConnection first = get();
        assertEquals(200, first.getResponseCode());
        try (InputStream in = first.getInputStream()) {
            assertEquals("in stock", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        HttpURLConnection second = get();
        assertEquals(429, second.getResponseCode());
        assertNotNull(second.getHeaderField("Retry-After"), "a 429 without Retry-After");
        second.getErrorStream().close();
    }

    private HttpURLConnection get() throws IOException {
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/stock");
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        c.setConnectTimeout(5_000);
        c.setReadTimeout(5_000);
        return c;
    }
}
