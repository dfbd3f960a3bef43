package dev.nines.web;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * The parts of an HTTP request that nines reads, independent of the server: the JDK's
 * {@code HttpExchange} and a servlet request are both adapted to it.
 *
 * <p>An implementation stands for one request and need not be thread-safe; what nines reads
 * from it (resolvers, the guard) it reads on the thread handling that request.
 */
public interface HttpRequestView {

    /** The address of the peer that opened the connection (a proxy, if there is one). */
    InetAddress remoteAddress();

    /** Every value of a header, in order; empty if absent. Names are case-insensitive. */
    List<String> headers(String name);

    /** The first value of a header. */
    default Optional<String> header(String name) {
        List<String> values = headers(name);
        return values.isEmpty() ? Optional.empty() : Optional.ofNullable(values.get(0));
    }

    /** The authenticated principal's name, if the server authenticated the request. */
    Optional<String> principal();

    /** The request method, e.g. {@code GET}. */
    String method();

    /** The request path, without the query. */
    String path();
}
