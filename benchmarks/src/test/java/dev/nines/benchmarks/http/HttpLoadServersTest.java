package dev.nines.benchmarks.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * What {@code benchmarks/run http} measures answers as it claims, on both servers (no wrk here):
 * {@code /plain} and {@code /guarded} answer 200 to every request ({@code /guarded} with the rate
 * limit's headers, so the filter ran), {@code /refused} admits its one request a day and answers
 * 429 to every one after it.
 */
class HttpLoadServersTest {

    @Test
    void plainAndGuardedAnswer200AndRefusedAnswers429() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        try (HttpLoadServers servers = HttpLoadServers.start()) {
            for (int port : new int[] {servers.jdkPort(), servers.jettyPort()}) {
                for (int i = 0; i < 5; i++) {
                    HttpResponse<String> plain = get(client, port, "/plain");
                    assertEquals(200, plain.statusCode(), "plain on " + port);
                    assertEquals("ok\n", plain.body());
                    assertFalse(plain.headers().firstValue("RateLimit-Policy").isPresent(), "no filter on /plain");

                    HttpResponse<String> guarded = get(client, port, "/guarded");
                    assertEquals(200, guarded.statusCode(), "guarded on " + port);
                    assertTrue(guarded.headers().firstValue("RateLimit-Policy").isPresent(), "the filter ran");
                }
                assertEquals(200, get(client, port, "/refused").statusCode(), "the day's one request, on " + port);
                for (int i = 0; i < 5; i++) {
                    HttpResponse<String> refused = get(client, port, "/refused");
                    assertEquals(429, refused.statusCode(), "refused on " + port);
                    assertTrue(refused.headers().firstValue("Retry-After").isPresent());
                }
            }
        }
    }

    private static HttpResponse<String> get(HttpClient client, int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
