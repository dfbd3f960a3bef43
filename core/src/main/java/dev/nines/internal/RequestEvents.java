package dev.nines.internal;

import dev.nines.Priority;
import dev.nines.RejectedCallException;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.RequestOutcome;
import dev.nines.timeout.TimeoutExceededException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Says how a whole request ended and reports it to {@link MetricsSink#onRequest}: the one rule the
 * pipeline and the web guard share. Stateless; allocates nothing.
 *
 * <p>A rejection counts as the guard's or pipeline's own ({@code REJECTED}, or {@code TIMED_OUT}
 * for a timeout) only when a policy around the call raised it; the same exception thrown by the
 * call itself (its own downstream was rate limited, or met an open breaker) is a {@code FAILED}
 * call, never a rejection of this request. The caller tells the two apart by identity.
 */
public final class RequestEvents {

    private RequestEvents() {
    }

    /** Reports a call that returned: {@code FRESH} when the call itself answered, else {@code DEGRADED}. */
    public static void answered(MetricsSink sink, String name, Priority priority, boolean fresh, long latencyNanos) {
        sink.onRequest(name, priority, fresh ? RequestOutcome.FRESH : RequestOutcome.DEGRADED, null, null,
                latencyNanos);
    }

    /**
     * Reports a call that ended with {@code failure}.
     *
     * @param callsOwn what the call itself last threw, or null: the same object (after unwrapping
     *                 completion wrappers) as {@code failure} makes a rejection a failure
     */
    public static void failed(MetricsSink sink, String name, Priority priority, Throwable failure,
            Throwable callsOwn, long latencyNanos) {
        Throwable t = unwrap(failure);
        if (t instanceof CancellationException) {
            sink.onRequest(name, priority, RequestOutcome.CANCELLED, null, null, latencyNanos);
        } else if (t instanceof RejectedCallException r && t != unwrap(callsOwn)) {
            RequestOutcome outcome = r instanceof TimeoutExceededException
                    ? RequestOutcome.TIMED_OUT : RequestOutcome.REJECTED;
            sink.onRequest(name, priority, outcome, r.policyName(), r.policyKind(), latencyNanos);
        } else {
            sink.onRequest(name, priority, RequestOutcome.FAILED, null, null, latencyNanos);
        }
    }

    /** {@code t} without the {@link CompletionException} or {@link ExecutionException} around it. */
    public static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
