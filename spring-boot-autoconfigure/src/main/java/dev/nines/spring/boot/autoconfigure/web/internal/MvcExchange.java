package dev.nines.spring.boot.autoconfigure.web.internal;

import dev.nines.web.HttpRequestView;
import dev.nines.web.ServerExchange;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The servlet request and response of a Spring MVC handler call seen as the
 * {@link ServerExchange} an {@code EndpointGuard} reads and answers. One per request; not
 * thread-safe, like the request and response it wraps.
 */
final class MvcExchange implements ServerExchange, HttpRequestView {

    private final HttpServletRequest request;
    private final HttpServletResponse response;

    MvcExchange(HttpServletRequest request, HttpServletResponse response) {
        this.request = request;
        this.response = response;
    }

    @Override
    public HttpRequestView request() {
        return this;
    }

    /**
     * The peer's address, parsed as a literal only, so a request never waits on DNS; a zone id is
     * dropped; null when the container reports something that is not an IP address.
     */
    @Override
    public InetAddress remoteAddress() {
        String addr = request.getRemoteAddr();
        if (addr == null) {
            return null;
        }
        int zone = addr.indexOf('%');
        return Literals.address(zone < 0 ? addr : addr.substring(0, zone));
    }

    @Override
    public List<String> headers(String name) {
        return Collections.list(request.getHeaders(name));
    }

    @Override
    public Optional<String> principal() {
        return request.getUserPrincipal() == null ? Optional.empty()
                : Optional.of(request.getUserPrincipal().getName());
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
    public void send(int status, Map<String, String> headers, String contentType, String body) throws IOException {
        response.setStatus(status);
        headers.forEach(response::setHeader);
        response.setContentType(contentType);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setContentLength(bytes.length);
        if (!"HEAD".equals(request.getMethod())) {
            response.getOutputStream().write(bytes);
        }
        response.flushBuffer();
    }
}
