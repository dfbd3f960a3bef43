package dev.nines.web.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import dev.nines.ManualTicker;
import dev.nines.ratelimit.KeyedRateLimiter;
import dev.nines.ratelimit.Rate;
import dev.nines.web.ClientKeyResolver;
import dev.nines.web.EndpointGuard;
import dev.nines.web.TrustedProxies;
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

/**
 * A forwarding header from a trusted proxy that holds text shaped like an address, against a real
 * JDK HttpServer. The test JVM's name service is dns-canary.hosts, where these texts "resolve".
 */
class ForwardedGarbageTest {

    private final ManualTicker ticker = new ManualTicker();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private int get(String forwardedFor) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"))
                .timeout(Duration.ofSeconds(10));
        if (forwardedFor != null) {
            b.header("X-Forwarded-For", forwardedFor);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void aHopShapedLikeAnAddressIsNeverLookedUpAndKeysTheRequestToTheProxy() throws Exception {
        KeyedRateLimiter limiter = KeyedRateLimiter.builder("per-client")
                .limit(Rate.of(1, Duration.ofMinutes(1))).ticker(ticker).build();
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        }).getFilters().add(NinesHttpFilter.of(EndpointGuard.builder("api").policies(limiter)
                .clientKeys(ClientKeyResolver.forwarded(TrustedProxies.of("127.0.0.0/8"))).build()));

        assertEquals(200, get(null), "the proxy's own bucket");
        for (String garbage : new String[] {".:1", "..::", ".1:2"}) {
            assertEquals(429, get(garbage), garbage + " is no address: the key stays the proxy's, not a fresh bucket");
        }
    }
}
