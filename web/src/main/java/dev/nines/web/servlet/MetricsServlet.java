package dev.nines.web.servlet;

import dev.nines.metrics.InMemoryMetrics;
import dev.nines.web.PrometheusText;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;

/**
 * Serves an {@link InMemoryMetrics} in the Prometheus text format. Thread-safe: it keeps no state
 * of its own and renders a fresh snapshot for each request.
 */
@SuppressWarnings("exports") // jakarta.servlet is required static, not transitive: see module-info
public final class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient InMemoryMetrics metrics;

    /** Serves {@code metrics}. */
    public MetricsServlet(InMemoryMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setStatus(200);
        resp.setContentType(PrometheusText.CONTENT_TYPE);
        resp.getWriter().write(PrometheusText.render(metrics));
    }
}
