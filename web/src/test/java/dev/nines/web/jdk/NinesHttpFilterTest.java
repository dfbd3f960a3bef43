package dev.nines.web.jdk;

import static dev.nines.Priority.P0;
import static dev.nines.Priority.P3;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.nines.ManualTicker;
import dev.nines.Pipeline;
import dev.nines.Priority;
import dev.nines.annotation.PolicyRegistry;
import dev.nines.bulkhead.annotation.WithBulkhead;
import dev.nines.circuitbreaker.annotation.WithCircuitBreaker;
import dev.nines.fallback.Fallback;
import dev.nines.fallback.annotation.WithFallback;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.Outcome;
import dev.nines.ratelimit.KeyedRateLimiter;
import dev.nines.ratelimit.Rate;
import dev.nines.ratelimit.RateLimitedException;
import dev.nines.ratelimit.RateLimiter;
import dev.nines.ratelimit.annotation.KeySource;
import dev.nines.ratelimit.annotation.WithRateLimit;
import dev.nines.retry.Retry;
import dev.nines.retry.annotation.WithRetry;
import dev.nines.shedding.LoadShedder;
import dev.nines.shedding.Tier;
import dev.nines.shedding.annotation.WithPriority;
import dev.nines.shedding.limit.FixedLimit;
import dev.nines.web.ClientKeyResolver;
import dev.nines.web.EndpointGuard;
import dev.nines.web.ForwardingHeader;
import dev.nines.web.NinesWeb;
import dev.nines.web.TrustedProxies;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JDK adapter against a real HttpServer on loopback, with a real HTTP client. */
class NinesHttpFilterTest {

    private final ManualTicker ticker = new ManualTicker();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> served = new CopyOnWriteArrayList<>();
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

    private HttpHandler ok(String name) {
        return exchange -> {
            served.add(name);
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        };
    }

