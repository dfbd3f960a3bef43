package dev.nines.web.servlet;

import dev.nines.web.HttpRequestView;
import dev.nines.web.ServerExchange;
import dev.nines.web.internal.Addresses;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A servlet request and response seen as a {@link ServerExchange}: what {@link NinesServletFilter}
 * hands its guards, and what another servlet-based integration (a Spring MVC handler adapter, a
 * framework's own filter) hands {@link dev.nines.web.EndpointGuard#handle}. One per request; not
 * thread-safe, like the servlet request and response it wraps.
 */
public final class ServletExchange implements ServerExchange, HttpRequestView {

    private final HttpServletRequest request;
    private final HttpServletResponse response;

    ServletExchange(HttpServletRequest request, HttpServletResponse response) {
        this.request = request;
        this.response = response;
    }

    /** The exchange of {@code request} and {@code response}. */
    @SuppressWarnings("exports") // jakarta.servlet is required static, not transitive: see module-info
    public static ServletExchange of(HttpServletRequest request, HttpServletResponse response) {
        return new ServletExchange(Objects.requireNonNull(request, "request"),
                Objects.requireNonNull(response, "response"));
    }

    @Override
    public HttpRequestView request() {
        return this;
    }

    /**
     * The peer's address, parsed as a literal only: a container configured to put a host name
     * here (or a proxy module that rewrites it) must not make a request wait on DNS. A zone id
     * ({@code fe80::1%eth0}) is dropped, since keys and trust ranges do not depend on it;
     * {@code null} when the value is not an IP address.
     */
    @Override
    public InetAddress remoteAddress() {
        String addr = request.getRemoteAddr();
        if (addr == null) {
            return null;
        }
        int zone = addr.indexOf('%');
        return Addresses.literal(zone < 0 ? addr : addr.substring(0, zone)).orElse(null);
    }

    @Override
    public List<String> headers(String name) {
        return Collections.list(request.getHeaders(name));
    }

    @Override
    public Optional<String> principal() {
        return request.getUserPrincipal() == null ? Optional.empty() : Optional.of(request.getUserPrincipal().getName());
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String path() {
        return request.getRequestURI();
    }

    @Override
    public void addHeader(String name, String value) {
        response.addHeader(name, value);
    }

    @Override
    public boolean isCommitted() {
        return response.isCommitted();
    }

    @Override
    public int status() {
        return response.getStatus();
    }

    @Override
    public void send(int status, Map<String, String> headers, String contentType, String body) throws IOException {
        response.setStatus(status);
        headers.forEach(response::setHeader);
        response.setContentType(contentType);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setContentLength(bytes.length);
        if (!"HEAD".equals(request.getMethod())) { // the length is a HEAD answer's; the body is not
            response.getOutputStream().write(bytes);
        }
        response.flushBuffer();
    }
}
