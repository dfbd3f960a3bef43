package dev.nines.ratelimit.annotation;

/** Where a {@link WithRateLimit} finds the key that selects a per-client bucket. Immutable and thread-safe. */
public enum KeySource {
    /** No key: one bucket shared by every call of the method. */
    NONE,
    /** The argument at {@link WithRateLimit#argument()}, as {@link String#valueOf(Object)}: one bucket per value. */
    ARGUMENT,
    /**
     * The client key already in the call context ({@link dev.nines.CallContext#key()}), which the web
     * adapters set from the request: one bucket per client.
     */
    CLIENT
}
