package dev.nines.web.jdk;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.nines.web.DrainOnAServerContract;
import dev.nines.web.HealthEndpoint;
import dev.nines.web.NinesWeb;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A drain on a real JDK {@code HttpServer} on loopback, the endpoint behind {@link NinesHttpFilter}. */
class JdkDrainTest extends DrainOnAServerContract {

    private final ExecutorService workers = Executors.newFixedThreadPool(IN_FLIGHT + BURST + 4);
    private HttpServer server;

    /** Holds its request at the gate, then answers 200 "done". */
    static final class Work implements HttpHandler {
        private final Gate gate;

        Work(Gate gate) {
            this.gate = gate;
        }

        @Override
        public void handle(HttpExchange exchange) throws IOException {
            gate.hold();
            byte[] body = "done".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
            gate.left();
        }
    }

    @Override
    protected int startServer(NinesWeb web, HealthEndpoint health, Gate gate) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(workers);
        Work work = new Work(gate);
        server.createContext("/work", work).getFilters().add(NinesHttpFilter.annotated(web, work));
        server.createContext("/livez", JdkEndpoints.liveness(health));
        server.createContext("/readyz", JdkEndpoints.readiness(health));
        server.start();
        return server.getAddress().getPort();
    }

    @Override
    protected void stopServer() {
        server.stop(0);
        workers.shutdownNow();
    }
}
