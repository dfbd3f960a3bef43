package dev.nines.web;

import dev.nines.web.internal.ForwardedChain;
import java.net.InetAddress;
import java.util.Objects;

/**
 * Decides which client a request comes from, for per-client rate limits and metrics.
 *
 * <p>A client must not be able to choose its own key, or it could escape its limit by sending a
 * new key with each request. So the default is the connection's remote address, forwarding
 * headers count only when they come from a {@link TrustedProxies trusted proxy}, and a header key
 * (an API key) or the authenticated principal is used only where the service has vouched for it.
 */
@FunctionalInterface
public interface ClientKeyResolver {

    /** The client key of {@code request}; never null. */
    String resolve(HttpRequestView request);

    /** The remote address of the connection. The default. */
    static ClientKeyResolver remoteAddress() {
        return request -> addressKey(request.remoteAddress());
    }

    /**
     * The original client address from {@code X-Forwarded-For}, read right to left through the
     * trusted proxies; the remote address when the connection does not come from a trusted proxy,
     * so a client cannot spoof its key. {@code Forwarded} is ignored: use
     * {@link #forwarded(TrustedProxies, ForwardingHeader)} if your proxy writes that one instead.
     */
    static ClientKeyResolver forwarded(TrustedProxies trusted) {
        return forwarded(trusted, ForwardingHeader.X_FORWARDED_FOR);
    }

    /**
     * The original client address from {@code header}, the one header your trusted proxies write,
     * read right to left through them; the other forwarding header is never read, since a proxy
     * that does not write it passes a client's copy through. The remote address when the
     * connection does not come from a trusted proxy.
     */
    static ClientKeyResolver forwarded(TrustedProxies trusted, ForwardingHeader header) {
        Objects.requireNonNull(trusted, "trusted");
        Objects.requireNonNull(header, "header");
        return request -> addressKey(ForwardedChain.clientAddress(request, trusted, header));
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

    private static String addressKey(InetAddress address) {
        return address == null ? "unknown" : address.getHostAddress();
    }
}
