package dev.nines.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.nines.ratelimit.annotation.WithRateLimit;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The application's endpoint on the JDK's HTTP server: one request a minute, guarded by
 * {@code NinesHttpFilter.annotated}. Stateless and thread-safe.
 */
@WithRateLimit(permits = 1, period = 1, unit = TimeUnit.MINUTES, name = "it-endpoint")
public final class StockEndpoint implements HttpHandler {

    /** An endpoint that answers {@code 200 in stock}. */
    public StockEndpoint() {
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        byte[] body = "in stock".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
