package dev.nines.spring.boot.autoconfigure.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nines.ManualTicker;
import dev.nines.annotation.PolicyRegistry;
import dev.nines.bulkhead.SemaphoreBulkhead;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.circuitbreaker.CircuitState;
import dev.nines.metrics.RequestOutcome;
import dev.nines.shedding.LoadShedder;
import dev.nines.shedding.Tier;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The guard on Spring MVC controller methods over a real port, driven by the JDK HTTP client. The
 * client key is the {@code X-Client} header (each test its own client), falling back to
 * {@code X-Forwarded-For} from the trusted loopback peer; the priority header is honoured from it.
 */
@SpringBootTest(classes = WebTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "nines.web.trusted-proxies=127.0.0.1",
            "nines.web.client-key.source=header",
            "nines.web.client-key.header=X-Client",
            "nines.web.priority.header=X-Priority",
            "nines.web.priority.trusted-callers=127.0.0.1"
        })
class ControllerGuardsTest {

    @LocalServerPort
    int port;
    @Autowired
    ManualTicker ticker;
    @Autowired
    PolicyRegistry registry;
    @Autowired
    WebTestApplication.RecordingSink sink;

    private Http http;
    private final String client = UUID.randomUUID().toString();

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    @Test
    void anOverLimitRequestGets429WithRetryAfterRateLimitHeadersAndProblemJson() {
        HttpResponse<String> first = http.get("/limited", "X-Client", client);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).isEqualTo("ok");
        assertThat(first.headers().firstValue("RateLimit-Policy")).hasValueSatisfying(v -> assertThat(v)
                .contains("q=2").contains("w=60"));
        assertThat(first.headers().firstValue("RateLimit")).hasValueSatisfying(v -> assertThat(v).contains("r=1"));
        assertThat(http.get("/limited", "X-Client", client).statusCode()).isEqualTo(200);

        HttpResponse<String> over = http.get("/limited", "X-Client", client);

