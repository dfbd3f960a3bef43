package dev.nines.web.internal;

import dev.nines.web.ForwardingHeader;
import dev.nines.web.HttpRequestView;
import dev.nines.web.TrustedProxies;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the original client of a request that came through proxies.
 *
 * <p>The hops are the addresses a forwarding header lists, oldest first, then the connection's
 * remote address. Walking from the newest hop back, every trusted proxy is skipped; the first hop
 * that is not a trusted proxy is the client. A client can prepend whatever it likes to the header,
 * but those entries sit left of the first untrusted hop and are never reached.
 *
 * <p>Only the one header the proxy writes is read: a header the proxy does not touch is the
 * client's own words, trusted peer or not. Stateless and thread-safe.
 */
public final class ForwardedChain {

    private ForwardedChain() {
    }

    /**
     * The client address of {@code request}, given which proxies are trusted and which header
     * they write; the other forwarding header is ignored.
     */
    public static InetAddress clientAddress(HttpRequestView request, TrustedProxies trusted,
            ForwardingHeader header) {
        InetAddress remote = request.remoteAddress();
        if (!trusted.isTrusted(remote)) {
            return remote; // headers from an untrusted peer are the client's own words
        }
        List<String> hops = header == ForwardingHeader.FORWARDED ? forwardedFor(request) : xForwardedFor(request);
        InetAddress client = remote;
        for (int i = hops.size() - 1; i >= 0; i--) {
            Optional<InetAddress> hop = parse(hops.get(i));
            if (hop.isEmpty()) {
                return client; // obfuscated or malformed: stop at the last hop we could verify
            }
            client = hop.get();
            if (!trusted.isTrusted(client)) {
                return client;
            }
        }
        return client;
    }

    /** The {@code for=} values of every {@code Forwarded} element, in order. */
    static List<String> forwardedFor(HttpRequestView request) {
        List<String> result = new ArrayList<>();
        for (String header : request.headers("Forwarded")) {
            for (String element : header.split(",")) {
                for (String pair : element.split(";")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0 && pair.substring(0, eq).trim().equalsIgnoreCase("for")) {
                        result.add(unquote(pair.substring(eq + 1).trim()));
                    }
                }
            }
        }
        return result;
    }

    static List<String> xForwardedFor(HttpRequestView request) {
        List<String> result = new ArrayList<>();
        for (String header : request.headers("X-Forwarded-For")) {
            for (String hop : header.split(",")) {
                if (!hop.isBlank()) {
                    result.add(hop.trim());
                }
            }
        }
        return result;
    }

    /** A hop as an address: {@code 192.0.2.1}, {@code 192.0.2.1:80}, {@code [2001:db8::1]:443}. */
    static Optional<InetAddress> parse(String hop) {
        String h = hop.trim();
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            if (close < 0) {
                return Optional.empty();
            }
            h = h.substring(1, close);
        } else if (h.indexOf(':') > 0 && h.indexOf(':') == h.lastIndexOf(':')) {
            h = h.substring(0, h.indexOf(':')); // IPv4 with a port
        }
        if (h.isEmpty() || h.startsWith("_") || h.equalsIgnoreCase("unknown")) {
            return Optional.empty();
        }
        return Addresses.literal(h); // never resolve a name a client wrote
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
