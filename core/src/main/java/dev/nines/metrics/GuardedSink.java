package dev.nines.metrics;

import dev.nines.Priority;
import dev.nines.internal.NinesEvents;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Catches what a sink throws so the protected call never sees it. See {@link Metrics#guard}. The
 * guard {@link Metrics#resolve} gives a policy also emits nines' JFR events, so each event is
 * emitted once, where the policy reports it.
 */
final class GuardedSink implements MetricsSink {

    private static final Logger LOG = LoggerFactory.getLogger(GuardedSink.class);

    private final MetricsSink delegate;
    private final boolean events;
    private final AtomicBoolean logged = new AtomicBoolean();

    GuardedSink(MetricsSink delegate, boolean events) {
        this.delegate = delegate;
        this.events = events;
    }

    MetricsSink delegate() {
        return delegate;
    }

    boolean emitsEvents() {
        return events;
    }

    @Override
    public void onOutcome(String policy, String kind, Outcome outcome, long durationNanos) {
        if (events) {
            NinesEvents.outcome(policy, kind, null, outcome);
        }
        try {
            delegate.onOutcome(policy, kind, outcome, durationNanos);
        } catch (Throwable t) {
            failed(t);
        }
    }

    @Override
    public void onOutcome(String policy, String kind, Priority priority, Outcome outcome, long durationNanos) {
        if (events) {
            NinesEvents.outcome(policy, kind, priority, outcome);
        }
        try {
            delegate.onOutcome(policy, kind, priority, outcome, durationNanos);
        } catch (Throwable t) {
            failed(t);
        }
    }

    @Override
    public void onRequest(String name, Priority priority, RequestOutcome outcome, String rejectedBy,
            String rejectedKind, long latencyNanos) {
        try {
            delegate.onRequest(name, priority, outcome, rejectedBy, rejectedKind, latencyNanos);
        } catch (Throwable t) {
            failed(t);
        }
    }

    @Override
    public void onTransition(String policy, String kind, String fromState, String toState) {
        if (events) {
            NinesEvents.transition(policy, kind, fromState, toState);
        }
        try {
            delegate.onTransition(policy, kind, fromState, toState);
        } catch (Throwable t) {
            failed(t);
        }
    }

    @Override
    public void registerGauge(String policy, String kind, String gauge, LongSupplier value) {
        try {
            delegate.registerGauge(policy, kind, gauge, value);
        } catch (Throwable t) {
            failed(t);
        }
    }

    private void failed(Throwable t) {
        if (t instanceof VirtualMachineError) {
            throw (VirtualMachineError) t; // out of memory and the like are not the sink's to hide
        }
        Metrics.recordFailure();
        if (logged.compareAndSet(false, true)) {
            LOG.warn("nines: metrics sink {} threw; ignoring this and later failures of it", delegate, t);
        }
    }

    @Override
    public String toString() {
        return "guarded(" + delegate + ")";
    }
}
