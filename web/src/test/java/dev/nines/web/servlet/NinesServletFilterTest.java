package dev.nines.web.servlet;

import static dev.nines.Priority.P0;
import static dev.nines.Priority.P3;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.annotation.PolicyRegistry;
import dev.nines.bulkhead.SemaphoreBulkhead;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.ratelimit.KeyedRateLimiter;
import dev.nines.ratelimit.Rate;
import dev.nines.ratelimit.RateLimitedException;
import dev.nines.ratelimit.annotation.KeySource;
import dev.nines.ratelimit.annotation.WithRateLimit;
import dev.nines.shedding.LoadShedder;
import dev.nines.shedding.Tier;
import dev.nines.shedding.annotation.WithPriority;
import dev.nines.shedding.limit.FixedLimit;
import dev.nines.web.ClientKeyResolver;
import dev.nines.web.EndpointGuard;
import dev.nines.web.NinesWeb;
import dev.nines.web.TrustedProxies;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The servlet filter inside a real embedded Jetty on loopback, with a real HTTP client. */
class NinesServletFilterTest {

    private final ManualTicker ticker = new ManualTicker();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Server server;

    /** Rate-limited per client; its GET is sheddable. */
    @WithRateLimit(permits = 2, period = 1, unit = TimeUnit.MINUTES, key = KeySource.CLIENT, name = "recs-limit")
    public static final class RecommendationsServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        @WithPriority(value = P3, shedder = "api")
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setStatus(200);
            resp.getWriter().write("recs");
        }
    }

    /** Critical. */
    public static final class CheckoutServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        @WithPriority(value = P0, shedder = "api")
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setStatus(200);
            resp.getWriter().write("paid");
        }
    }

    /** No nines annotations at all. */
    public static final class PlainServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.getWriter().write("plain");
        }
    }

    /** Its outbound call is refused by a downstream's rate limit, which it does not catch. */
    public static final class RefusedDownstreamServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
            throw new RateLimitedException("payments-downstream", TimeUnit.SECONDS.toNanos(30));
        }
    }

    /** Its annotation is invalid on an endpoint: the key cannot come from an argument. */
    @WithRateLimit(permits = 1, period = 1, key = KeySource.ARGUMENT, argument = 0)
    public static final class ArgumentKeyedServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.getWriter().write("never");
        }
    }

    private int start(jakarta.servlet.Filter filter) throws Exception {
        return start(filter, context -> { });
    }

    private int start(jakarta.servlet.Filter filter, Consumer<ServletContextHandler> more) throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new RecommendationsServlet()), "/recs");
        context.addServlet(new ServletHolder(new CheckoutServlet()), "/checkout");
        context.addServlet(new ServletHolder(new PlainServlet()), "/plain");
        more.accept(context);
        context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
        server.setHandler(context);
        server.start();
        return connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    private HttpResponse<String> send(int port, String method, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void annotatedServletsAreRateLimitedAndShedByPriority() throws Exception {
        LoadShedder shedder = LoadShedder.builder("api").limit(FixedLimit.of(10)).ticker(ticker).build();
        NinesWeb web = NinesWeb.builder().registry(new PolicyRegistry().register(shedder)).ticker(ticker).build();
        int port = start(NinesServletFilter.annotated(web));

        HttpResponse<String> ok = send(port, "GET", "/recs");
        assertEquals(200, ok.statusCode());
        assertEquals("recs", ok.body());
        assertEquals("\"recs-limit\";q=2;w=60", ok.headers().firstValue("RateLimit-Policy").orElseThrow());
        assertEquals("\"recs-limit\";r=1;t=30", ok.headers().firstValue("RateLimit").orElseThrow());
        send(port, "GET", "/recs");
        HttpResponse<String> limited = send(port, "GET", "/recs");
        assertEquals(429, limited.statusCode());
        assertEquals("30", limited.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(limited.headers().firstValue("Content-Type").orElseThrow().startsWith("application/problem+json"));

        ticker.advance(Duration.ofMinutes(1));
        shedder.forceTier(Tier.CRITICAL_ONLY);
        HttpResponse<String> shed = send(port, "GET", "/recs");
        assertEquals(503, shed.statusCode());
        assertTrue(shed.headers().firstValue("Retry-After").isPresent());
        assertTrue(shed.body().contains("\"tier\":\"CRITICAL_ONLY\""), shed.body());
        assertEquals(200, send(port, "POST", "/checkout").statusCode(), "P0 keeps flowing");
        assertEquals("plain", send(port, "GET", "/plain").body(), "servlets without annotations pass through");
        // The response reaches the client when the handler closes it, a moment before the filter's
        // finally block returns the permit; wait (bounded) for that release rather than racing it.
        await("every admitted request released its permit").atMost(Duration.ofSeconds(5))
                .until(shedder::inFlight, inFlight -> inFlight == 0);
    }

    @Test
    void aFixedGuardWithTrustedProxiesKeysByForwardedClient() throws Exception {
        KeyedRateLimiter limiter = KeyedRateLimiter.builder("edge").limit(Rate.of(1, Duration.ofMinutes(1)))
                .ticker(ticker).build();
        EndpointGuard guard = EndpointGuard.builder("edge").policies(limiter)
                .clientKeys(ClientKeyResolver.forwarded(TrustedProxies.of("127.0.0.1"))).build();
        int port = start(NinesServletFilter.of(guard));

        assertEquals(200, send(port, "GET", "/plain", "X-Forwarded-For", "198.51.100.1").statusCode());
        assertEquals(429, send(port, "GET", "/plain", "X-Forwarded-For", "198.51.100.1").statusCode());
        assertEquals(200, send(port, "GET", "/plain", "X-Forwarded-For", "198.51.100.2").statusCode());
    }

    @Test
    void spoofedHeadersFromUntrustedClientsAreIgnored() throws Exception {
        KeyedRateLimiter limiter = KeyedRateLimiter.builder("edge").limit(Rate.of(1, Duration.ofMinutes(1)))
                .ticker(ticker).build();
        EndpointGuard guard = EndpointGuard.builder("edge").policies(limiter)
                .clientKeys(ClientKeyResolver.forwarded(TrustedProxies.of("10.0.0.0/8"))).build();
        int port = start(NinesServletFilter.of(guard));

        assertEquals(200, send(port, "GET", "/plain", "X-Forwarded-For", "198.51.100.1").statusCode());
        assertEquals(429, send(port, "GET", "/plain", "X-Forwarded-For", "198.51.100.2").statusCode());
    }

    @Test
    void aRejectionFromTheHandlersOwnOutboundCallIsAServerErrorNotA429() throws Exception {
        KeyedRateLimiter limiter = KeyedRateLimiter.builder("edge").limit(Rate.of(5, Duration.ofMinutes(1)))
                .ticker(ticker).build();
        EndpointGuard guard = EndpointGuard.builder("edge").policies(limiter).build();
        int port = start(NinesServletFilter.of(guard),
                context -> context.addServlet(new ServletHolder(new RefusedDownstreamServlet()), "/pay"));

        HttpResponse<String> r = send(port, "GET", "/pay");

        assertEquals(500, r.statusCode(), "the container's normal error path");
        assertEquals(Optional.empty(), r.headers().firstValue("Retry-After"), "the downstream's wait is not ours");
        assertEquals("\"edge\";r=4;t=12", r.headers().firstValue("RateLimit").orElseThrow(),
                "the inbound quota is still reported");
    }

    @Test
    void anInvalidAnnotationFailsStartupNotTheFirstRequest() {
        // the other servlets' shedder is registered, so only the invalid annotation can fail startup
        LoadShedder shedder = LoadShedder.builder("api").limit(FixedLimit.of(10)).ticker(ticker).build();
        NinesWeb web = NinesWeb.builder().registry(new PolicyRegistry().register(shedder)).ticker(ticker).build();
        Exception e = assertThrows(Exception.class, () -> start(NinesServletFilter.annotated(web),
                context -> context.addServlet(new ServletHolder(new ArgumentKeyedServlet()), "/bad")));
        Throwable cause = e;
        while (cause != null && !(cause instanceof IllegalArgumentException)) {
            cause = cause.getCause();
        }
        assertNotNull(cause, () -> "no IllegalArgumentException in " + e);
        assertEquals("@WithRateLimit on ArgumentKeyedServlet.doGet(HttpServletRequest, HttpServletResponse): key must be "
                + "CLIENT or NONE on an endpoint but was ARGUMENT", cause.getMessage());
    }

    @Test
    void anApiKeyHeaderSeparatesClientsOfAnAnnotatedServlet() throws Exception {
        LoadShedder shedder = LoadShedder.builder("api").limit(FixedLimit.of(10)).ticker(ticker).build();
        NinesWeb web = NinesWeb.builder().registry(new PolicyRegistry().register(shedder)).ticker(ticker)
                .clientKeys(ClientKeyResolver.header("X-Api-Key", ClientKeyResolver.remoteAddress())).build();
        int port = start(NinesServletFilter.annotated(web));

        assertEquals(200, send(port, "GET", "/recs", "X-Api-Key", "alpha").statusCode());
        assertEquals(200, send(port, "GET", "/recs", "X-Api-Key", "alpha").statusCode());
        assertEquals(429, send(port, "GET", "/recs", "X-Api-Key", "alpha").statusCode());
        assertEquals(200, send(port, "GET", "/recs", "X-Api-Key", "beta").statusCode(), "another key, its own bucket");
        await("every admitted request released its permit").atMost(Duration.ofSeconds(5))
                .until(shedder::inFlight, inFlight -> inFlight == 0);
    }

    @Test
    void aTrustedCallerRaisesPriorityThroughTheHeaderAnUntrustedOneCannot() throws Exception {
        LoadShedder shedder = LoadShedder.builder("api").limit(FixedLimit.of(10)).ticker(ticker).build();
        shedder.forceTier(Tier.ESSENTIAL); // P3 /recs is shed unless its priority is raised
        NinesWeb trusting = NinesWeb.builder().registry(new PolicyRegistry().register(shedder)).ticker(ticker)
                .clientKeys(ClientKeyResolver.header("X-Api-Key", ClientKeyResolver.remoteAddress()))
                .priorityHeader("X-Priority", TrustedProxies.of("127.0.0.0/8")).build();
        int port = start(NinesServletFilter.annotated(trusting));

        assertEquals(503, send(port, "GET", "/recs", "X-Api-Key", "a").statusCode(), "P3 is shed");
        assertEquals(200, send(port, "GET", "/recs", "X-Api-Key", "b", "X-Priority", "P1").statusCode(),
                "the loopback peer is trusted, so its P1 counts");
        server.stop();

        NinesWeb distrusting = NinesWeb.builder().registry(new PolicyRegistry().register(shedder)).ticker(ticker)
                .priorityHeader("X-Priority", TrustedProxies.of("10.0.0.0/8")).build();
        port = start(NinesServletFilter.annotated(distrusting));
        assertEquals(503, send(port, "GET", "/recs", "X-Priority", "P0").statusCode(),
                "an untrusted peer cannot raise its own priority");
        await("every admitted request released its permit").atMost(Duration.ofSeconds(5))
                .until(shedder::inFlight, inFlight -> inFlight == 0);
    }

    @Test
    void aFullBulkheadOrAForcedOpenBreakerAnswers503WithRetryAfterOneSecondAndADetailInSeconds() throws Exception {
        SemaphoreBulkhead bulkhead = SemaphoreBulkhead.builder("pool").maxConcurrent(1).ticker(ticker).build();
        CircuitBreaker breaker = CircuitBreaker.builder("payments").ticker(ticker).build();
        KeyedRateLimiter limiter = KeyedRateLimiter.builder("api").limit(Rate.of(1, Duration.ofMinutes(1)))
                .ticker(ticker).build();
        int port = start(NinesServletFilter.of(EndpointGuard.builder("plain")
                .policies(limiter, breaker, bulkhead).build()));
        assertTrue(bulkhead.tryAcquirePermission(), "the only permit, held by another request");

        HttpResponse<String> full = send(port, "GET", "/plain");
        assertEquals(503, full.statusCode());
        assertEquals("1", full.headers().firstValue("Retry-After").orElse("none"), "a full bulkhead cannot know");
        bulkhead.releasePermission();

        ticker.advance(Duration.ofMinutes(1));
        breaker.forceOpen();
        HttpResponse<String> open = send(port, "GET", "/plain");
        assertEquals(503, open.statusCode());
        assertEquals("1", open.headers().firstValue("Retry-After").orElse("none"), "nor can a forced-open breaker");

        ticker.advance(Duration.ofNanos(60_000_000_000L - 153_100_555L));
        HttpResponse<String> limited = send(port, "GET", "/plain");
        assertEquals(429, limited.statusCode());
        assertTrue(limited.body().contains("\"detail\":\"rate limit 'api' exceeded; retry after 0.154 s\""),
                limited.body());
    }

    @Test
    void aForwardedHopShapedLikeAnAddressIsNeverLookedUpAndKeysTheRequestToTheProxy() throws Exception {
        // the test JVM's name service is dns-canary.hosts, where ".:1" and "..::" "resolve"
        KeyedRateLimiter limiter = KeyedRateLimiter.builder("per-client")
                .limit(Rate.of(1, Duration.ofMinutes(1))).ticker(ticker).build();
        int port = start(NinesServletFilter.of(EndpointGuard.builder("plain").policies(limiter)
                .clientKeys(ClientKeyResolver.forwarded(TrustedProxies.of("127.0.0.0/8"))).build()));

        assertEquals(200, send(port, "GET", "/plain").statusCode(), "the proxy's own bucket");
        assertEquals(429, send(port, "GET", "/plain", "X-Forwarded-For", ".:1").statusCode(), "not a fresh bucket");
        assertEquals(429, send(port, "GET", "/plain", "X-Forwarded-For", "..::").statusCode());
    }
}
