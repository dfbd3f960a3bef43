package dev.nines.demo;

import dev.nines.Priority;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Plays a {@link Script} against the shop over loopback with the JDK {@link HttpClient}
 * (asynchronous, HTTP/1.1, a client-side timeout on every request).
 *
 * <p>Open loop, like real users: requests are sent at the script's rate whether or not earlier
 * ones were answered, on a fixed schedule (every 2 ms, the requests due so far), so the offered
 * load does not depend on how the shop copes. Legitimate requests pick their endpoint from a
 * seeded random by the endpoints' traffic shares and take turns among {@code clients} API keys;
 * the abusive client sends {@code /search} with one API key. Bounded: it stops sending at the end
 * of the script or at the request cap, and waits at most the client timeout (plus a second) for
 * the last answers.
 */
final class LoadGenerator {

    /** The API key of the abusive client. */
    static final String ABUSER = "abuser";

    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final GameConfig config;
    private final Script script;
    private final Function<String, URI> uris;
    private final Recorder recorder;
    private final Consumer<Phase> onPhase;
    private final Map<Endpoint, URI> targets = new EnumMap<>(Endpoint.class);
    private final Phaser outstanding = new Phaser(1);
    private final long maxRequests;

    LoadGenerator(GameConfig config, Script script, Function<String, URI> uris, Recorder recorder,
            Consumer<Phase> onPhase) {
        this.config = config;
        this.script = script;
        this.uris = uris;
        this.recorder = recorder;
        this.onPhase = onPhase;
        double planned = 0;
        for (Phase p : script.phases()) {
            double rate = config.normalRate * p.load() + (p.abuse() ? config.abuseRate : 0);
            planned += rate * (p.endNanos() - p.startNanos()) / 1e9;
        }
        this.maxRequests = (long) Math.ceil(planned) + 100;
    }

    /** The most requests this generator will send. */
    long maxRequests() {
        return maxRequests;
    }

    /** Plays the script; returns once the last answer is in (or timed out). */
    void run() throws InterruptedException {
        for (Endpoint e : Endpoint.values()) {
            targets.put(e, uris.apply(e.path()));
        }
        ExecutorService callbacks = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "load-client");
            t.setDaemon(true);
            return t;
        });
        try {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(config.clientTimeout).executor(callbacks).build();
            play(client);
            int phase = outstanding.arriveAndDeregister();
            try {
                outstanding.awaitAdvanceInterruptibly(phase, config.clientTimeout.toMillis() + 1000,
                        TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // a request the client did not time out itself; its sample is simply missing
            }
        } finally {
            callbacks.shutdownNow();
        }
    }

    private void play(HttpClient client) {
        Random random = new Random(config.seed);
        long end = script.lengthNanos();
        long last = 0;
        double dueLegit = 0;
        double dueAbuse = 0;
        long sent = 0;
        int nextClient = 0;
        Phase current = null;
        for (long now = recorder.elapsed(); now < end && sent < maxRequests; now = recorder.elapsed()) {
            Phase p = script.at(now);
            if (p != current) {
                current = p;
                onPhase.accept(p);
            }
            double dt = (now - last) / 1e9;
            last = now;
            dueLegit += config.normalRate * p.load() * dt;
            dueAbuse += p.abuse() ? config.abuseRate * dt : 0;
            for (; dueLegit >= 1 && sent < maxRequests; dueLegit--, sent++) {
                String key = "client-" + (nextClient++ % config.clients);
                send(client, pick(random.nextDouble()), key, false);
            }
            for (; dueAbuse >= 1 && sent < maxRequests; dueAbuse--, sent++) {
                send(client, Endpoint.SEARCH, ABUSER, true);
            }
            LockSupport.parkNanos(TICK_NANOS);
        }
    }

    /** The endpoint whose cumulative traffic share first exceeds {@code r}, uniform in [0, 1). */
    static Endpoint pick(double r) {
        double at = 0;
        for (Endpoint e : Endpoint.values()) {
            at += e.share();
            if (r < at) {
                return e;
            }
        }
        return Endpoint.RECOMMENDATIONS;
    }

    private void send(HttpClient client, Endpoint endpoint, String key, boolean abuser) {
        HttpRequest request = HttpRequest.newBuilder(targets.get(endpoint))
                .timeout(config.clientTimeout)
                .header(Protection.API_KEY, key)
                .GET().build();
        Priority priority = endpoint.priority();
        outstanding.register();
        long sentAt = recorder.sent(priority);
        client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
            try {
                recorder.done(sentAt, priority, abuser, classify(response, failure));
            } finally {
                outstanding.arriveAndDeregister();
            }
        });
    }

    /** How the client sees an answer (or its absence). */
    static Result classify(HttpResponse<String> response, Throwable failure) {
        if (failure != null) {
            Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
            return cause instanceof HttpTimeoutException || failure instanceof HttpTimeoutException
                    ? Result.TIMEOUT : Result.ERROR;
        }
        int status = response.statusCode();
        if (status == 200) {
            return response.headers().firstValue(ShopService.DEGRADED).isPresent() ? Result.DEGRADED : Result.OK;
        }
        if (status == 429) {
            return Result.RATE_LIMITED;
        }
        if (status == 503 && response.body() != null && response.body().contains("problem:shed")) {
            return Result.SHED;
        }
        return Result.ERROR;
    }
}
