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
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The health of a service as nines sees it, as three answers for three readers:
 *
 * <ul>
 * <li>{@link #liveness()}, for a liveness probe ("restart me if this fails"): always 200 while the
 *     process can answer. nines holds no state that a restart would cure, and an open breaker means
 *     a dependency is down, which restarting this service does not fix; restarting every replica at
 *     once during a dependency outage only adds an outage of your own. A process too wedged to run
 *     the handler fails the probe by not answering.
 * <li>{@link #readiness()}, for a readiness probe ("send me traffic"): 200, or 503 while the
 *     service {@link Drain drains}. Not while a critical breaker is open: a dependency outage is
 *     shared by every replica, so every replica would leave the load balancer at once, turning the
 *     breaker's fast, labelled 503s (and the endpoints that do not need that dependency) into
 *     connection errors; and a breaker out of rotation sees no traffic to probe its dependency
 *     with. The breaker already refuses the calls that need the dependency.
 * <li>{@link #check()}, the detail, for people and dashboards: every registered circuit breaker's
 *     state, every load shedder's degradation tier, limit and in-flight count, and the drain. It
 *     is {@code DOWN} (503) while a breaker marked critical is open, so do not use it as a probe.
 * </ul>
 *
 * <p>Serve them with {@code dev.nines.web.jdk.JdkEndpoints} or
 * {@code dev.nines.web.servlet.HealthServlet}. Immutable and thread-safe.
 */
public final class HealthEndpoint {

    private static final Report LIVE = new Report(200, "{\"status\":\"UP\"}");
    private static final Report READY = new Report(200, "{\"status\":\"UP\"}");

    private final List<Breaker> breakers;
    private final List<LoadShedder> shedders;
    private final Drain drain;
    private final List<Section> sections;

    private HealthEndpoint(Builder b) {
        this.breakers = List.copyOf(b.breakers);
        this.shedders = List.copyOf(b.shedders);
        this.drain = b.drain;
        this.sections = List.copyOf(b.sections);
    }

    /** Starts configuring. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether the process is alive: always 200 {@code {"status":"UP"}}; see the class comment. */
    public Report liveness() {
        return LIVE;
    }

    /**
     * Whether the service wants traffic: 200 {@code {"status":"UP"}}, or 503
     * {@code {"status":"DOWN","draining":true,"inFlight":n}} once its drain has started. Open
     * breakers, critical or not, do not count; see the class comment.
     */
    public Report readiness() {
        if (drain == null || !drain.isDraining()) {
            return READY;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "DOWN");
        body.put("draining", true);
        body.put("inFlight", drain.inFlight());
        return new Report(503, Json.object(body));
    }

    /**
     * The detail, read from every breaker and shedder now: 200 {@code UP}, or 503 {@code DOWN}
     * while a critical breaker is open. With a drain, the body also says whether it is draining and
     * how many requests are in flight (a drain alone does not make the detail {@code DOWN}). Each
     * {@linkplain Builder#section section} follows under its name; one that reports itself degraded
     * makes an otherwise {@code UP} detail {@code DEGRADED}, still 200. Each
     * breaker shows {@code failureRate} and {@code slowCallRate} as fractions to four places, like
     * its thresholds, or -1 while unknown.
     */
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
        boolean degraded = false;
        Map<String, Object> sectionJson = new LinkedHashMap<>();
        for (Section section : sections) {
            try {
                sectionJson.put(section.name, section.detail.get());
                degraded |= section.degraded.getAsBoolean();
            } catch (RuntimeException e) {
                sectionJson.put(section.name, Map.of("error", String.valueOf(e)));
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", !up ? "DOWN" : degraded ? "DEGRADED" : "UP");
        body.put("breakers", breakerJson);
        body.put("shedders", shedderJson);
        if (drain != null) {
            body.put("draining", drain.isDraining());
            body.put("inFlight", drain.inFlight());
        }
        body.putAll(sectionJson);
        return new Report(up ? 200 : 503, Json.object(body));
    }

    /** A breaker's rate, a fraction, to four places (a hundredth of a percent); -1 stays -1. */
    private static double round(float rate) {
        return rate < 0 ? -1 : Math.round(rate * 10_000) / 10_000.0;
    }

    /**
     * One health check.
     *
     * @param status 200 when up, 503 when down
     * @param json   the body, {@code application/json}
     */
    public record Report(int status, String json) {
    }

    private record Breaker(CircuitBreaker breaker, boolean critical) {
    }

    private record Section(String name, Supplier<? extends Map<String, ?>> detail, BooleanSupplier degraded) {
    }

    /** Configures a {@link HealthEndpoint}. Not thread-safe. */
    public static final class Builder {
        private final List<Breaker> breakers = new ArrayList<>();
        private final List<LoadShedder> shedders = new ArrayList<>();
        private Drain drain;
        private final List<Section> sections = new ArrayList<>();

        private Builder() {
        }

        /**
         * Reports {@code breaker}; when {@code critical}, its opening makes the detail
         * ({@link #check()}) DOWN, never liveness or readiness.
         */
        public Builder breaker(CircuitBreaker breaker, boolean critical) {
            breakers.add(new Breaker(Objects.requireNonNull(breaker, "breaker"), critical));
            return this;
        }

        /** Reports {@code shedder}'s tier, limit and in-flight count. */
        public Builder shedder(LoadShedder shedder) {
            shedders.add(Objects.requireNonNull(shedder, "shedder"));
            return this;
        }

        /** Makes readiness 503 once {@code drain} has started, and reports it in the detail. */
        public Builder drain(Drain drain) {
            this.drain = Objects.requireNonNull(drain, "drain");
            return this;
        }

        /**
         * Adds a section to the detail ({@link #check()}) under {@code name}, for what this module
         * does not know itself, such as SLOs ({@code dev.nines.slo.SloHealth}): the map
         * {@code detail} returns each time the check runs (strings, numbers, booleans, nested maps
         * and lists; a non-finite number is written as null). While {@code degraded} returns true, the
         * detail's status is {@code DEGRADED}, still with 200: a degraded service keeps its traffic
         * (a DOWN breaker still wins, with 503). Neither touches liveness or readiness. A section
         * that throws shows {@code {"error": ...}} and changes nothing else.
         *
         * @throws IllegalArgumentException if {@code name} is one of the detail's own fields
         *     ({@code status}, {@code breakers}, {@code shedders}, {@code draining}, {@code inFlight})
         *     or another section's
         */
        public Builder section(String name, Supplier<? extends Map<String, ?>> detail, BooleanSupplier degraded) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(degraded, "degraded");
            if (List.of("status", "breakers", "shedders", "draining", "inFlight").contains(name)
                    || sections.stream().anyMatch(s -> s.name.equals(name))) {
                throw new IllegalArgumentException("health section name '" + name + "' is taken");
            }
            sections.add(new Section(name, detail, degraded));
            return this;
        }

        /** Builds the endpoint. */
        public HealthEndpoint build() {
            return new HealthEndpoint(this);
        }
    }
}
