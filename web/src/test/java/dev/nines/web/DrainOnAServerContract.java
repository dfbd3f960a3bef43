package dev.nines.web;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A drain on a real server on loopback, under a bounded load of concurrent clients; each server
 * adapter's test extends it. The endpoint under test holds every request on {@link Gate} until the
 * test releases it, so which requests are in flight is decided by the test, not by timing.
 */
public abstract class DrainOnAServerContract {

    protected static final int IN_FLIGHT = 6;
    protected static final int BURST = 12;
    protected static final long WAIT_S = 10; // a bound on waits for events that do happen; never reached

    private final Drain drain = Drain.builder().build();
    private final Gate gate = new Gate();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService clients = Executors.newFixedThreadPool(BURST);
    private int port;

    /**
     * Where the endpoint's handler waits: counts the requests inside it and holds each until the
     * test releases them all. Thread-safe.
     */
    public static final class Gate {
        private final CountDownLatch release = new CountDownLatch(1);
        private final Semaphore arrived = new Semaphore(0);
        /** Released once per request that entered the handler or was answered 503. */
        private final Semaphore settled = new Semaphore(0);
        private final AtomicInteger running = new AtomicInteger();
        private final AtomicInteger entered = new AtomicInteger();

        /** Called by the handler first: holds the request until released (bounded). */
        public void hold() {
            running.incrementAndGet();
            entered.incrementAndGet();
            arrived.release();
            settled.release();
            try {
                release.await(WAIT_S, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Called by the handler last, after it has written its answer, 200 "done". */
        public void left() {
            running.decrementAndGet();
        }
    }

    /**
     * Starts the server on 127.0.0.1: {@code /work} guarded by {@code web} with a handler calling
     * {@link Gate#hold()}, answering 200 "done" and calling {@link Gate#left()};
     * {@code /livez} and {@code /readyz} serving {@code health}'s probes.
     *
     * @return the port
     */
    protected abstract int startServer(NinesWeb web, HealthEndpoint health, Gate gate) throws Exception;

    /** Stops the server, as a shutdown hook would once the drain is over. */
    protected abstract void stopServer();

    @BeforeEach
    void start() throws Exception {
        port = startServer(NinesWeb.builder().drain(drain).build(), HealthEndpoint.builder().drain(drain).build(), gate);
    }

    @AfterEach
    void stop() {
        gate.release.countDown();
        stopServer();
        clients.shutdownNow();
    }

    private CompletableFuture<HttpResponse<String>> sendAsync(String path) {
        return client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(WAIT_S)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return sendAsync(path).get(WAIT_S, TimeUnit.SECONDS);
    }

    /** Sends {@code n} requests to the blocking handler and waits until every one is inside it. */
    private List<CompletableFuture<HttpResponse<String>>> holdInFlight(int n) throws InterruptedException {
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            responses.add(sendAsync("/work"));
        }
        assertTrue(gate.arrived.tryAcquire(n, WAIT_S, TimeUnit.SECONDS), "requests never reached the handler");
        return responses;
    }

    @Test
    void aDrainRefusesNewRequestsAndCompletesOnlyWhenTheRequestsInFlightHaveFinished() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> inFlight = holdInFlight(IN_FLIGHT);
        assertEquals(IN_FLIGHT, drain.inFlight());
        assertEquals(200, get("/readyz").statusCode());

        CompletableFuture<Void> drained = drain.start().toCompletableFuture();
        AtomicInteger runningWhenDrained = new AtomicInteger(-1);
        drained.thenRun(() -> runningWhenDrained.set(gate.running.get()));
        assertFalse(drained.isDone(), "requests are still in flight");

        HttpResponse<String> ready = get("/readyz");
        assertEquals(503, ready.statusCode());
        assertEquals("{\"status\":\"DOWN\",\"draining\":true,\"inFlight\":" + IN_FLIGHT + "}", ready.body());
        assertEquals(200, get("/livez").statusCode(), "a draining process is alive; do not restart it");

        RawHttp.Response refused = RawHttp.get(port, "/work");
        assertEquals(503, refused.status());
        assertEquals("1", refused.headers().get("retry-after"));
        assertEquals("close", refused.headers().get("connection"));
        assertTrue(refused.closedAfterwards(), "the server must close the connection, so the client reconnects");
        assertTrue(refused.body().contains("\"type\":\"urn:nines:problem:draining\""), refused.body());
        assertEquals(IN_FLIGHT, gate.entered.get(), "a refused request never reaches the handler");

        gate.release.countDown();
        for (CompletableFuture<HttpResponse<String>> r : inFlight) {
            HttpResponse<String> done = r.get(WAIT_S, TimeUnit.SECONDS);
            assertEquals(200, done.statusCode());
            assertEquals("done", done.body());
        }
        drained.get(WAIT_S, TimeUnit.SECONDS);
        assertEquals(0, runningWhenDrained.get(), "the drain completed while a handler was still running");
        assertEquals(0, drain.inFlight());
        assertTrue(drain.drain(Duration.ZERO));
    }

