package dev.nines.metrics;

/**
 * The kind strings nines policies report with, as the {@code kind} argument of every
 * {@link MetricsSink} event. A custom policy may use any other string. Constants only.
 */
public final class PolicyKinds {

    /** {@code dev.nines.circuitbreaker.CircuitBreaker}: outcomes, transitions and window gauges. */
    public static final String CIRCUIT_BREAKER = "circuit_breaker";
    /** {@code dev.nines.retry.Retry} (an outcome per call, RETRIED per extra attempt) and {@code RetryBudget}. */
    public static final String RETRY = "retry";
    /** {@code dev.nines.timeout.Timeout}: outcomes, TIMED_OUT when the deadline passed. */
    public static final String TIMEOUT = "timeout";
    /** The semaphore and thread-pool bulkheads: outcomes, REJECTED when full, in-flight gauges. */
    public static final String BULKHEAD = "bulkhead";
    /** {@code dev.nines.fallback.Fallback}: a FALLBACK outcome each time it replaces a failure. */
    public static final String FALLBACK = "fallback";
    /** The token-bucket, multi-limit and keyed rate limiters of {@code nines-ratelimit}. */
    public static final String RATE_LIMITER = "rate_limiter";
    /** The priority load shedder of {@code nines-shedding}: SHED outcomes, tier transitions, limit gauges. */
    public static final String LOAD_SHEDDER = "load_shedder";
    /** The client-side adaptive throttle of {@code nines-shedding}. */
    public static final String THROTTLE = "throttle";
    /**
     * Not a policy: the kind of the transition {@code reconfigured → reconfigured} that a
     * {@link dev.nines.Reconfigurable} policy reports under its own name each time it takes a new
     * configuration, so a dashboard counting transitions sees configuration changes beside state
     * changes, without them touching the policy's own state.
     */
    public static final String CONFIG = "config";

    private PolicyKinds() {
    }
}
