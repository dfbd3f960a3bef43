package dev.nines.metrics;

/**
 * The kind strings nines policies report with. A custom policy may use any other string.
 */
public final class PolicyKinds {

    public static final String CIRCUIT_BREAKER = "circuit_breaker";
    public static final String RETRY = "retry";
    public static final String TIMEOUT = "timeout";
    public static final String BULKHEAD = "bulkhead";
    public static final String FALLBACK = "fallback";
    public static final String RATE_LIMITER = "rate_limiter";
    public static final String LOAD_SHEDDER = "load_shedder";
    public static final String THROTTLE = "throttle";

    private PolicyKinds() {
    }
}
