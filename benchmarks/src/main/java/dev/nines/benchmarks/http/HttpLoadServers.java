package dev.nines.benchmarks.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.nines.Priority;
import dev.nines.annotation.PolicyRegistry;
import dev.nines.ratelimit.annotation.KeySource;
import dev.nines.ratelimit.annotation.WithRateLimit;
import dev.nines.shedding.LoadShedder;
import dev.nines.shedding.annotation.WithPriority;
import dev.nines.shedding.limit.ConcurrencyLimit;
import dev.nines.web.NinesWeb;
import dev.nines.web.jdk.NinesHttpFilter;
import dev.nines.web.servlet.NinesServletFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The servers {@code benchmarks/run http} drives with wrk: a JDK {@code HttpServer} and an embedded
 * Jetty 12 (ee10 servlets) on loopback, free ports, each answering three paths with the same small
 * body:
 * <ul>
 * <li>{@code /plain}: no filter, the unguarded baseline;
 * <li>{@code /guarded}: the nines filter from annotations, a per-client rate limit far above any
 * load ({@value #ADMITTING_PERMITS} per second, so it admits everything) and {@code @WithPriority}
 * on a shedder with a fixed limit of {@value #SHEDDER_LIMIT} concurrent requests (never reached):
 * the admitted path, nothing refused;
 * <li>{@code /refused}: the same filter with a per-client rate limit of one request a day: after the
 * first request every one is answered 429 (the refusal path).
 * </ul>
 * The same paths on one server share its threads and connections handling, so the ratios compare
 * the filter alone. Metrics go to the default sink (none is configured: the no-op sink). Run as a
 * main, it prints {@code jdk PORT} and {@code jetty PORT} and serves until killed; start the JVM
 * with {@code -Dsun.net.httpserver.nodelay=true} (see the README).
 */
public final class HttpLoadServers implements AutoCloseable {

    /** The guarded endpoints' per-client rate: far above what two cores can serve. */
    static final long ADMITTING_PERMITS = 1_000_000_000L;
    /** The guarded endpoints' shedder limit: far above wrk's connection count. */
    static final int SHEDDER_LIMIT = 10_000;
    /** The three paths every server answers. */
    static final String[] PATHS = {"/plain", "/guarded", "/refused"};

    private static final byte[] BODY = "ok\n".getBytes(StandardCharsets.US_ASCII);

    private final HttpServer jdk;
    private final ExecutorService jdkThreads;
    private final Server jetty;

    private HttpLoadServers(HttpServer jdk, ExecutorService jdkThreads, Server jetty) {
        this.jdk = jdk;
        this.jdkThreads = jdkThreads;
        this.jetty = jetty;
    }

    /** Starts both servers on free loopback ports. */
    public static HttpLoadServers start() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();

        HttpServer jdk = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
        NinesWeb jdkWeb = web();
        jdk.createContext("/plain", new PlainHandler());
        GuardedHandler guarded = new GuardedHandler();
        jdk.createContext("/guarded", guarded).getFilters().add(NinesHttpFilter.annotated(jdkWeb, guarded));
        RefusedHandler refused = new RefusedHandler();
        jdk.createContext("/refused", refused).getFilters().add(NinesHttpFilter.annotated(jdkWeb, refused));
        // a pool as a user would give it: without an executor the JDK server serves on one thread
        ExecutorService jdkThreads = Executors.newFixedThreadPool(Math.max(4, Runtime.getRuntime().availableProcessors() * 2));
        jdk.setExecutor(jdkThreads);
        jdk.start();

        Server jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost(loopback.getHostAddress());
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new PlainServlet()), "/plain");
        context.addServlet(new ServletHolder(new GuardedServlet()), "/guarded");
        context.addServlet(new ServletHolder(new RefusedServlet()), "/refused");
        // mapped to the guarded paths only, so /plain never enters it (the unguarded baseline)
        FilterHolder filter = new FilterHolder(NinesServletFilter.annotated(web()));
        context.addFilter(filter, "/guarded", EnumSet.of(DispatcherType.REQUEST));
        context.addFilter(filter, "/refused", EnumSet.of(DispatcherType.REQUEST));
        jetty.setHandler(context);
        try {
            jetty.start();
        } catch (Exception e) {
            jdk.stop(0);
            jdkThreads.shutdownNow();
            throw e;
        }
        return new HttpLoadServers(jdk, jdkThreads, jetty);
    }

    /** The settings of one server's endpoints: its own registry, holding the non-shedding shedder. */
    private static NinesWeb web() {
        PolicyRegistry registry = new PolicyRegistry()
                .register(LoadShedder.builder("api").limit(ConcurrencyLimit.fixed(SHEDDER_LIMIT)).build());
        return NinesWeb.builder().registry(registry).build(); // client key: the remote address
    }

    /** The JDK server's port. */
    public int jdkPort() {
        return jdk.getAddress().getPort();
    }

    /** Jetty's port. */
    public int jettyPort() {
        return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    }

    @Override
    public void close() {
        try {
            jetty.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("Jetty did not stop", e);
        } finally {
            jdk.stop(0);
            jdkThreads.shutdownNow();
        }
    }

    /** Starts the servers, prints their ports ({@code jdk PORT}, {@code jetty PORT}) and serves until killed. */
    public static void main(String[] args) throws Exception {
        if (!Boolean.getBoolean("sun.net.httpserver.nodelay")) {
            System.err.println("warning: without -Dsun.net.httpserver.nodelay=true the JDK server waits for delayed ACKs");
        }
        HttpLoadServers servers = start();
        Runtime.getRuntime().addShutdownHook(new Thread(servers::close, "http-load-servers-stop"));
        System.out.println("jdk " + servers.jdkPort());
        System.out.println("jetty " + servers.jettyPort());
        System.out.flush();
        new CountDownLatch(1).await();
    }

    private static void answer(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(200, BODY.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(BODY);
        }
    }

    private static void answer(HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain");
        resp.setContentLength(BODY.length);
        resp.getOutputStream().write(BODY);
    }

    /** The unguarded JDK handler. */
    static final class PlainHandler implements HttpHandler {
        @Override
        public void handle(HttpExchange exchange) throws IOException {
            answer(exchange);
        }
    }

    /** The JDK handler behind a rate limit that admits everything and a shedder that sheds nothing. */
    @WithRateLimit(permits = ADMITTING_PERMITS, key = KeySource.CLIENT)
    public static final class GuardedHandler implements HttpHandler {
        @Override
        @WithPriority(value = Priority.P2, shedder = "api")
        public void handle(HttpExchange exchange) throws IOException {
            answer(exchange);
        }
    }

    /** The JDK handler behind a rate limit of one request a day per client. */
    @WithRateLimit(permits = 1, period = 1, unit = TimeUnit.DAYS, key = KeySource.CLIENT)
    public static final class RefusedHandler implements HttpHandler {
        @Override
        @WithPriority(value = Priority.P2, shedder = "api")
        public void handle(HttpExchange exchange) throws IOException {
            answer(exchange);
        }
    }

    /** The unguarded servlet. */
    static final class PlainServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            answer(resp);
        }
    }

    /** The servlet behind a rate limit that admits everything and a shedder that sheds nothing. */
    @WithRateLimit(permits = ADMITTING_PERMITS, key = KeySource.CLIENT)
    public static final class GuardedServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        @WithPriority(value = Priority.P2, shedder = "api")
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            answer(resp);
        }
    }

    /** The servlet behind a rate limit of one request a day per client. */
    @WithRateLimit(permits = 1, period = 1, unit = TimeUnit.DAYS, key = KeySource.CLIENT)
    public static final class RefusedServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        @WithPriority(value = Priority.P2, shedder = "api")
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            answer(resp);
        }
    }
}
