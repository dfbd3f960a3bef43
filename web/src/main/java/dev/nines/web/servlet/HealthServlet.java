package dev.nines.web.servlet;

import dev.nines.web.HealthEndpoint;
import dev.nines.web.internal.NotDrained;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
import java.util.function.Function;

/**
 * Serves a {@link HealthEndpoint}: its detail (the constructor; 200 when up, 503 when a critical
 * breaker is open), its {@link #liveness liveness} or its {@link #readiness readiness}. A drain
 * configured on {@code NinesWeb} never refuses this servlet, so the probes keep answering while the
 * service drains. Thread-safe: it keeps no state of its own and the endpoint it serves is
 * immutable.
 */
@NotDrained
@SuppressWarnings("exports") // jakarta.servlet is required static, not transitive: see module-info
public final class HealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient HealthEndpoint health;
    private final transient Function<HealthEndpoint, HealthEndpoint.Report> answer;

    /** Serves {@code health}'s detail ({@link HealthEndpoint#check()}), for people and dashboards. */
    public HealthServlet(HealthEndpoint health) {
        this(health, HealthEndpoint::check);
    }

    private HealthServlet(HealthEndpoint health, Function<HealthEndpoint, HealthEndpoint.Report> answer) {
        this.health = Objects.requireNonNull(health, "health");
        this.answer = answer;
    }

    /**
     * Serves {@code health}'s {@link HealthEndpoint#liveness() liveness}: 200 while the process can
     * answer. Wire a liveness probe (Kubernetes {@code livenessProbe}) here.
     */
    public static HealthServlet liveness(HealthEndpoint health) {
        return new HealthServlet(health, HealthEndpoint::liveness);
    }

    /**
     * Serves {@code health}'s {@link HealthEndpoint#readiness() readiness}: 200, or 503 once its
     * drain has started. Wire a readiness probe (Kubernetes {@code readinessProbe}) here.
     */
    public static HealthServlet readiness(HealthEndpoint health) {
        return new HealthServlet(health, HealthEndpoint::readiness);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        HealthEndpoint.Report report = answer.apply(health);
        resp.setStatus(report.status());
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.getWriter().write(report.json());
    }
}
