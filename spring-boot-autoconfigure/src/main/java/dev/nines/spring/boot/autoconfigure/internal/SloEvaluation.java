package dev.nines.spring.boot.autoconfigure.internal;

import dev.nines.slo.SloRegistry;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Evaluates the SLO registry every interval on a daemon thread of its own
 * ({@code nines-slo-evaluation}), so each change of an SLO's alert state is reported as a
 * transition; {@link #close()} (the context closing) stops the thread. Thread-safe.
 */
public final class SloEvaluation implements AutoCloseable {

    private final ScheduledExecutorService scheduler;

    /** Starts evaluating {@code slos} every {@code interval}. */
    public SloEvaluation(SloRegistry slos, Duration interval) {
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "nines-slo-evaluation");
            t.setDaemon(true);
            return t;
        });
        slos.evaluateEvery(interval, scheduler);
    }

    /** Whether the thread has been stopped. */
    public boolean isClosed() {
        return scheduler.isShutdown();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
