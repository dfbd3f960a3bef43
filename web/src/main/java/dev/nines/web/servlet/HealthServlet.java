package dev.nines.web.servlet;

import dev.nines.web.HealthEndpoint;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;

/**
 * Serves a {@link HealthEndpoint}: 200 when up, 503 when a critical breaker is open. Thread-safe:
 * it keeps no state of its own and the endpoint it serves is immutable.
 */
public final class HealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient HealthEndpoint health;

    /** Serves {@code health}. */
    public HealthServlet(HealthEndpoint health) {
        this.health = Objects.requireNonNull(health, "health");
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        HealthEndpoint.Report report = health.check();
        resp.setStatus(report.status());
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.getWriter().write(report.json());
    }
}