        assertThat(over.statusCode()).isEqualTo(429);
        assertThat(over.headers().firstValue("Retry-After")).hasValue("30"); // 2 per minute, on a clock that stood still
        assertThat(over.headers().firstValue("RateLimit-Policy")).isPresent();
        assertThat(over.headers().firstValue("RateLimit")).hasValueSatisfying(v -> assertThat(v).contains("r=0"));
        assertThat(over.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("application/problem+json"));
        assertThat(over.body()).contains("\"status\":429").contains("urn:nines:problem:rate-limited")
                .contains("\"retryAfterSeconds\":30");
        // another client has its own bucket
        assertThat(http.get("/limited", "X-Client", client + "-other").statusCode()).isEqualTo(200);
    }

    @Test
    void aPermitComesBackWithTimeOnTheTicker() {
        http.get("/limited", "X-Client", client);
        http.get("/limited", "X-Client", client);
        assertThat(http.get("/limited", "X-Client", client).statusCode()).isEqualTo(429);

        ticker.advance(30, TimeUnit.SECONDS);

        assertThat(http.get("/limited", "X-Client", client).statusCode()).isEqualTo(200);
    }

    @Test
    void eachRequestIsReportedOnceNamedAfterItsEndpoint() {
        String name = "GuardedController.limited";
        int before = sink.of(name).size();
        http.get("/limited", "X-Client", client);
        http.get("/limited", "X-Client", client);
        http.get("/limited", "X-Client", client);
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.of(name).size() >= before + 3);
        var events = sink.of(name).subList(before, sink.of(name).size());
        assertThat(events).extracting(WebTestApplication.RecordingSink.Request::outcome)
                .containsExactlyInAnyOrder(RequestOutcome.FRESH, RequestOutcome.FRESH, RequestOutcome.REJECTED);
    }

    @Test
    void anUnannotatedEndpointIsNotGuarded() {
        HttpResponse<String> plain = http.get("/plain");
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.headers().firstValue("RateLimit-Policy")).isEmpty();
    }

    @Test
    void aShedP3RequestGets503AndATrustedCallersP0IsAdmitted() {
        LoadShedder api = registry.find("api", LoadShedder.class).orElseThrow();
        api.forceTier(Tier.REDUCED);
        try {
            HttpResponse<String> shed = http.get("/shed", "X-Client", client);
            assertThat(shed.statusCode()).isEqualTo(503);
            assertThat(shed.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(shed.body()).contains("urn:nines:problem:shed").contains("\"priority\":\"P3\"");

            // from a trusted caller (the loopback peer here), the priority header raises it
            assertThat(http.get("/shed", "X-Client", client, "X-Priority", "P0").statusCode()).isEqualTo(200);
        } finally {
            api.clearForcedTier();
        }
        assertThat(http.get("/shed", "X-Client", client).statusCode()).isEqualTo(200);
    }

    @Test
    void aHandlerExceptionCountsAsABreakerFailure() {
        CircuitBreaker flaky = registry.find("flaky", CircuitBreaker.class).orElseThrow();
        flaky.reset();
        assertThat(http.get("/flaky?fail=true", "X-Client", client).statusCode()).isEqualTo(500);
        assertThat(http.get("/flaky?fail=true", "X-Client", client).statusCode()).isEqualTo(500);

        assertThat(flaky.state()).isEqualTo(CircuitState.OPEN);
        HttpResponse<String> refused = http.get("/flaky", "X-Client", client);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("60"); // the breaker's open time
        assertThat(refused.body()).contains("urn:nines:problem:circuit-breaker-open");
        flaky.reset();
    }

    @Test
    void aClientErrorTheHandlerThrowsIsNotABreakerFailure() {
        CircuitBreaker picky = registry.find("picky", CircuitBreaker.class).orElseThrow();
        picky.reset();
        assertThat(http.get("/picky?id=-1", "X-Client", client).statusCode()).isEqualTo(404);
        assertThat(http.get("/picky?id=-2", "X-Client", client).statusCode()).isEqualTo(404);
        assertThat(http.get("/picky?id=notanumber", "X-Client", client).statusCode()).isEqualTo(400);

        assertThat(picky.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(picky.failureRate()).isZero();
        assertThat(http.get("/picky?id=7", "X-Client", client).body()).isEqualTo("item 7");
    }

    @Test
    void permitsAreReleasedWhenTheHandlerThrows() {
        SemaphoreBulkhead bh = registry.find("bh", SemaphoreBulkhead.class).orElseThrow();
        for (int i = 0; i < 3; i++) { // more failures than the bulkhead has permits
            assertThat(http.get("/bulkhead?fail=true", "X-Client", client).statusCode()).isEqualTo(500);
        }
        assertThat(bh.availablePermits()).isEqualTo(2);
        assertThat(http.get("/bulkhead", "X-Client", client).body()).isEqualTo("done");
        // the body may reach the client before the handler's thread has left the guard
        await().atMost(Duration.ofSeconds(10)).until(() -> bh.availablePermits() == 2);
    }

    @Test
    void aFullBulkheadAnswers503AndIsFullAgainOnceTheHandlerReturns() throws Exception {
        SemaphoreBulkhead held = registry.find("held", SemaphoreBulkhead.class).orElseThrow();
        GuardedController.entered = new CountDownLatch(1);
        GuardedController.release = new CountDownLatch(1);
        CompletableFuture<HttpResponse<String>> holding = http.getAsync("/held", "X-Client", client);
        try {
            assertThat(GuardedController.entered.await(30, TimeUnit.SECONDS)).isTrue();
            HttpResponse<String> refused = http.get("/held", "X-Client", client);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).contains("urn:nines:problem:bulkhead-full");
        } finally {
            GuardedController.release.countDown();
        }
        assertThat(holding.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> held.availablePermits() == 1);
    }

    @Test
    void anAsyncHandlerIsGuardedOnceAndGivesItsPermitsBack() {
        SemaphoreBulkhead async = registry.find("async", SemaphoreBulkhead.class).orElseThrow();
        // one permit a minute: guarding the ASYNC dispatch as well would refuse the first request
        HttpResponse<String> first = http.get("/limited-async", "X-Client", client);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).isEqualTo("later");
        assertThat(first.headers().firstValue("RateLimit")).isPresent();
        assertThat(http.get("/limited-async", "X-Client", client).statusCode()).isEqualTo(429);
        await().atMost(Duration.ofSeconds(10)).until(() -> async.availablePermits() == 1);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> sink.of("GuardedController.limitedAsync").size() >= 2);
        assertThat(sink.of("GuardedController.limitedAsync")).hasSize(2);
    }

    @Test
    void forwardedForIsHonouredFromATrustedProxy() {
        // no X-Client: the key is the forwarded address, believed from the loopback peer (trusted here)
        assertThat(http.get("/limited", "X-Forwarded-For", "203.0.113.7").statusCode()).isEqualTo(200);
        assertThat(http.get("/limited", "X-Forwarded-For", "203.0.113.7").statusCode()).isEqualTo(200);
        assertThat(http.get("/limited", "X-Forwarded-For", "203.0.113.7").statusCode()).isEqualTo(429);
        assertThat(http.get("/limited", "X-Forwarded-For", "203.0.113.8").statusCode()).isEqualTo(200);
    }
}
