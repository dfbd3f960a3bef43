package dev.nines.web.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.nines.ManualTicker;
import dev.nines.Policy;
import dev.nines.bulkhead.SemaphoreBulkhead;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.ratelimit.KeyedRateLimiter;
import dev.nines.ratelimit.Rate;
import dev.nines.ratelimit.RateLimiter;
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
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a refusal sends on the wire, against a real JDK HttpServer on loopback. */
class RefusalHeadersTest {

    private final ManualTicker ticker = new ManualTicker();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private HttpServer server;

    /** The JDK server logs through System.Logger, which without a provider is java.util.logging. */
    private final Logger serverLog = Logger.getLogger("com.sun.net.httpserver");
    private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();
    private final Handler recorder = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(r);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void start() throws IOException {
        serverLog.addHandler(recorder);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        serverLog.removeHandler(recorder);
    }

    private static final HttpHandler OK = exchange -> {
        exchange.sendResponseHeaders(200, -1);
        exchange.close();
    };

    private void mount(String path, Policy... policies) {
        server.createContext(path, OK).getFilters()
                .add(NinesHttpFilter.of(EndpointGuard.builder(path.substring(1)).policies(policies).build()));
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody()).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRefusedHeadGetsTheRefusalsHeadersWithoutABodyAndTheServerLogsNothing() throws Exception {
        mount("/cart", KeyedRateLimiter.builder("api").limit(Rate.of(1, Duration.ofMinutes(1))).ticker(ticker).build());
        assertEquals(200, send("GET", "/cart").statusCode());

        for (int i = 0; i < 3; i++) {
            HttpResponse<String> head = send("HEAD", "/cart");
            assertEquals(429, head.statusCode());
            assertEquals("60", head.headers().firstValue("Retry-After").orElseThrow());
            assertEquals("application/problem+json", head.headers().firstValue("Content-Type").orElseThrow());
            assertEquals("", head.body());
        }
        assertEquals(429, send("GET", "/cart").statusCode(), "the connection is still in step after the HEADs");

        assertEquals(List.of(), warnings.stream().map(LogRecord::getMessage).toList(),
                "a client could flood the log with one warning per HEAD");
    }

    @Test
    void aFullBulkheadAnswers503WithRetryAfterOneSecond() throws Exception {
        SemaphoreBulkhead bulkhead = SemaphoreBulkhead.builder("pool").maxConcurrent(1).ticker(ticker).build();
        mount("/report", bulkhead);
        assertTrue(bulkhead.tryAcquirePermission(), "the only permit, held by another request");

        HttpResponse<String> full = send("GET", "/report");

        assertEquals(503, full.statusCode());
        assertEquals("1", full.headers().firstValue("Retry-After").orElse("none"),
                "the bulkhead cannot know; the shortest wait that is not an immediate retry");
        assertTrue(full.body().contains("\"retryAfterSeconds\":1"), full.body());
        bulkhead.releasePermission();
        assertEquals(200, send("GET", "/report").statusCode());
    }

    @Test
    void aForcedOpenBreakerAnswers503WithRetryAfterOneSecond() throws Exception {
        CircuitBreaker breaker = CircuitBreaker.builder("payments").ticker(ticker).build();
        mount("/pay", breaker);
        breaker.forceOpen();

        HttpResponse<String> open = send("GET", "/pay");

        assertEquals(503, open.statusCode());
        assertEquals("1", open.headers().firstValue("Retry-After").orElse("none"));
        assertTrue(open.body().contains("\"retryAfterSeconds\":1"), open.body());
    }

    @Test
    void theProblemDetailStatesTheWaitInSeconds() throws Exception {
        mount("/cart", RateLimiter.builder("api").limit(Rate.of(2, Duration.ofMinutes(1))).ticker(ticker).build());
        send("GET", "/cart");
        send("GET", "/cart");

        HttpResponse<String> thirty = send("GET", "/cart");
        assertTrue(thirty.body().contains("\"detail\":\"rate limit 'api' exceeded; retry after 30 s\""), thirty.body());

        ticker.advance(Duration.ofNanos(30_000_000_000L - 153_100_555L));
        HttpResponse<String> almost = send("GET", "/cart");
        assertEquals("1", almost.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(almost.body().contains("\"detail\":\"rate limit 'api' exceeded; retry after 0.154 s\""),
                "rounded up to the millisecond: " + almost.body());
    }

    @Test
    void aLimiterNameThatCannotBeSentInAHeaderFailsAtBuild() {
        for (String name : List.of("caf\u00e9", "api\r\nX-Injected: 1", "tab\there", "del\u007f")) {
            KeyedRateLimiter limiter = KeyedRateLimiter.builder(name).limit(Rate.perSecond(1)).build();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> EndpointGuard.builder("cart").policies(limiter).build(), name);
            String shown = name.replace("\u00e9", "\\u00e9").replace("\r", "\\u000d").replace("\n", "\\u000a")
                    .replace("\t", "\\u0009").replace("\u007f", "\\u007f");
            assertEquals("rate limiter name must be printable ASCII (0x20 to 0x7E) to be sent in the RateLimit headers"
                    + " but was '" + shown + "'", e.getMessage());
        }
    }

    @Test
    void aLimiterNameWithQuotesAndBackslashesIsEscapedAsAStructuredFieldString() throws Exception {
        mount("/cart", KeyedRateLimiter.builder("a \"b\" \\c").limit(Rate.of(1, Duration.ofMinutes(1))).ticker(ticker)
                .build());

        HttpResponse<String> ok = send("GET", "/cart");

        assertEquals("\"a \\\"b\\\" \\\\c\";q=1;w=60", ok.headers().firstValue("RateLimit-Policy").orElseThrow());
    }
}
