package dev.nines.metrics;

/**
 * How one whole request or pipeline call ended, after every policy around it: the final outcome of
 * {@link MetricsSink#onRequest}, what an SLI counts. Unlike {@link Outcome}, which is one policy's
 * view, there is exactly one of these per request.
 */
public enum RequestOutcome {
    /** The call itself answered. */
    FRESH,
    /** A fallback answered in place of the call (it failed, timed out or was rejected). */
    DEGRADED,
    /** A policy refused the call (breaker open, bulkhead full, rate limited, shed, draining). */
    REJECTED,
    /** The call (or a fallback) failed, a rejection the call itself threw from downstream included. */
    FAILED,
    /** A timeout policy gave up on the call. */
    TIMED_OUT,
    /** The caller cancelled the call's stage before it completed (asynchronous calls only). */
    CANCELLED
}
