package dev.nines.web.jdk;

import com.sun.net.httpserver.HttpExchange;
import dev.nines.web.HttpRequestView;
import dev.nines.web.ServerExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An {@link HttpExchange} seen as a {@link ServerExchange}. One per exchange; not thread-safe. */
final class JdkExchange implements ServerExchange, HttpRequestView {

    private final HttpExchange exchange;

    JdkExchange(HttpExchange exchange) {
        this.exchange = exchange;
    }

    @Override
    public HttpRequestView request() {
        return this;
    }

    @Override
    public InetAddress remoteAddress() {
        return exchange.getRemoteAddress() == null ? null : exchange.getRemoteAddress().getAddress();
    }

    @Override
    public List<String> headers(String name) {
        List<String> values = exchange.getRequestHeaders().get(name);
        return values == null ? List.of() : values;
    }

    @Override
    public Optional<String> principal() {
        return exchange.getPrincipal() == null ? Optional.empty() : Optional.of(exchange.getPrincipal().getUsername());
    }

    @Override
    public String method() {
        return exchange.getRequestMethod();
    }

    @Override
    public String path() {
        return exchange.getRequestURI().getPath();
    }

    @Override
    public void addHeader(String name, String value) {
        exchange.getResponseHeaders().add(name, value);
    }

    @Override
    public boolean isCommitted() {
        return exchange.getResponseCode() != -1;
    }

    @Override
    public int status() {
        return exchange.getResponseCode();
    }

    @Override
    public void send(int status, Map<String, String> headers, String contentType, String body) throws IOException {
        send(exchange, status, headers, contentType, body);
    }

    static void send(HttpExchange exchange, int status, Map<String, String> headers, String contentType, String body)
            throws IOException {
        // HEAD gets the headers alone: a length for it makes the server log a warning per request
        byte[] bytes = "HEAD".equalsIgnoreCase(exchange.getRequestMethod()) ? new byte[0]
                : body.getBytes(StandardCharsets.UTF_8);
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
