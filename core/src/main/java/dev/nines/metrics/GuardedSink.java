package dev.nines.metrics;

import dev.nines.Priority;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Catches what a sink throws so the protected call never sees it. See {@link Metrics#guard}. */
final class GuardedSink implements MetricsSink {

    private static final Logger LOG = LoggerFactory.getLogger(GuardedSink.class);

    private final MetricsSink delegate;
    private final AtomicBoolean logged = new AtomicBoolean();

    GuardedSink(MetricsSink delegate) {
        this.delegate = delegate;
    }

    @Override
    public void onOutcome(String policy, String kind, Outcome outcome, long durationNanos) {
        try {
            delegate.onOutcome(policy, kind, outcome, durationNanos);
        } catch (Throwable t) {
            failed(t);
        }
    }

    @Override
    public void onOutcome(String policy, String kind, Priority priority, Outcome outcome, long durationNanos) {
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
