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

    /**
     * The status the handler answered with, or -1 when it is not known. The guard reads it after the
     * handler returns: a request answered with a 5xx status is reported to
     * {@link dev.nines.metrics.MetricsSink#onRequest} as {@code FAILED}, not {@code FRESH} (the
     * server answered, with its own failure), so SLOs count it as bad. The default, -1, keeps an
     * adapter that cannot tell reporting such answers {@code FRESH}.
     */
    default int status() {
        return -1;
    }

    /** Sends a complete response (used for rejections) and ends the exchange. */
    void send(int status, Map<String, String> headers, String contentType, String body) throws IOException;
}
