package dev.nines.web.servlet;

import dev.nines.web.HttpRequestView;
import dev.nines.web.ServerExchange;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A servlet request and response seen as a {@link ServerExchange}. */
final class ServletExchange implements ServerExchange, HttpRequestView {

    private final HttpServletRequest request;
    private final HttpServletResponse response;

    ServletExchange(HttpServletRequest request, HttpServletResponse response) {
        this.request = request;
        this.response = response;
    }

    @Override
    public HttpRequestView request() {
        return this;
    }

    @Override
    public InetAddress remoteAddress() {
        try {
            // the container gives a literal address, so this parses and never looks up a name
            return InetAddress.getByName(request.getRemoteAddr());
        } catch (UnknownHostException e) {
            return null;
        }
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
    public void send(int status, Map<String, String> headers, String contentType, String body) throws IOException {
        response.setStatus(status);
        headers.forEach(response::setHeader);
        response.setContentType(contentType);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
        response.flushBuffer();
    }
}
