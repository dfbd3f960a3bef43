package dev.nines.demo;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.nines.Sleeper;
import dev.nines.web.jdk.JdkEndpoints;
import dev.nines.web.jdk.NinesHttpFilter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sample shop: a JDK {@link HttpServer} on loopback (port 0) with {@code /checkout} (P0),
 * {@code /cart} (P1), {@code /search} (P2) and {@code /recommendations} (P3).
 *
 * <p><b>Capacity.</b> The server's own threads (the dispatchers) parse requests and, when nines
 * protects the shop, run its filter; the work itself runs on a fixed pool of {@code workers}
 * threads, each holding a request for the simulated service time and then for the dependency
 * call. Both pools have unbounded queues, like most servers: without nines, a request that
 * cannot be served waits until it is served, however long its client has given up.
 *
 * <p>With nines ({@link Protection} given), every endpoint gets a {@link NinesHttpFilter} (rate
 * limit per client, then priority admission) and calls its dependency through fallback, retry,
 * breaker and timeout; {@code /health} and {@code /metrics} are served too.
 */
final class ShopService implements AutoCloseable {

    /** Response header marking a degraded answer. */
    static final String DEGRADED = "X-Degraded";

    private final HttpServer server;
    private final ThreadPoolExecutor dispatchers;
    private final ThreadPoolExecutor workers;

    private ShopService(HttpServer server, ThreadPoolExecutor dispatchers, ThreadPoolExecutor workers) {
        this.server = server;
        this.dispatchers = dispatchers;
        this.workers = workers;
    }

    /**
     * Starts the shop.
     *
     * @param protection the nines protection, or {@code null} for the unprotected shop
     */
    static ShopService start(GameConfig config, Dependencies dependencies, Protection protection, Sleeper sleeper)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
        ThreadPoolExecutor dispatchers = pool(config.dispatchers, "shop-http");
        ThreadPoolExecutor workers = pool(config.workers, "shop-worker");
        Backend backend = protection != null ? protection.backend() : Backend.direct(dependencies);
        long serviceNanos = config.serviceTime.toNanos();
        for (Endpoint e : Endpoint.values()) {
            HttpContext ctx = server.createContext(e.path(), exchange -> serve(exchange, e, workers, () -> {
                sleeper.sleep(serviceNanos);
                return backend.call(e);
            }));
            if (protection != null) {
                ctx.getFilters().add(NinesHttpFilter.of(protection.guard(e)));
            }
        }
        if (protection != null) {
            server.createContext("/health", JdkEndpoints.health(protection.health()));
            server.createContext("/metrics", JdkEndpoints.metrics(protection.metrics()));
        }
        server.setExecutor(dispatchers);
        server.start();
        return new ShopService(server, dispatchers, workers);
    }

    /** The URI of {@code path} on this shop. */
    URI uri(String path) {
        InetSocketAddress a = server.getAddress();
        return URI.create("http://" + a.getAddress().getHostAddress() + ":" + a.getPort() + path);
    }

    /** Worker threads busy now. */
    int busy() {
        return workers.getActiveCount();
    }

    /** Requests waiting for a dispatcher or a worker now. */
    int queued() {
        return dispatchers.getQueue().size() + workers.getQueue().size();
    }

    @Override
    public void close() {
        server.stop(0);
        dispatchers.shutdownNow();
        workers.shutdownNow();
    }

    private static void serve(HttpExchange exchange, Endpoint endpoint, ThreadPoolExecutor workers,
            java.util.concurrent.Callable<Answer> work) throws IOException {
        try {
            Answer answer;
            try {
                Future<Answer> f = workers.submit(work);
                answer = f.get();
            } catch (ExecutionException e) {
                send(exchange, 500, "{\"error\":\"" + endpoint.dependency() + " failed\"}", false);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                send(exchange, 503, "{\"error\":\"shutting down\"}", false);
                return;
            } catch (java.util.concurrent.RejectedExecutionException e) {
                send(exchange, 503, "{\"error\":\"shutting down\"}", false);
                return;
            }
            send(exchange, 200, answer.body(), answer.degraded());
        } catch (IOException clientGone) {
            // the client gave up (its timeout) before we answered: the work was wasted
        } finally {
            exchange.close();
        }
    }

    private static void send(HttpExchange exchange, int status, String body, boolean degraded) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (degraded) {
            exchange.getResponseHeaders().set(DEGRADED, "true");
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static ThreadPoolExecutor pool(int threads, String name) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
