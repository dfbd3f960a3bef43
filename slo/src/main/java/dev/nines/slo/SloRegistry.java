package dev.nines.slo;

import dev.nines.Priority;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.RequestOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SLOs of a service: feeds them from the request events of the metrics SPI, and evaluates their
 * alerts, reporting each change of an SLO's state ({@code ok}, {@code ticket}, {@code page}) as a
 * transition.
 *
 * <pre>{@code
 * SloRegistry slos = new SloRegistry(sink);
 * slos.add(Slo.availability("checkout").requests("checkout").objective(0.999).build());
 * Pipeline checkout = Pipeline.of(breaker, retry).withMetrics(MetricsSink.composite(sink, slos.sink()));
 * slos.evaluateEvery(Duration.ofSeconds(10), scheduler);
 * }</pre>
 *
 * <p>Thread-safe. Adding and removing SLOs copies the routing table (SLOs are few and change
 * rarely); routing a request is a hash lookup by its name and a loop over the SLOs that count it.
 */
public final class SloRegistry {

    /** The policy kind under which SLO state transitions are reported to the metrics sink. */
    public static final String KIND = "slo";

    private static final Logger LOG = LoggerFactory.getLogger(SloRegistry.class);

    private final MetricsSink transitions;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, String> states = new HashMap<>(); // guarded by this
    private final MetricsSink router = new Router();
    private volatile Routes routes = new Routes(Map.of(), Map.of(), new Slo[0]);

    /** A registry that reports transitions nowhere (listeners still hear them). */
    public SloRegistry() {
        this(MetricsSink.noop());
    }

    /** A registry that reports each SLO state change to {@code transitions} as {@code onTransition(slo, "slo", from, to)}. */
    public SloRegistry(MetricsSink transitions) {
        this.transitions = Metrics.guard(Objects.requireNonNull(transitions, "transitions"));
    }

    /**
     * Hears SLO state changes. Called by {@link #evaluate()} on its thread, one change at a time; an
     * exception it throws is logged and does not stop the others.
     */
    @FunctionalInterface
    public interface Listener {

        /**
         * An SLO's state changed from {@code from} to {@code to} ({@link SloStatus#OK} or an alert
         * severity); {@code status} is the evaluation that saw it.
         */
        void onStateChange(SloStatus status, String from, String to);
    }

    /**
     * Adds {@code slo}; it counts requests from now on.
     *
     * @return {@code slo}
     * @throws IllegalArgumentException if an SLO of that name is already registered
     */
    public synchronized Slo add(Slo slo) {
        Objects.requireNonNull(slo, "slo");
        Map<String, Slo> byName = new LinkedHashMap<>(routes.slos);
        if (byName.putIfAbsent(slo.name(), slo) != null) {
            throw new IllegalArgumentException("an SLO named " + slo.name() + " is already registered");
        }
        routes = Routes.of(byName);
        states.put(slo.name(), SloStatus.OK);
        return slo;
    }

    /** Removes the SLO named {@code name}; returns whether there was one. */
    public synchronized boolean remove(String name) {
        Map<String, Slo> byName = new LinkedHashMap<>(routes.slos);
        if (byName.remove(name) == null) {
            return false;
        }
        routes = Routes.of(byName);
        states.remove(name);
        return true;
    }

    /** Returns the SLO named {@code name}. */
    public Optional<Slo> get(String name) {
        return Optional.ofNullable(routes.slos.get(name));
    }

    /** Returns the SLOs in the order they were added. */
    public List<Slo> all() {
        return List.copyOf(routes.slos.values());
    }

    /**
     * Returns the sink that feeds the SLOs: give it (alone or in a
     * {@linkplain MetricsSink#composite composite}) to every {@code Pipeline} and web guard whose
     * requests SLOs count. It only reads {@link MetricsSink#onRequest} events.
     */
    public MetricsSink sink() {
        return router;
    }

    /** Adds a listener of SLO state changes. */
    public void addListener(Listener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Removes a listener; returns whether it was there. */
    public boolean removeListener(Listener listener) {
        return listeners.remove(listener);
    }

    /**
     * Computes every SLO's status and reports each state that changed since the last evaluation: to
     * the transitions sink and to the listeners, in order of the SLOs. Serialised: two evaluations do
     * not interleave, so each SLO's changes arrive in order, each {@code from} the previous {@code to}.
     *
     * @return every SLO's status, in the order they were added
     */
    public synchronized List<SloStatus> evaluate() {
        List<SloStatus> all = new ArrayList<>();
        for (Slo slo : routes.slos.values()) {
            SloStatus status = slo.status();
            all.add(status);
            String to = status.state();
            String from = states.put(slo.name(), to);
            if (from != null && !from.equals(to)) {
                transitions.onTransition(slo.name(), KIND, from, to);
                for (Listener l : listeners) {
                    try {
                        l.onStateChange(status, from, to);
                    } catch (RuntimeException e) {
                        LOG.warn("SLO listener {} failed on {} {} -> {}", l, slo.name(), from, to, e);
                    }
                }
            }
        }
        return all;
    }

    /**
     * Runs {@link #evaluate()} every {@code period} on {@code executor}, which the caller owns; cancel
     * the returned future to stop. An evaluation that throws is logged and the next one still runs.
     */
    public ScheduledFuture<?> evaluateEvery(Duration period, ScheduledExecutorService executor) {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be > 0 but was " + period);
        }
        Objects.requireNonNull(executor, "executor");
        long nanos = period.toNanos();
        return executor.scheduleAtFixedRate(() -> {
            try {
                evaluate();
            } catch (RuntimeException e) {
                LOG.warn("SLO evaluation failed", e);
            }
        }, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public String toString() {
        return "SloRegistry" + routes.slos.keySet();
    }

    /** An immutable routing table: the SLOs by their name, and by the request names they count. */
    private record Routes(Map<String, Slo> slos, Map<String, Slo[]> byRequest, Slo[] anyRequest) {

        static Routes of(Map<String, Slo> slos) {
            Map<String, List<Slo>> byRequest = new HashMap<>();
            List<Slo> any = new ArrayList<>();
            for (Slo slo : slos.values()) {
                if (slo.requests().isEmpty()) {
                    any.add(slo);
                }
                for (String r : slo.requests()) {
                    byRequest.computeIfAbsent(r, k -> new ArrayList<>()).add(slo);
                }
            }
            Map<String, Slo[]> arrays = new HashMap<>();
            byRequest.forEach((k, v) -> arrays.put(k, v.toArray(new Slo[0])));
            return new Routes(java.util.Collections.unmodifiableMap(new LinkedHashMap<>(slos)), arrays, any.toArray(new Slo[0]));
        }
    }

    /** The sink that routes each request event to the SLOs that count it. */
    private final class Router implements MetricsSink {

        @Override
        public void onRequest(String name, Priority priority, RequestOutcome outcome, String rejectedBy,
                String rejectedKind, long latencyNanos) {
            Routes r = routes;
            Slo[] named = r.byRequest.get(name);
            if (named != null) {
                for (Slo slo : named) {
                    if (slo.countsPriority(priority)) { // routed by name already
                        slo.record(outcome, rejectedKind, latencyNanos);
                    }
                }
            }
            for (Slo slo : r.anyRequest) {
                if (slo.countsPriority(priority)) { // counts every name
                    slo.record(outcome, rejectedKind, latencyNanos);
                }
            }
        }

        @Override
        public String toString() {
            return SloRegistry.this + ".sink()";
        }
    }
}
