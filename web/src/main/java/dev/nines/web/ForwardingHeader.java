package dev.nines.web;

/**
 * The header a trusted proxy writes the client's address into. A resolver reads exactly one of
 * them: the one your proxy sets. Reading the other as well would let a client send it itself
 * (a proxy that appends to {@code X-Forwarded-For} usually passes {@code Forwarded} through
 * untouched) and pick a new key with every request.
 *
 * <p>An enum: immutable and thread-safe.
 */
public enum ForwardingHeader {

    /** {@code X-Forwarded-For: client, proxy1, proxy2}: what most proxies and load balancers write. */
    X_FORWARDED_FOR("X-Forwarded-For"),

    /** {@code Forwarded: for=client, for=proxy1} (RFC 7239): only if your proxy writes this one. */
    FORWARDED("Forwarded");

    private final String headerName;

    ForwardingHeader(String headerName) {
        this.headerName = headerName;
    }

    /** The header's name as sent on the wire, e.g. {@code X-Forwarded-For}. */
    public String headerName() {
        return headerName;
    }
}
