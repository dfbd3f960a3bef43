package dev.nines.web.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nines.ManualTicker;
import dev.nines.ratelimit.annotation.KeySource;
import dev.nines.ratelimit.annotation.WithRateLimit;
import dev.nines.timeout.annotation.WithTimeout;
import dev.nines.web.NinesWeb;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which handler method, and which annotations, guard a request to a servlet: inherited handlers,
 * HEAD/OPTIONS/TRACE (which HttpServlet answers with its own methods), and refused annotations.
 * Against a real embedded Jetty on loopback, with a real HTTP client.
 */
class ServletHandlerResolutionTest {

    private final ManualTicker ticker = new ManualTicker();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Server server;

    /** A framework base class: it declares doGet, the subclasses carry the annotations. */
    public static class BaseServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        static final AtomicInteger GETS = new AtomicInteger();

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            GETS.incrementAndGet();
            resp.setStatus(200);
            resp.getWriter().write("base");
        }
    }

    @WithRateLimit(permits = 1, period = 1, unit = TimeUnit.MINUTES, key = KeySource.CLIENT)
    public static final class SearchServlet extends BaseServlet {
        private static final long serialVersionUID = 1L;
    }

    /** A limit on doGet alone: HEAD reaches doGet through HttpServlet's own doHead. */
    public static final class LimitedGetServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        static final AtomicInteger GETS = new AtomicInteger();

        @Override
        @WithRateLimit(permits = 1, period = 1, unit = TimeUnit.MINUTES, key = KeySource.CLIENT, name = "get-limit")
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            GETS.incrementAndGet();
            resp.setStatus(200);
            resp.getWriter().write("got");
        }
    }

    /** A class-level limit: it covers HttpServlet's own doOptions and doTrace too. */
    @WithRateLimit(permits = 1, period = 1, unit = TimeUnit.MINUTES, key = KeySource.CLIENT)
    public static final class ClassLimitedServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.getWriter().write("got");
        }
    }

    public static final class TimedServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        @WithTimeout(millis = 100)
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.getWriter().write("late");
        }
    }

    private int start(String path, HttpServlet servlet) throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(servlet), path);
        NinesWeb web = NinesWeb.builder().ticker(ticker).build();
        context.addFilter(new FilterHolder(NinesServletFilter.annotated(web)), "/*", EnumSet.of(DispatcherType.REQUEST));
        server.setHandler(context);
        server.start();
        return connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    private HttpResponse<String> send(int port, String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody()).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aClassLevelLimitGuardsTheDoGetItsServletInheritsAndIsNamedAfterTheServlet() throws Exception {
        BaseServlet.GETS.set(0);
        int port = start("/search", new SearchServlet());

        HttpResponse<String> first = send(port, "GET", "/search");
        assertEquals(200, first.statusCode());
        assertEquals("\"SearchServlet.doGet\";q=1;w=60", first.headers().firstValue("RateLimit-Policy").orElseThrow());
        assertEquals(429, send(port, "GET", "/search").statusCode());
        assertEquals(1, BaseServlet.GETS.get(), "the refused request never reached doGet");
    }

    @Test
    void headIsGuardedByDoGetsPoliciesAndSharesItsLimit() throws Exception {
        LimitedGetServlet.GETS.set(0);
        int port = start("/get", new LimitedGetServlet());

        assertEquals(200, send(port, "GET", "/get").statusCode());
        HttpResponse<String> head = send(port, "HEAD", "/get");
        assertEquals(429, head.statusCode(), "HEAD runs doGet, so it takes from doGet's limit");
        assertEquals("60", head.headers().firstValue("Retry-After").orElseThrow());
        assertEquals(1, LimitedGetServlet.GETS.get(), "doGet never ran for the refused HEAD");

        ticker.advance(Duration.ofMinutes(1));
        assertEquals(200, send(port, "HEAD", "/get").statusCode());
        assertEquals(429, send(port, "GET", "/get").statusCode(), "one bucket for both");
        assertEquals(2, LimitedGetServlet.GETS.get());
    }

    @Test
    void optionsAndTraceAreGuardedByTheServletsClassLevelPolicies() throws Exception {
        int port = start("/cls", new ClassLimitedServlet());

        assertEquals(200, send(port, "OPTIONS", "/cls").statusCode());
        assertEquals(429, send(port, "OPTIONS", "/cls").statusCode());
        assertEquals(200, send(port, "TRACE", "/cls").statusCode());
        assertEquals(429, send(port, "TRACE", "/cls").statusCode());
    }

    @Test
    void aTimeoutOnAServletFailsStartupNamingTheMethodAndTheAlternative() {
        Exception e = assertThrows(Exception.class, () -> start("/timed", new TimedServlet()));
        Throwable cause = e;
        while (cause != null && !(cause instanceof IllegalArgumentException)) {
            cause = cause.getCause();
        }
        assertNotNull(cause, () -> "no IllegalArgumentException in " + e);
        assertEquals("@WithTimeout on TimedServlet.doGet(HttpServletRequest, HttpServletResponse): "
                + "not supported on an endpoint, since a timed-out handler would still hold the request and "
                + "response and could write into another request's response; bound the handler's outbound calls "
                + "instead, with a deadline in their call context (a Timeout or @WithTimeout around them)",
                cause.getMessage());
    }
}
