package dev.nines.web;

import dev.nines.internal.Validation;
import dev.nines.web.internal.Addresses;
import dev.nines.web.internal.ForwardedChain;
import java.util.Objects;

/**
 * Decides which client a request comes from, for per-client rate limits and metrics.
 *
 * <p>A client must not be able to choose its own key, or it could escape its limit by sending a
 * new key with each request. So the default is the connection's remote address, forwarding
 * headers count only when they come from a {@link TrustedProxies trusted proxy}, and a header key
 * (an API key) or the authenticated principal is used only where the service has vouched for it.
 * For the same reason an IPv6 client is keyed by its network prefix (/64 by default), not by the
 * one address of the many it holds that it chose for this request.
 *
 * <p>Implementations must be thread-safe: one resolver serves every request. The ones made here
 * are immutable and thread-safe.
 */
@FunctionalInterface
public interface ClientKeyResolver {

    /** IPv6 clients are keyed by their /64 unless told otherwise: the block one subscriber usually gets. */
    int DEFAULT_IPV6_PREFIX_LENGTH = 64;

    /** The client key of {@code request}; never null. */
    String resolve(HttpRequestView request);

    /**
     * The remote address of the connection, an IPv6 address by its /64 prefix. The default.
     *
     * @see #remoteAddress(int)
     */
    static ClientKeyResolver remoteAddress() {
        return remoteAddress(DEFAULT_IPV6_PREFIX_LENGTH);
    }

    /**
     * The remote address of the connection, an IPv6 address by its first
     * {@code ipv6PrefixLength} bits. One IPv6 client usually holds a whole /64 (often more) and
     * can pick a new address from it for every request; keyed by the full address it would get a
     * fresh bucket each time. {@code 128} keys by the full address; IPv4 addresses are always keyed
     * whole.
     *
     * @throws IllegalArgumentException if {@code ipv6PrefixLength} is not in 1..128
     */
    static ClientKeyResolver remoteAddress(int ipv6PrefixLength) {
        checkPrefix(ipv6PrefixLength);
        return request -> Addresses.key(request.remoteAddress(), ipv6PrefixLength);
    }

    /**
     * The original client address from {@code X-Forwarded-For}, read right to left through the
     * trusted proxies; the remote address when the connection does not come from a trusted proxy,
     * so a client cannot spoof its key. {@code Forwarded} is ignored: use
     * {@link #forwarded(TrustedProxies, ForwardingHeader)} if your proxy writes that one instead.
     * IPv6 clients are keyed by their /64 prefix, as in {@link #remoteAddress(int)}.
     */
    static ClientKeyResolver forwarded(TrustedProxies trusted) {
        return forwarded(trusted, ForwardingHeader.X_FORWARDED_FOR);
    }

    /**
     * The original client address from {@code header}, the one header your trusted proxies write,
     * read right to left through them; the other forwarding header is never read, since a proxy
     * that does not write it passes a client's copy through. The remote address when the
     * connection does not come from a trusted proxy. IPv6 clients are keyed by their /64 prefix.
     */
    static ClientKeyResolver forwarded(TrustedProxies trusted, ForwardingHeader header) {
        return forwarded(trusted, header, DEFAULT_IPV6_PREFIX_LENGTH);
    }

    /**
     * Like {@link #forwarded(TrustedProxies, ForwardingHeader)}, keying IPv6 clients by their first
     * {@code ipv6PrefixLength} bits (see {@link #remoteAddress(int)}).
     *
     * @throws IllegalArgumentException if {@code ipv6PrefixLength} is not in 1..128
     */
    static ClientKeyResolver forwarded(TrustedProxies trusted, ForwardingHeader header, int ipv6PrefixLength) {
        Objects.requireNonNull(trusted, "trusted");
        Objects.requireNonNull(header, "header");
        checkPrefix(ipv6PrefixLength);
        return request -> Addresses.key(ForwardedChain.clientAddress(request, trusted, header), ipv6PrefixLength);
    }

    /**
     * The value of a header such as {@code X-Api-Key}, prefixed so it cannot collide with an
     * address key; {@code fallback} when the header is absent or blank. Use only where the header
     * is checked (an API gateway that authenticates keys), or clients can mint keys at will.
     */
    static ClientKeyResolver header(String name, ClientKeyResolver fallback) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(fallback, "fallback");
        if (name.isBlank()) {
            throw new IllegalArgumentException("header name must not be blank but was '" + name + "'");
        }
        return request -> request.header(name).filter(v -> !v.isBlank())
                .map(v -> "key:" + v.trim()).orElseGet(() -> fallback.resolve(request));
    }

    /** The authenticated principal's name, prefixed; {@code fallback} for anonymous requests. */
    static ClientKeyResolver principal(ClientKeyResolver fallback) {
        Objects.requireNonNull(fallback, "fallback");
        return request -> request.principal().filter(p -> !p.isBlank())
                .map(p -> "user:" + p).orElseGet(() -> fallback.resolve(request));
    }

    private static void checkPrefix(int ipv6PrefixLength) {
        new Validation().between("ipv6PrefixLength", ipv6PrefixLength, 1, 128).throwIfInvalid();
    }
}
