package dev.nines.web;

import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.circuitbreaker.CircuitState;
import dev.nines.shedding.LoadShedder;
import dev.nines.web.internal.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The health of a service as nines sees it: every registered circuit breaker's state, every load
 * shedder's degradation tier, limit and in-flight count. The service is {@code DOWN} (HTTP 503)
 * while a breaker marked critical is open, so a load balancer stops sending traffic it cannot
 * serve; otherwise {@code UP} (200), with the detail in the body for people.
 *
 * <p>Serve it with {@code dev.nines.web.jdk.JdkEndpoints#health} or
 * {@code dev.nines.web.servlet.HealthServlet}. Immutable and thread-safe.
 */
public final class HealthEndpoint {

    private final List<Breaker> breakers;
    private final List<LoadShedder> shedders;

    private HealthEndpoint(Builder b) {
        this.breakers = List.copyOf(b.breakers);
        this.shedders = List.copyOf(b.shedders);
    }

    /** Starts configuring. */
    public static Builder builder() {
        return new Builder();
    }

    /** Reads every breaker and shedder now. */
    public Report check() {
        boolean up = true;
        Map<String, Object> breakerJson = new LinkedHashMap<>();
        for (Breaker b : breakers) {
            CircuitState state = b.breaker.state();
            boolean open = state == CircuitState.OPEN || state == CircuitState.FORCED_OPEN;
            up &= !(b.critical && open);
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("state", state.name());
            detail.put("critical", b.critical);
            detail.put("failureRate", round(b.breaker.failureRate()));
            detail.put("slowCallRate", round(b.breaker.slowCallRate()));
            breakerJson.put(b.breaker.name(), detail);
        }
        Map<String, Object> shedderJson = new LinkedHashMap<>();
        for (LoadShedder s : shedders) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("tier", s.tier().name());
            detail.put("forced", s.forcedTier().isPresent());
            detail.put("limit", s.limit());
            detail.put("inFlight", s.inFlight());
            detail.put("queued", s.queued());
            shedderJson.put(s.name(), detail);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("breakers", breakerJson);
        body.put("shedders", shedderJson);
        return new Report(up ? 200 : 503, Json.object(body));
    }

    private static double round(float rate) {
        return rate < 0 ? -1 : Math.round(rate * 100) / 100.0;
    }

    /**
     * One health check.
     *
     * @param status 200 when up, 503 when a critical breaker is open
     * @param json   the body, {@code application/json}
     */
    public record Report(int status, String json) {
    }

    private record Breaker(CircuitBreaker breaker, boolean critical) {
    }

    /** Configures a {@link HealthEndpoint}. Not thread-safe. */
    public static final class Builder {
        private final List<Breaker> breakers = new ArrayList<>();
        private final List<LoadShedder> shedders = new ArrayList<>();

        private Builder() {
        }

        /** Reports {@code breaker}; when {@code critical}, its opening makes the service DOWN. */
        public Builder breaker(CircuitBreaker breaker, boolean critical) {
            breakers.add(new Breaker(Objects.requireNonNull(breaker, "breaker"), critical));
            return this;
        }

        /** Reports {@code shedder}'s tier, limit and in-flight count. */
        public Builder shedder(LoadShedder shedder) {
            shedders.add(Objects.requireNonNull(shedder, "shedder"));
            return this;
        }

        /** Builds the endpoint. */
        public HealthEndpoint build() {
            return new HealthEndpoint(this);
        }
    }
}
