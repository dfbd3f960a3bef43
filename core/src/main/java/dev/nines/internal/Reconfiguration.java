package dev.nines.internal;

import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.PolicyKinds;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The checks every {@link dev.nines.Reconfigurable} policy makes before it takes a new
 * configuration, and the event it reports after: collects every refusal (another name, a changed
 * ticker, sink or scheduler, a setting the policy names as fixed) and throws them at once, naming
 * each. Not thread-safe (one per reconfiguration). Not part of the public API.
 */
public final class Reconfiguration {

    /** The state a reconfiguration's transition reports, from and to: a count of changes, not a value. */
    public static final String RECONFIGURED = "reconfigured";

    private final String name;
    private final List<String> refusals = new ArrayList<>();
    /** Set when the config is another policy's: the other checks would only add noise. */
    private boolean otherPolicy;

    private Reconfiguration(String name) {
        this.name = name;
    }

    /**
     * Starts checking a reconfiguration of the policy wired as {@code current} to {@code next}: the
     * name, the ticker, the scheduler and the metrics sink must be the ones it was built with (the
     * same instances, as {@code toBuilder()} keeps them; unset stays unset).
     */
    public static Reconfiguration of(PolicyWiring current, PolicyWiring next) {
        Reconfiguration r = new Reconfiguration(current.name());
        if (!current.name().equals(next.name())) {
            r.refusals.add("name must stay '" + current.name() + "' but was '" + next.name() + "'");
            r.otherPolicy = true;
            return r;
        }
        r.fixed("ticker", current.ticker(), next.ticker());
        r.fixed("scheduler", current.configuredScheduler(), next.configuredScheduler());
        r.fixed("metrics", current.configuredMetrics(), next.configuredMetrics());
        return r;
    }

    /** Refuses unless {@code next} is {@code current} (or equal to it): a setting fixed at build time. */
    public Reconfiguration fixed(String field, Object current, Object next) {
        if (!otherPolicy && current != next && !Objects.equals(current, next)) {
            refusals.add(field + " cannot change at run time (was " + current + ", given " + next + ")");
        }
        return this;
    }

    /** Refuses with {@code message} (naming the field) unless {@code ok}. */
    public Reconfiguration check(boolean ok, String message) {
        if (!ok && !otherPolicy) {
            refusals.add(message);
        }
        return this;
    }

    /**
     * Throws every refusal at once.
     *
     * @throws IllegalArgumentException naming the policy and each refused setting
     */
    public void throwIfRefused() {
        if (!refusals.isEmpty()) {
            throw new IllegalArgumentException("cannot reconfigure '" + name + "': " + String.join("; ", refusals));
        }
    }

    /** Reports an applied reconfiguration of {@code policy} to its sink, as a transition of kind CONFIG. */
    public static void report(MetricsSink metrics, String policy) {
        metrics.onTransition(policy, PolicyKinds.CONFIG, RECONFIGURED, RECONFIGURED);
    }
}
