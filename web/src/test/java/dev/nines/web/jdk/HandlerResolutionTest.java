package dev.nines.web.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.nines.ManualTicker;
import dev.nines.Pipeline;
import dev.nines.ratelimit.annotation.KeySource;
import dev.nines.ratelimit.annotation.WithRateLimit;
import dev.nines.timeout.Timeout;
import dev.nines.timeout.annotation.WithTimeout;
import dev.nines.web.EndpointGuard;
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

    @WithRateLimit(permits = 1, period = 1, unit = TimeUnit.MINUTES, key = KeySource.CLIENT)
    public static final class SearchHandler extends JsonHandler {
    }

    public static final class TimedHandler implements HttpHandler {
        @Override
        @WithTimeout(millis = 100)
        public void handle(HttpExchange exchange) throws IOException {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        }
    }

    @WithTimeout(millis = 100)
    public static final class TimedClassHandler extends JsonHandler {
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

    @Test
    void aTimeoutOnAHandlerIsRefusedAtFilterCreationNamingTheMethodAndTheAlternative() {
        NinesWeb web = NinesWeb.builder().ticker(ticker).build();
        String problem = "not supported on an endpoint, since a timed-out handler would still hold the request and "
                + "response and could write into another request's response; bound the handler's outbound calls "
                + "instead, with a deadline in their call context (a Timeout or @WithTimeout around them)";
        IllegalArgumentException onMethod = assertThrows(IllegalArgumentException.class,
                () -> NinesHttpFilter.annotated(web, new TimedHandler()));
        assertEquals("@WithTimeout on TimedHandler.handle(HttpExchange): " + problem, onMethod.getMessage());
        IllegalArgumentException onClass = assertThrows(IllegalArgumentException.class,
                () -> NinesHttpFilter.annotated(web, new TimedClassHandler()));
        assertEquals("@WithTimeout on TimedClassHandler.handle(HttpExchange): " + problem, onClass.getMessage());
    }

    @Test
    void aTimeoutAmongAnEndpointsPoliciesIsRefusedForTheSameReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EndpointGuard.builder("x").policies(Pipeline.of(
                        Timeout.builder("slow").timeout(Duration.ofSeconds(1)).build())).build());
        assertEquals("endpoint 'x' cannot have Timeout 'slow': not supported on an endpoint, since a "
                + "timed-out handler would still hold the request and response and could write into another "
                + "request's response; bound the handler's outbound calls instead, with a deadline in their call "
                + "context (a Timeout or @WithTimeout around them)", e.getMessage());
    }
}
