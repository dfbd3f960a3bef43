package dev.nines.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.ManualTicker;
import dev.nines.Ticker;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.shedding.LoadShedder;
import dev.nines.shedding.Tier;
import dev.nines.web.NinesWeb;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The sample shop started on a random port with its own application.yml and driven over HTTP, as
 * its clients would: each test is a different client behind the trusted proxy (its own
 * {@code X-Forwarded-For}); time stands still on a manual ticker.
 */
@SpringBootTest(classes = ShopApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(ShopApplicationTest.StillClock.class)
class ShopApplicationTest {

    private static final AtomicInteger CLIENTS = new AtomicInteger(1);

    /** The time source of the starter's policies. */
    @TestConfiguration
    static class StillClock {
        @Bean
        Ticker shopTestTicker() {
            return new ManualTicker();
        }
    }

    @LocalServerPort
    int port;
    /** The starter's web settings; their registry is the application's PolicyRegistry bean when it has one. */
    @Autowired
    NinesWeb web;
    @Autowired
    SimulatedPaymentGateway gateway;
    @Autowired
    PaymentClient paymentClient;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String client = "198.51.100." + CLIENTS.getAndIncrement();

    @AfterEach
    void restore() {
        gateway.down(false);
        web.registry().find("default", LoadShedder.class).ifPresent(LoadShedder::clearForcedTier);
        // time stands still, so an opened breaker would stay open for the next test
        web.registry().find("payments", CircuitBreaker.class).ifPresent(CircuitBreaker::reset);
    }

    @Test
    void searchAnswersWithTheRateLimitHeaders() {
        HttpResponse<String> r = get("/products?q=coffee", client);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("Coffee grinder").contains("Coffee beans");
        assertThat(r.headers().firstValue("RateLimit-Policy")).hasValueSatisfying(v -> assertThat(v).contains("q=40"));
        assertThat(r.headers().firstValue("RateLimit")).hasValueSatisfying(v -> assertThat(v).contains("r=39"));
    }

    @Test
    void aClientOverItsSearchLimitGets429AndAnotherClientDoesNot() {
        for (int i = 0; i < 40; i++) {
            assertThat(get("/products?q=cup", client).statusCode()).as("request %d of the burst", i + 1).isEqualTo(200);
        }
        HttpResponse<String> over = get("/products?q=cup", client);
        assertThat(over.statusCode()).isEqualTo(429);
        assertThat(over.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(over.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("application/problem+json"));
        assertThat(over.body()).contains("urn:nines:problem:rate-limited");

        String neighbour = "198.51.100." + CLIENTS.getAndIncrement();
        assertThat(get("/products?q=cup", neighbour).statusCode()).isEqualTo(200);
    }

    @Test
    void underOverloadRecommendationsAndSearchAreShedWhileProductPagesAndOrdersAreServed() {
        // the endpoints' @WithPriority share the default shedder; force what overload would do
        get("/recommendations", client); // make sure the shared shedder exists
        LoadShedder shedder = web.registry().find("default", LoadShedder.class).orElseThrow();
        shedder.forceTier(Tier.ESSENTIAL); // P2 and P3 shed

        HttpResponse<String> shed = get("/recommendations", client);
        assertThat(shed.statusCode()).isEqualTo(503);
        assertThat(shed.body()).contains("urn:nines:problem:shed").contains("\"priority\":\"P3\"");
        assertThat(get("/products?q=cup", client).statusCode()).isEqualTo(503);
        assertThat(get("/products/1", client).statusCode()).isEqualTo(200);
        assertThat(order(client, 1, 2).statusCode()).isEqualTo(201);
    }

    @Test
    void anOrderIsChargedAndPlaced() {
        HttpResponse<String> placed = order(client, 2, 3);
        assertThat(placed.statusCode()).isEqualTo(201);
        assertThat(placed.headers().firstValue("Location")).hasValueSatisfying(v -> assertThat(v).startsWith("/orders/"));
        assertThat(placed.body()).contains("\"totalCents\":26700").contains("\"paymentId\":\"pay-");
    }

    @Test
    void aBadOrderIsTheClientsError() {
        assertThat(order(client, 1, 0).statusCode()).isEqualTo(400);
        assertThat(order(client, 99, 1).statusCode()).isEqualTo(404);
    }

    @Test
    void aFailedPaymentIsABadGateway() {
        gateway.down(true);
        HttpResponse<String> failed = order(client, 1, 1);
        assertThat(failed.statusCode()).isEqualTo(502);
        assertThat(failed.body()).contains("payment provider unavailable");
    }

    @Test
    void aPaymentProviderThatStaysDownOpensThePaymentsBreaker() {
        assertThat(AopUtils.isAopProxy(paymentClient)).as("PaymentClient advised by the starter's AOP").isTrue();
        gateway.down(true);
        // each order tries three times, each attempt a failure in the breaker's window (minimum 10
        // calls): a few orders fail with 502, then the breaker opens
        int failed = 0;
        HttpResponse<String> answer;
        while ((answer = order("198.51.100." + CLIENTS.getAndIncrement(), 1, 1)).statusCode() == 502) {
            failed++;
            assertThat(failed).as("orders failed before the breaker opened").isLessThanOrEqualTo(10);
        }
        assertThat(failed).as("orders that reached the provider and failed").isBetween(1, 10);
        assertThat(answer.statusCode()).isEqualTo(503);
        long reached = gateway.calls();
        HttpResponse<String> refused = order(client, 1, 1);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isEmpty();
        assertThat(gateway.calls()).as("an open breaker keeps calls off the provider").isEqualTo(reached);
    }

    private HttpResponse<String> get(String path, String forwardedFor) {
        return send(HttpRequest.newBuilder(uri(path)).header("X-Forwarded-For", forwardedFor).GET().build());
    }

    private HttpResponse<String> order(String forwardedFor, long productId, int quantity) {
        String json = "{\"productId\":" + productId + ",\"quantity\":" + quantity + "}";
        return send(HttpRequest.newBuilder(uri("/orders")).header("X-Forwarded-For", forwardedFor)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
