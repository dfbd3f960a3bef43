package dev.nines.web.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.nines.ManualTicker;
import dev.nines.ratelimit.annotation.KeySource;
import dev.nines.ratelimit.annotation.RateLimit;
import dev.nines.web.NinesWeb;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which method and annotations guard a JDK handler: inherited handle methods, refused annotations.
 * Against a real HttpServer on loopback, with a real HTTP client.
 */
class HandlerResolutionTest {

    private final ManualTicker ticker = new ManualTicker();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private HttpServer server;

    /** A base class that declares handle; subclasses carry the annotations. */
    public static class JsonHandler implements HttpHandler {
        final AtomicInteger handled = new AtomicInteger();

        @Override
        public void handle(HttpExchange exchange) throws IOException {
            handled.incrementAndGet();
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        }
    }

    @RateLimit(permits = 1, period = 1, unit = TimeUnit.MINUTES, key = KeySource.CLIENT)
    public static final class SearchHandler extends JsonHandler {
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody()).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aClassLevelLimitGuardsTheHandleMethodItsHandlerInheritsAndIsNamedAfterTheHandler() throws Exception {
        SearchHandler search = new SearchHandler();
        NinesWeb web = NinesWeb.builder().ticker(ticker).build();
        server.createContext("/search", search).getFilters().add(NinesHttpFilter.annotated(web, search));

        HttpResponse<String> first = send("GET", "/search");
        assertEquals(200, first.statusCode());
        assertEquals("\"SearchHandler.handle\";q=1;w=60", first.headers().firstValue("RateLimit-Policy").orElseThrow());
        assertEquals(429, send("GET", "/search").statusCode());
        assertEquals(429, send("HEAD", "/search").statusCode(), "every method goes through the one handler");
        assertEquals(1, search.handled.get(), "the refused requests never reached handle");
    }
}
