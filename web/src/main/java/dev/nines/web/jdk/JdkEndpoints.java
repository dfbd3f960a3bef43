package dev.nines.web.jdk;

import com.sun.net.httpserver.HttpHandler;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.web.HealthEndpoint;
import dev.nines.web.PrometheusText;
import java.util.Map;
import java.util.Objects;

/**
 * Health and metrics endpoints for the JDK's built-in HTTP server. Stateless; the handlers it
 * returns are thread-safe and may serve concurrent requests.
 */
public final class JdkEndpoints {

    private JdkEndpoints() {
    }

    /** Answers with {@code health}'s JSON report: 200 when up, 503 when a critical breaker is open. */
    public static HttpHandler health(HealthEndpoint health) {
        Objects.requireNonNull(health, "health");
        return exchange -> {
            HealthEndpoint.Report report = health.check();
            JdkExchange.send(exchange, report.status(), Map.of("Cache-Control", "no-store"), "application/json",
                    report.json());
        };
    }

    /** Answers with {@code metrics} in the Prometheus text format. */
    public static HttpHandler metrics(InMemoryMetrics metrics) {
        Objects.requireNonNull(metrics, "metrics");
        return exchange -> JdkExchange.send(exchange, 200, Map.of(), PrometheusText.CONTENT_TYPE,
                PrometheusText.render(metrics));
    }
}