    private void mount(String path, HttpHandler handler, NinesHttpFilter filter) {
        HttpContext context = server.createContext(path, handler);
        context.getFilters().add(filter);
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path))
                .timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private KeyedRateLimiter twoPerMinute() {
        return KeyedRateLimiter.builder("api").limit(Rate.of(2, Duration.ofMinutes(1))).ticker(ticker).build();
    }

    @Test
    void rateLimitedRequestsGet429WithRetryAfterAndQuotaHeaders() throws Exception {
        mount("/cart", ok("cart"), NinesHttpFilter.of(EndpointGuard.builder("cart").policies(twoPerMinute()).build()));

        HttpResponse<String> first = get("/cart");
        HttpResponse<String> second = get("/cart");
        HttpResponse<String> third = get("/cart");

        assertEquals(200, first.statusCode());
        assertEquals("\"api\";q=2;w=60", first.headers().firstValue("RateLimit-Policy").orElseThrow());
        assertEquals("\"api\";r=1;t=30", first.headers().firstValue("RateLimit").orElseThrow());
        assertEquals(200, second.statusCode());
        assertEquals("\"api\";r=0;t=60", second.headers().firstValue("RateLimit").orElseThrow());

        assertEquals(429, third.statusCode());
        assertEquals("30", third.headers().firstValue("Retry-After").orElseThrow(), "whole seconds, rounded up");
        assertEquals("application/problem+json", third.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(third.body().contains("\"type\":\"urn:nines:problem:rate-limited\""), third.body());
        assertTrue(third.body().contains("\"status\":429"), third.body());
        assertTrue(third.body().contains("\"retryAfterSeconds\":30"), third.body());
        assertEquals(List.of("cart", "cart"), served, "the handler never saw the refused request");

        ticker.advance(Duration.ofSeconds(30));
        assertEquals(200, get("/cart").statusCode(), "a permit refilled after Retry-After");
    }

    @Test
    void withSeveralLimitsTheRateLimitHeaderNamesTheBindingOne() throws Exception {
        RateLimiter limiter = RateLimiter.builder("api").limit(Rate.perSecond(100)).limit(Rate.perMinute(5))
                .ticker(ticker).build();
        mount("/cart", ok("cart"), NinesHttpFilter.of(EndpointGuard.builder("cart").policies(limiter).build()));

        HttpResponse<String> first = get("/cart");
        assertEquals(200, first.statusCode());
        assertEquals("\"api-0\";q=100;w=1, \"api-1\";q=5;w=60",
                first.headers().firstValue("RateLimit-Policy").orElseThrow());
        assertEquals("\"api-1\";r=4;t=12", first.headers().firstValue("RateLimit").orElseThrow(),
                "the per-minute limit holds the fewest permits");
        for (int i = 0; i < 3; i++) {
            get("/cart");
        }
        HttpResponse<String> fifth = get("/cart");
        assertEquals(200, fifth.statusCode());
        assertEquals("\"api-1\";r=0;t=60", fifth.headers().firstValue("RateLimit").orElseThrow());

        HttpResponse<String> refused = get("/cart");
        assertEquals(429, refused.statusCode());
        assertEquals("12", refused.headers().firstValue("Retry-After").orElseThrow());
        assertEquals("\"api-1\";r=0;t=60", refused.headers().firstValue("RateLimit").orElseThrow(),
                "the limit that makes the client wait, whole again no sooner than Retry-After");
    }

    @Test
    void withSeveralLimitsAFastLimitCanBeTheBindingOne() throws Exception {
        RateLimiter limiter = RateLimiter.builder("api").limit(Rate.perSecond(2)).limit(Rate.perMinute(100))
                .ticker(ticker).build();
        mount("/cart", ok("cart"), NinesHttpFilter.of(EndpointGuard.builder("cart").policies(limiter).build()));

        assertEquals("\"api-0\";r=1;t=1", get("/cart").headers().firstValue("RateLimit").orElseThrow());
        get("/cart");
        HttpResponse<String> refused = get("/cart");
        assertEquals(429, refused.statusCode());
        assertEquals("1", refused.headers().firstValue("Retry-After").orElseThrow());
        assertEquals("\"api-0\";r=0;t=1", refused.headers().firstValue("RateLimit").orElseThrow(),
                "a 500 ms wait is the per-second limit's, not the per-minute one's");
    }

    @Test
    void refusalsReachTheMetricsSink() throws Exception {
        InMemoryMetrics metrics = new InMemoryMetrics();
        mount("/cart", ok("cart"), NinesHttpFilter.of(EndpointGuard.builder("cart").policies(twoPerMinute())
                .metrics(metrics).build()));
        get("/cart");
        get("/cart");
        get("/cart");
        assertEquals(1, metrics.count("api", Outcome.REJECTED));
    }

    @Test
    void retryAfterRoundsUpPartialSeconds() throws Exception {
        mount("/cart", ok("cart"), NinesHttpFilter.of(EndpointGuard.builder("cart").policies(twoPerMinute()).build()));
        get("/cart");
        get("/cart");
        ticker.advance(Duration.ofMillis(29_001));
        HttpResponse<String> refused = get("/cart");
        assertEquals(429, refused.statusCode());
        assertEquals("1", refused.headers().firstValue("Retry-After").orElseThrow(), "999 ms rounds up to 1 s");
    }

    @Test
    void spoofedForwardingHeadersFromAnUntrustedPeerAreIgnored() throws Exception {
        EndpointGuard guard = EndpointGuard.builder("cart").policies(twoPerMinute())
                .clientKeys(ClientKeyResolver.forwarded(TrustedProxies.of("10.0.0.0/8"))).build();
        mount("/cart", ok("cart"), NinesHttpFilter.of(guard));

        assertEquals(200, get("/cart", "X-Forwarded-For", "198.51.100.1").statusCode());
        assertEquals(200, get("/cart", "X-Forwarded-For", "198.51.100.2").statusCode());
        assertEquals(429, get("/cart", "Forwarded", "for=198.51.100.3").statusCode(),
                "a new forwarded address each time does not buy a new bucket");
    }

    @Test
    void forwardingHeadersFromATrustedProxyNameTheClient() throws Exception {
        EndpointGuard guard = EndpointGuard.builder("cart").policies(twoPerMinute())
                .clientKeys(ClientKeyResolver.forwarded(TrustedProxies.of("127.0.0.1"))).build();
        mount("/cart", ok("cart"), NinesHttpFilter.of(guard));

        assertEquals(200, get("/cart", "X-Forwarded-For", "198.51.100.1").statusCode());
        assertEquals(200, get("/cart", "X-Forwarded-For", "198.51.100.1").statusCode());
        assertEquals(429, get("/cart", "X-Forwarded-For", "198.51.100.1").statusCode());
        assertEquals(200, get("/cart", "X-Forwarded-For", "198.51.100.2").statusCode(), "another client, its own bucket");
    }

    @Test
    void aForwardedHeaderPassedThroughATrustedProxyDoesNotBuyANewBucket() throws Exception {
        // the trusted proxy (here: the test client on 127.0.0.1) writes X-Forwarded-For and passes
        // other headers through, so a client can send a fresh Forwarded value with every request
        EndpointGuard guard = EndpointGuard.builder("cart").policies(twoPerMinute())
                .clientKeys(ClientKeyResolver.forwarded(TrustedProxies.of("127.0.0.1"))).build();
        mount("/cart", ok("cart"), NinesHttpFilter.of(guard));

        assertEquals(200, get("/cart", "Forwarded", "for=198.51.100.1").statusCode());
        assertEquals(200, get("/cart", "Forwarded", "for=198.51.100.2").statusCode());
        assertEquals(429, get("/cart", "Forwarded", "for=198.51.100.3").statusCode(),
                "keyed by the proxy's address: Forwarded is not the header the proxy writes");
    }

    @Test
    void theForwardedHeaderCountsWhenItIsTheChosenOne() throws Exception {
        EndpointGuard guard = EndpointGuard.builder("cart").policies(twoPerMinute())
                .clientKeys(ClientKeyResolver.forwarded(TrustedProxies.of("127.0.0.1"), ForwardingHeader.FORWARDED))
                .build();
        mount("/cart", ok("cart"), NinesHttpFilter.of(guard));

        assertEquals(200, get("/cart", "Forwarded", "for=198.51.100.1").statusCode());
        assertEquals(200, get("/cart", "Forwarded", "for=198.51.100.1", "X-Forwarded-For", "192.0.2.1").statusCode());
        assertEquals(429, get("/cart", "Forwarded", "for=198.51.100.1", "X-Forwarded-For", "192.0.2.2").statusCode(),
                "X-Forwarded-For is ignored when Forwarded is the chosen header");
        assertEquals(200, get("/cart", "Forwarded", "for=198.51.100.2").statusCode(), "another client, its own bucket");
    }

    @Test
    void anIpv6ClientRotatingAddressesWithinItsSlash64SharesOneBucket() throws Exception {
        EndpointGuard guard = EndpointGuard.builder("cart").policies(twoPerMinute())
                .clientKeys(ClientKeyResolver.forwarded(TrustedProxies.of("127.0.0.1"))).build();
        mount("/cart", ok("cart"), NinesHttpFilter.of(guard));

        assertEquals(200, get("/cart", "X-Forwarded-For", "2001:db8:1:2::1").statusCode());
        assertEquals(200, get("/cart", "X-Forwarded-For", "2001:db8:1:2::2").statusCode());
        assertEquals(429, get("/cart", "X-Forwarded-For", "2001:db8:1:2:ffff::3").statusCode(),
                "a new address from the same /64 is the same client");
        assertEquals(200, get("/cart", "X-Forwarded-For", "2001:db8:1:3::1").statusCode(), "another /64, its own bucket");
    }

    @Test
    void apiKeyHeaderSeparatesClients() throws Exception {
        EndpointGuard guard = EndpointGuard.builder("cart").policies(twoPerMinute())
                .clientKeys(ClientKeyResolver.header("X-Api-Key", ClientKeyResolver.remoteAddress())).build();
        mount("/cart", ok("cart"), NinesHttpFilter.of(guard));
        get("/cart", "X-Api-Key", "alpha");
        get("/cart", "X-Api-Key", "alpha");
        assertEquals(429, get("/cart", "X-Api-Key", "alpha").statusCode());
        assertEquals(200, get("/cart", "X-Api-Key", "beta").statusCode());
    }

    @Test
    void aRejectionFromTheHandlersOwnOutboundCallPropagatesInsteadOfBecomingA429() throws Exception {
        List<Throwable> escaped = new CopyOnWriteArrayList<>();
        HttpHandler refusedDownstream = exchange -> {
            throw new RateLimitedException("payments-downstream", TimeUnit.SECONDS.toNanos(30));
        };
        HttpContext context = server.createContext("/pay", refusedDownstream);
        // stands for the server's error path: whatever escapes nines is answered 500 here
        context.getFilters().add(new Filter() {
            @Override
            public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
                try {
                    chain.doFilter(exchange);
                } catch (RuntimeException e) {
                    escaped.add(e);
                    exchange.sendResponseHeaders(500, -1);
                    exchange.close();
                }
            }

            @Override
            public String description() {
                return "error page";
            }
        });
        context.getFilters().add(NinesHttpFilter.of(EndpointGuard.builder("pay").policies(twoPerMinute()).build()));

        HttpResponse<String> r = get("/pay");

        assertEquals(500, r.statusCode());
        assertEquals(Optional.empty(), r.headers().firstValue("Retry-After"), "the downstream's wait is not ours");
        assertEquals(1, escaped.size());
        assertEquals("rate limit 'payments-downstream' exceeded; retry after 30 s", escaped.get(0).getMessage());
    }

    private LoadShedder shedder() {
        return LoadShedder.builder("api").limit(FixedLimit.of(10)).ticker(ticker).build();
    }

    @Test
    void shedRequestsGet503WithRetryAfterAndTheirPriorityAndTier() throws Exception {
        LoadShedder shedder = shedder();
        mount("/recs", ok("recs"), NinesHttpFilter.of(EndpointGuard.builder("recs").priority(P3)
                .policies(shedder).build()));
        mount("/checkout", ok("checkout"),
                NinesHttpFilter.of(EndpointGuard.builder("checkout").priority(P0).policies(shedder).build()));

        shedder.forceTier(Tier.ESSENTIAL);
        HttpResponse<String> recs = get("/recs");
        HttpResponse<String> checkout = get("/checkout");

        assertEquals(503, recs.statusCode());
        assertTrue(recs.headers().firstValue("Retry-After").isPresent());
        assertTrue(recs.body().contains("\"type\":\"urn:nines:problem:shed\""), recs.body());
        assertTrue(recs.body().contains("\"priority\":\"P3\""), recs.body());
        assertTrue(recs.body().contains("\"tier\":\"ESSENTIAL\""), recs.body());
        assertEquals(200, checkout.statusCode(), "P0 still flows");
        // The response reaches the client when the handler closes it, a moment before the filter's
        // finally block returns the permit; wait (bounded) for that release rather than racing it.
        await("every admitted request released its permit").atMost(Duration.ofSeconds(5))
                .until(shedder::inFlight, inFlight -> inFlight == 0);
    }

    @Test
    void theRateLimitComesFirstAndARefusedRequestNeverTakesAShedderPermit() throws Exception {
        InMemoryMetrics shedderMetrics = new InMemoryMetrics();
        LoadShedder shedder = LoadShedder.builder("shed").limit(FixedLimit.of(10)).ticker(ticker)
                .metrics(shedderMetrics).build();
        List<Integer> inFlightSeen = new CopyOnWriteArrayList<>();
        HttpHandler handler = exchange -> {
            inFlightSeen.add(shedder.inFlight());
            ok("cart").handle(exchange);
        };
        // the limiter is listed inside the shedder, yet it is checked before the shedder runs
        mount("/cart", handler, NinesHttpFilter.of(EndpointGuard.builder("cart").priority(P3)
                .policies(shedder, twoPerMinute()).build()));

        assertEquals(200, get("/cart").statusCode());
        assertEquals(200, get("/cart").statusCode());
        shedder.forceTier(Tier.CRITICAL_ONLY); // from now on a P3 request would be shed
        assertEquals(429, get("/cart").statusCode(), "over its rate limit and sheddable: the rate limit answers");
        assertEquals(429, get("/cart").statusCode());

        assertEquals(List.of(1, 1), inFlightSeen, "each admitted request held one shedder permit");
        await("the shedder saw the two admitted requests and nothing else").atMost(Duration.ofSeconds(5))
                .until(() -> shedderOutcomes(shedderMetrics, "shed"), n -> n == 2);
        assertEquals(2, shedderMetrics.count("shed", Outcome.SUCCESS));
        assertEquals(0, shedderMetrics.count("shed", Outcome.SHED), "rate-limited requests never reached the shedder");
        await("no permit is left behind").atMost(Duration.ofSeconds(5)).until(shedder::inFlight, n -> n == 0);

        ticker.advance(Duration.ofSeconds(30));
        assertEquals(503, get("/cart").statusCode(), "within its rate limit, the same request is shed");
        assertEquals(1, shedderMetrics.count("shed", Outcome.SHED));
    }

    private static long shedderOutcomes(InMemoryMetrics metrics, String policy) {
        long total = 0;
        for (Outcome o : Outcome.values()) {
            total += metrics.count(policy, o);
        }
        return total;
    }

    @Test
    void aPriorityHeaderCountsOnlyFromTrustedCallers() throws Exception {
        LoadShedder shedder = shedder();
        shedder.forceTier(Tier.ESSENTIAL);
        EndpointGuard untrusted = EndpointGuard.builder("u").priority(P3).policies(shedder)
                .priorityHeader("X-Priority", TrustedProxies.of("10.0.0.0/8")).build();
        EndpointGuard trusted = EndpointGuard.builder("t").priority(P3).policies(shedder)
                .priorityHeader("X-Priority", TrustedProxies.of("127.0.0.0/8")).build();
        mount("/u", ok("u"), NinesHttpFilter.of(untrusted));
        mount("/t", ok("t"), NinesHttpFilter.of(trusted));

        assertEquals(503, get("/u", "X-Priority", "P0").statusCode(), "a client cannot raise its own priority");
        assertEquals(200, get("/t", "X-Priority", "P0").statusCode());
        assertEquals(200, get("/t", "X-Priority", "1").statusCode(), "levels work too");
        assertEquals(503, get("/t", "X-Priority", "urgent!").statusCode(), "nonsense falls back to the endpoint's priority");
    }

    @WithRateLimit(permits = 1, period = 1, unit = TimeUnit.MINUTES, key = KeySource.CLIENT, name = "search-limit")
    static final class SearchHandler implements HttpHandler {
        @Override
        @WithPriority(value = Priority.P2, shedder = "api")
        public void handle(HttpExchange exchange) throws IOException {
            byte[] body = "results".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        }
    }

    @Test
    void annotationsOnTheHandlerBuildTheGuard() throws Exception {
        PolicyRegistry registry = new PolicyRegistry().register(shedder());
        NinesWeb web = NinesWeb.builder().registry(registry).ticker(ticker).build();
        SearchHandler handler = new SearchHandler();
        NinesHttpFilter filter = NinesHttpFilter.annotated(web, handler);
        mount("/search", handler, filter);

        HttpResponse<String> first = get("/search");
        assertEquals(200, first.statusCode());
        assertEquals("\"search-limit\";q=1;w=60", first.headers().firstValue("RateLimit-Policy").orElseThrow());
        assertEquals(429, get("/search").statusCode());

        LoadShedder shedder = registry.find("api", LoadShedder.class).orElseThrow();
        assertEquals(List.of("api"), filter.guard().policies().policies().stream().map(p -> p.name()).toList());
        shedder.forceTier(Tier.ESSENTIAL);
        ticker.advance(Duration.ofMinutes(1));
        assertEquals(503, get("/search").statusCode(), "P2 is shed in the ESSENTIAL tier");
    }

    @WithRateLimit(permits = 1, period = 1, key = KeySource.ARGUMENT, argument = 0)
    static final class ArgumentKeyed implements HttpHandler {
        @Override
        public void handle(HttpExchange exchange) {
        }
    }

    @Test
    void argumentKeysAreRefusedOnEndpoints() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NinesHttpFilter.annotated(NinesWeb.builder().build(), new ArgumentKeyed()));
        assertEquals("@WithRateLimit on ArgumentKeyed.handle(HttpExchange): key must be CLIENT or NONE on an endpoint "
                + "but was ARGUMENT", e.getMessage());
    }

    static final class RetryingHandler implements HttpHandler {
        @Override
        @WithRetry(maxAttempts = 2)
        public void handle(HttpExchange exchange) {
        }
    }

    static final class FallingBackHandler implements HttpHandler {
        @Override
        @WithFallback(method = "cached")
        public void handle(HttpExchange exchange) {
        }

        void cached(HttpExchange exchange) {
        }
    }

    @WithRetry
    static final class RetryingType implements HttpHandler {
        @Override
        public void handle(HttpExchange exchange) {
        }
    }

    private static final String RERUN = "not supported on an endpoint, since it would run the handler again after "
            + "the response may have been written; retry or fall back in the client, or around the handler's "
            + "outbound calls";

    @Test
    void annotationsThatRunTheHandlerAgainAreRefusedWhenTheFilterIsCreated() {
        NinesWeb web = NinesWeb.builder().build();
        IllegalArgumentException retry = assertThrows(IllegalArgumentException.class,
                () -> NinesHttpFilter.annotated(web, new RetryingHandler()));
        assertEquals("@WithRetry on RetryingHandler.handle(HttpExchange): " + RERUN, retry.getMessage());
        IllegalArgumentException onType = assertThrows(IllegalArgumentException.class,
                () -> NinesHttpFilter.annotated(web, new RetryingType()));
        assertEquals("@WithRetry on RetryingType.handle(HttpExchange): " + RERUN, onType.getMessage());
        IllegalArgumentException fallback = assertThrows(IllegalArgumentException.class,
                () -> NinesHttpFilter.annotated(web, new FallingBackHandler()));
        assertEquals("@WithFallback on FallingBackHandler.handle(HttpExchange): " + RERUN, fallback.getMessage());
    }

    @Test
    void retryAndFallbackPoliciesAreRefusedOnAnEndpointToo() {
        IllegalArgumentException retry = assertThrows(IllegalArgumentException.class,
                () -> EndpointGuard.builder("x").policies(Retry.builder("again").build()).build());
        assertEquals("endpoint 'x' cannot have Retry 'again': " + RERUN, retry.getMessage());
        IllegalArgumentException nested = assertThrows(IllegalArgumentException.class,
                () -> EndpointGuard.builder("x").policies(Pipeline.of(Fallback.builder("cached").value("stale")
                        .build())).build());
        assertEquals("endpoint 'x' cannot have Fallback 'cached': " + RERUN, nested.getMessage());
    }

    static final class GuardedHandler implements HttpHandler {
        @Override
        @WithCircuitBreaker(name = "cb")
        @WithBulkhead(maxConcurrent = 2, name = "bh")
        public void handle(HttpExchange exchange) throws IOException {
            byte[] body = "guarded".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        }
    }

    @Test
    void bulkheadAndCircuitBreakerAnnotationsGuardAnEndpoint() throws Exception {
        PolicyRegistry registry = new PolicyRegistry();
        NinesWeb web = NinesWeb.builder().registry(registry).build();
        GuardedHandler handler = new GuardedHandler();
        NinesHttpFilter filter = NinesHttpFilter.annotated(web, handler);
        mount("/guarded", handler, filter);

        assertEquals(List.of("cb", "bh"), filter.guard().policies().policies().stream().map(p -> p.name()).toList(),
                "breaker, then bulkhead, outermost first");
        HttpResponse<String> ok = get("/guarded");
        assertEquals(200, ok.statusCode());
        assertEquals("guarded", ok.body());

        registry.find("cb", dev.nines.circuitbreaker.CircuitBreaker.class).orElseThrow().forceOpen();
        HttpResponse<String> open = get("/guarded");
        assertEquals(503, open.statusCode());
        assertTrue(open.body().contains("\"policy\":\"cb\""), open.body());
    }

    @Test
    void twoRateLimitersOnOneEndpointAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EndpointGuard.builder("x").policies(twoPerMinute(),
                        KeyedRateLimiter.builder("other").limit(Rate.perSecond(5)).build()).build());
        assertEquals("endpoint 'x' has two rate limiters: api and other; combine the limits in one limiter",
                e.getMessage());
    }
}
