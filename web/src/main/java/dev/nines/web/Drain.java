package dev.nines.web;

import dev.nines.internal.Validation;
import dev.nines.web.internal.DrainingException;
import dev.nines.web.internal.Rejections;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a service out of rotation without failing anyone. Once {@link #start() started}, the
 * endpoints it guards admit no new request: each is answered {@code 503} with {@code Retry-After}
 * and {@code Connection: close} (so the client reconnects, through the load balancer, to another
 * replica), readiness ({@link HealthEndpoint#readiness()}) answers {@code 503}, and the stage
 * {@code start()} returns completes when the last request admitted before the drain has finished.
 * {@link #drain(Duration)} does both and waits up to a deadline; {@link #addShutdownHook} does that
 * when the JVM is asked to stop, then stops the server.
 *
 * <p>Wire one {@code Drain} into {@link NinesWeb.Builder#drain} (or {@link EndpointGuard.Builder#drain})
 * and {@link HealthEndpoint.Builder#drain}. A request counts as in flight from its admission until
 * its handler returns (for a servlet that goes asynchronous, until the filter chain returns).
 * Requests to endpoints without a nines guard are neither refused nor waited for.
 *
 * <p><b>Race-free.</b> One atomic word holds the draining flag and the in-flight count, so a
 * request arriving as the drain starts is either refused or counted and waited for, never neither.
 * Admission is one compare-and-set, with no lock and no allocation. A drain cannot be undone: a
 * drained {@code Drain} refuses for good.
 *
 * <p>Thread-safe.
 */
public final class Drain {

    private static final Logger LOG = LoggerFactory.getLogger(Drain.class);

    /** The draining flag: the sign bit of {@link #state}, so {@code state < 0} reads "draining". */
    private static final long DRAINING = Long.MIN_VALUE;
    private static final long COUNT = Long.MAX_VALUE;

    /** The draining flag and, below it, the number of requests admitted and not yet finished. */
    private final AtomicLong state = new AtomicLong();
    /** Completed once the flag is set and the count is zero. */
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private final int refusalStatus;
    private final Map<String, String> refusalHeaders;
    private final String refusalBody;

    private Drain(Builder b) {
        Rejections.Answer answer = Rejections.answer(new DrainingException("drain", Validation.nanos(b.retryAfter)));
        Map<String, String> headers = new LinkedHashMap<>(answer.headers());
        headers.put("Connection", "close");
        this.refusalStatus = answer.status();
        this.refusalHeaders = Map.copyOf(headers);
        this.refusalBody = answer.body();
    }

    /** Starts configuring. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Stops admitting new requests, at once; idempotent.
     *
     * @return a stage that completes when every request admitted before the drain has finished
     *     (at once if none is in flight); it never completes exceptionally
     */
    public CompletionStage<Void> start() {
        long before = state.getAndUpdate(s -> s | DRAINING);
        if ((before & COUNT) == 0) {
            drained.complete(null); // nothing was in flight; no one can enter any more
        }
        return drained.minimalCompletionStage();
    }

    /**
     * Stops admitting new requests (as {@link #start()}) and waits until every request admitted
     * before has finished, or until {@code deadline} has passed. Requests still running at the
     * deadline are not interrupted: they go on until their handlers return or the server is
     * stopped, which closes their connections, so choose a deadline longer than your slowest
     * endpoint's own time limit. Calling it again waits again.
     *
     * @param deadline how long to wait, {@code >= 0}; zero only checks
     * @return {@code true} if every admitted request finished in time, {@code false} if some were
     *     still running at the deadline ({@link #inFlight()} says how many)
     * @throws IllegalArgumentException if {@code deadline} is negative
     * @throws InterruptedException     if the waiting thread is interrupted; the drain goes on
     */
    public boolean drain(Duration deadline) throws InterruptedException {
        checkDeadline(deadline);
        start();
        if (deadline.isZero()) {
            return drained.isDone();
        }
        try {
            drained.get(Validation.nanos(deadline), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException impossible) {
            throw new IllegalStateException("a drain never fails", impossible);
        }
    }

    /**
     * Registers a JVM shutdown hook that {@link #drain(Duration) drains} for up to {@code deadline}
     * and then runs {@code thenStop} (stop the server there: {@code () -> server.stop(1)} for the
     * JDK server, {@code server::stop} for Jetty), whether or not every request finished; a drain
     * that ran out of time is logged with the number of requests still running. Opt-in: nothing is
     * registered unless this is called. Remember that the JVM runs its shutdown hooks concurrently,
     * so do not also let the server stop itself at shutdown (Jetty's {@code setStopAtShutdown}).
     *
     * @return the registered hook, for {@link Runtime#removeShutdownHook(Thread)}
     * @throws IllegalArgumentException if {@code deadline} is negative
     */
    public Thread addShutdownHook(Duration deadline, Runnable thenStop) {
        checkDeadline(deadline);
        Objects.requireNonNull(thenStop, "thenStop");
        Thread hook = new Thread(() -> {
            try {
                if (!drain(deadline)) {
                    LOG.warn("drain: {} request(s) still running after {}; stopping the server anyway", inFlight(),
                            deadline);
                }
            } catch (InterruptedException e) {
                LOG.warn("drain: interrupted with {} request(s) still running; stopping the server", inFlight());
                Thread.currentThread().interrupt();
            } finally {
                thenStop.run();
            }
        }, "nines-drain");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    /** Whether the drain has started. */
    public boolean isDraining() {
        return state.get() < 0;
    }

    /** The number of requests admitted and not yet finished. */
    public long inFlight() {
        return state.get() & COUNT;
    }

    /**
     * Admits a request unless the drain has started. Every {@code true} must be followed by
     * exactly one {@link #exit()}, on every path.
     */
    boolean tryEnter() {
        for (;;) {
            long s = state.get();
            if (s < 0) {
                return false;
            }
            if (state.compareAndSet(s, s + 1)) {
                return true;
            }
        }
    }

    /** Ends a request {@link #tryEnter()} admitted; the last one out completes the drain. */
    void exit() {
        if (state.decrementAndGet() == DRAINING) {
            drained.complete(null);
        }
    }

    /** Answers a request that arrived while draining: 503, {@code Retry-After}, {@code Connection: close}. */
    void refuse(ServerExchange exchange) throws IOException {
        exchange.send(refusalStatus, refusalHeaders, Rejections.PROBLEM_JSON, refusalBody);
    }

    private static void checkDeadline(Duration deadline) {
        Objects.requireNonNull(deadline, "deadline");
        if (deadline.isNegative()) {
            throw new IllegalArgumentException("deadline must be >= 0 but was " + deadline);
        }
    }

    @Override
    public String toString() {
        long s = state.get();
        return "Drain[" + (s < 0 ? "draining" : "admitting") + ", in flight " + (s & COUNT) + "]";
    }

    /** Configures a {@link Drain}. Not thread-safe; {@link #build()} validates. */
    public static final class Builder {
        private Duration retryAfter = Duration.ofSeconds(1);

        private Builder() {
        }

        /**
         * The {@code Retry-After} of a refused request, rounded up to whole seconds; default one
         * second. The client's retry reaches another replica through the load balancer, so keep it
         * short.
         */
        public Builder retryAfter(Duration retryAfter) {
            this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
            return this;
        }

        /**
         * Builds a drain that admits requests until started.
         *
         * @throws IllegalArgumentException if {@code retryAfter} is negative
         */
        public Drain build() {
            new Validation().nonNegative("retryAfter", retryAfter).throwIfInvalid();
            return new Drain(this);
        }
    }
}
