package dev.nines.spring.boot.autoconfigure.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nines.slo.EventCounts;
import dev.nines.slo.Slo;
import dev.nines.slo.SloRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * An SLO from {@code nines.slo.*} on a real port: requests to an annotated controller method feed the
 * SLO that names it, with no code, and {@code /actuator/health} shows its counts and burn. The SLO's
 * time is the test application's manual ticker, standing still, so every request lands in one bucket.
 * A fast burn reports DEGRADED, placed in the status order here, and the instance keeps answering 200
 * on health and readiness: it stays in the load balancer.
 */
@SpringBootTest(classes = WebTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "nines.slo.instances.flaky.requests=GuardedController.flaky",
            "nines.slo.instances.flaky.objective=99%",
            "nines.slo.health.degrade-on-fast-burn=true",
            "management.endpoint.health.show-details=always",
            "management.endpoint.health.probes.enabled=true",
            "management.endpoint.health.status.order=down,out-of-service,degraded,up,unknown"
        })
class SloOverHttpTest {

    @LocalServerPort
    int port;
    @Autowired
    SloRegistry slos;

    @Test
    void failingRequestsToAnAnnotatedEndpointSpendItsSlosBudgetAndShowOnTheHealthEndpoint() {
        Http http = new Http(port);
        Slo flaky = slos.get("flaky").orElseThrow();
        assertThat(http.get("/flaky").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> flaky.counts(Duration.ofHours(1)).total() == 1);
        HttpResponse<String> healthy = http.get("/actuator/health/slo");
        assertThat(healthy.statusCode()).isEqualTo(200);
        assertThat(healthy.body()).contains("\"status\":\"UP\"").contains("\"good\":1").contains("\"total\":1")
                .contains("\"state\":\"ok\"");

        for (int i = 0; i < 3; i++) {
            assertThat(http.get("/flaky?fail=true").statusCode()).isGreaterThanOrEqualTo(500);
        }
        // a request to another endpoint is not this SLO's
        http.get("/shed");
        await().atMost(Duration.ofSeconds(10)).until(() -> flaky.counts(Duration.ofHours(1)).total() == 4);

        EventCounts counts = flaky.counts(Duration.ofHours(1));
        assertThat(counts.good()).isEqualTo(1);
        HttpResponse<String> burning = http.get("/actuator/health/slo");
        assertThat(burning.statusCode()).isEqualTo(200);
        assertThat(burning.body()).contains("\"status\":\"DEGRADED\"").contains("\"good\":1").contains("\"total\":4")
                .contains("\"attainment\":0.25").contains("\"state\":\"page\"").contains("\"fastBurn\":true")
                .contains("\"1h\":75.0").contains("\"page-fast\":{\"severity\":\"page\",\"threshold\":14.4,\"longBurnRate\":75.0,\"shortBurnRate\":75.0,\"firing\":true}");
        HttpResponse<String> overall = http.get("/actuator/health");
        assertThat(overall.statusCode()).isEqualTo(200);
        assertThat(overall.body()).endsWith("\"status\":\"DEGRADED\"}");
        assertThat(http.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        assertThat(http.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
    }
}