    @Test
    void everyRequestRacingTheDrainStartIsEitherServedOrRefusedNeverLost() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> inFlight = holdInFlight(IN_FLIGHT);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> burst = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            burst.add(clients.submit(() -> {
                go.await();
                HttpResponse<String> r = get("/work");
                if (r.statusCode() == 503) {
                    gate.settled.release();
                }
                return r;
            }));
        }
        go.countDown();
        // start the drain once a quarter of the burst is admitted, while the rest is on its way
        assertTrue(gate.arrived.tryAcquire(BURST / 4, WAIT_S, TimeUnit.SECONDS));
        CompletableFuture<Void> drained = drain.start().toCompletableFuture();
        AtomicInteger runningWhenDrained = new AtomicInteger(-1);
        drained.thenRun(() -> runningWhenDrained.set(gate.running.get()));

        // every request is now either inside the handler or answered 503
        assertTrue(gate.settled.tryAcquire(IN_FLIGHT + BURST, WAIT_S, TimeUnit.SECONDS),
                "a request neither reached the handler nor got 503");
        int admitted = gate.entered.get();
        assertEquals(admitted, drain.inFlight(), "every admitted request is counted in flight");
        assertFalse(drained.isDone(), "the drain completed with requests still in the handler");

        gate.release.countDown();
        int ok = 0;
        for (CompletableFuture<HttpResponse<String>> r : inFlight) {
            assertEquals(200, r.get(WAIT_S, TimeUnit.SECONDS).statusCode());
            ok++;
        }
        int refused = 0;
        for (Future<HttpResponse<String>> f : burst) {
            int status = f.get(WAIT_S, TimeUnit.SECONDS).statusCode(); // an IOException here is a lost request
            if (status == 200) {
                ok++;
            } else {
                assertEquals(503, status);
                refused++;
            }
        }
        assertEquals(admitted, ok, "every admitted request is served");
        assertEquals(IN_FLIGHT + BURST, ok + refused);
        drained.get(WAIT_S, TimeUnit.SECONDS);
        assertEquals(0, runningWhenDrained.get(), "the drain completed while a handler was still running");
        assertEquals(503, get("/work").statusCode());
    }

    @Test
    void aDrainThatRunsOutOfTimeSaysSoAndLeavesTheRequestsStillRunningToFinish() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> inFlight = holdInFlight(IN_FLIGHT);
        assertFalse(drain.drain(Duration.ZERO), "the deadline has passed with requests in flight");
        assertEquals(IN_FLIGHT, drain.inFlight());
        assertTrue(drain.isDraining());

        gate.release.countDown();
        for (CompletableFuture<HttpResponse<String>> r : inFlight) {
            assertEquals(200, r.get(WAIT_S, TimeUnit.SECONDS).statusCode());
        }
        assertTrue(drain.drain(Duration.ofSeconds(WAIT_S)));
    }

    @Test
    void theShutdownHookDrainsAndThenStopsTheServer() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> inFlight = holdInFlight(IN_FLIGHT);
        Thread hook = drain.addShutdownHook(Duration.ofSeconds(WAIT_S), this::stopServer);
        assertTrue(Runtime.getRuntime().removeShutdownHook(hook), "the hook was registered");
        hook.start(); // what the JVM does on SIGTERM
        // the hook runs on its own thread: wait for it to begin the drain, not for time to pass
        await().atMost(Duration.ofSeconds(WAIT_S)).until(drain::isDraining);

        RawHttp.Response refused = RawHttp.get(port, "/work");
        assertEquals(503, refused.status());
        assertTrue(hook.isAlive(), "the hook waits for the requests in flight");

        gate.release.countDown();
        hook.join(TimeUnit.SECONDS.toMillis(WAIT_S));
        assertFalse(hook.isAlive());
        for (CompletableFuture<HttpResponse<String>> r : inFlight) {
            HttpResponse<String> done = r.get(WAIT_S, TimeUnit.SECONDS);
            assertEquals(200, done.statusCode(), "a request admitted before the drain is not lost");
            assertEquals("done", done.body());
        }
        assertThrows(ConnectException.class, () -> RawHttp.get(port, "/livez"), "the server has stopped");
    }
}
