package dev.nines.metrics;

import dev.nines.Priority;
import java.util.function.LongSupplier;

/**
 * The one interface every nines policy reports to.
 *
 * <p>Policies call it on their hot path, so implementations must be fast, thread-safe and must
 * not block. They need not be careful about exceptions: policies reach a sink through
 * {@link Metrics#guard(MetricsSink)}, which catches, counts and logs (once) whatever a sink throws,
 * so a broken sink never breaks a protected call.
 *
 * <p>Every method has an empty default, so an adapter (Micrometer, OpenTelemetry) implements only
 * what it needs. Policy names and kinds are passed as the strings the policy already holds: a call
 * allocates nothing to report.
 *
 * <p>Sinks are found through {@link java.util.ServiceLoader} (declare your class in
 * {@code META-INF/services/dev.nines.metrics.MetricsSink}) or set with
 * {@link Metrics#setDefault(MetricsSink)}, or passed to each policy's builder.
 */
public interface MetricsSink {

    /**
     * A call ended under a policy.
     *
     * @param policy        the policy's name
     * @param kind          the policy's kind, one of the {@link PolicyKinds} constants or a custom one
     * @param outcome       how the call ended
     * @param durationNanos how long the call ran, 0 when it did not run (a rejection)
     */
    default void onOutcome(String policy, String kind, Outcome outcome, long durationNanos) {
    }

    /**
     * A call of a known {@link Priority} ended under a policy: what a load shedder reports, so that
     * what it sheds and admits can be told apart by priority. The default forwards to
     * {@link #onOutcome(String, String, Outcome, long)}, dropping the priority, so a sink that does
     * not care about priorities still counts the call; one that does (the {@link InMemoryMetrics},
     * an adapter with a {@code priority} tag) overrides this. A sink that wraps another must forward
     * this method too, or the priority is lost on the way.
     *
     * @param priority the call's priority, never null
     * @see #onOutcome(String, String, Outcome, long) the other arguments
     */
    default void onOutcome(String policy, String kind, Priority priority, Outcome outcome, long durationNanos) {
        onOutcome(policy, kind, outcome, durationNanos);
    }

    /**
     * A whole request or pipeline call ended: one event per call, after every policy around it,
     * reported by a {@link dev.nines.Pipeline} given a sink ({@code Pipeline#withMetrics}) and by the
     * web endpoint guard. Where {@link #onOutcome} is one policy's view of a call, this is the
     * caller's: what an SLI counts.
     *
     * <p>Plain arguments rather than an event object, like every other method here: reporting
     * allocates nothing, and the default no-op sink costs a call to an empty method (the pipeline
     * does not even read the clock when its sink is the no-op one).
     *
     * @param name         the endpoint's or pipeline's name
     * @param priority     the call's priority, or {@code null} when none was set
     * @param outcome      how the call ended
     * @param rejectedBy   for {@link RequestOutcome#REJECTED} and {@link RequestOutcome#TIMED_OUT},
     *                     the name of the policy that refused or cut short the call; otherwise null
     * @param rejectedKind the kind of that policy ({@link PolicyKinds}), or null with {@code rejectedBy}
     * @param latencyNanos how long the call took, from entering the pipeline or guard to its end, in
     *                     nanoseconds
     */
    default void onRequest(String name, Priority priority, RequestOutcome outcome, String rejectedBy,
            String rejectedKind, long latencyNanos) {
    }

    /**
     * A stateful policy moved from one state to another (a breaker opening, a tier changing). One
     * policy's transitions arrive one at a time and in the order they happened, each {@code fromState}
     * the previous {@code toState}, possibly on a thread other than the one that caused them.
     */
    default void onTransition(String policy, String kind, String fromState, String toState) {
    }

    /**
     * A policy exposes a gauge (available permits, in-flight calls, current limit, tier). Called
     * once when the policy is built; the sink reads {@code value} whenever it wants a sample.
     * Registering the same policy and gauge again replaces the earlier supplier.
     */
    default void registerGauge(String policy, String kind, String gauge, LongSupplier value) {
    }

    /** The sink that does nothing: the default, costing nothing per event. */
    static MetricsSink noop() {
        return NoopSink.INSTANCE;
    }

    /** A sink that forwards every event to each of {@code sinks}, in order. */
    static MetricsSink composite(MetricsSink... sinks) {
        return CompositeSink.of(sinks);
    }
}

/** An enum singleton: nothing to allocate, nothing to do. */
enum NoopSink implements MetricsSink {
    INSTANCE;

    @Override
    public String toString() {
        return "MetricsSink.noop()";
    }
}
