package dev.nines.web;

import java.io.IOException;
import java.util.Map;

/**
 * One request and its response as {@link EndpointGuard} sees them. The JDK server and servlet
 * adapters implement it; implement it to put nines in front of another server.
 *
 * <p>An implementation stands for one request and need not be thread-safe: the guard calls it
 * from the thread handling that request.
 */
public interface ServerExchange {

    /** The request. */
    HttpRequestView request();

    /** Adds a response header; called before the handler writes anything. */
    void addHeader(String name, String value);

    /** Whether the response has started, so a status can no longer be sent. */
    boolean isCommitted();

    /** Sends a complete response (used for rejections) and ends the exchange. */
    void send(int status, Map<String, String> headers, String contentType, String body) throws IOException;
}
