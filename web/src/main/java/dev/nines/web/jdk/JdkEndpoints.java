package dev.nines.web.jdk;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.web.HealthEndpoint;
import dev.nines.web.PrometheusText;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;

/**
 * Health and metrics endpoints for the JDK's built-in HTTP server: liveness and readiness for
 * probes, the health detail and metrics for people. Serve them from contexts without a nines
 * filter, so that a drain does not refuse the probes. Stateless; the handlers it returns are
 * thread-safe and may serve concurrent requests.
 */
public final class JdkEndpoints {

    private JdkEndpoints() {
    }

    /**
     * Answers with {@code health}'s detail ({@link HealthEndpoint#check()}): 200 when up, 503 when a
     * critical breaker is open. For people and dashboards, not for probes.
     */
    public static HttpHandler health(HealthEndpoint health) {
        Objects.requireNonNull(health, "health");
        return exchange -> send(exchange, health.check());
    }

    /**
     * Answers {@code health}'s {@link HealthEndpoint#liveness() liveness}: 200 while the process can
     * answer. Wire a liveness probe (Kubernetes {@code livenessProbe}) here.
     */
    public static HttpHandler liveness(HealthEndpoint health) {
        Objects.requireNonNull(health, "health");
        return exchange -> send(exchange, health.liveness());
    }

    /**
     * Answers {@code health}'s {@link HealthEndpoint#readiness() readiness}: 200, or 503 once its
     * drain has started. Wire a readiness probe (Kubernetes {@code readinessProbe}) here.
     */
    public static HttpHandler readiness(HealthEndpoint health) {
        Objects.requireNonNull(health, "health");
        return exchange -> send(exchange, health.readiness());
    }

    private static void send(HttpExchange exchange, HealthEndpoint.Report report) throws IOException {
        JdkExchange.send(exchange, report.status(), Map.of("Cache-Control", "no-store"), "application/json",
                report.json());
    }

    /** Answers with {@code metrics} in the Prometheus text format. */
    public static HttpHandler metrics(InMemoryMetrics metrics) {
        Objects.requireNonNull(metrics, "metrics");
        return exchange -> JdkExchange.send(exchange, 200, Map.of(), PrometheusText.CONTENT_TYPE,
                PrometheusText.render(metrics));
    }
}
