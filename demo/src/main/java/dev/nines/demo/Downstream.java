package dev.nines.demo;

import dev.nines.Sleeper;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A simulated downstream dependency (payments, inventory, catalog): it answers after a short
 * latency while healthy, fails fast while {@link Condition#FAILING}, and answers only after a long
 * latency while {@link Condition#SLOW}. The load script switches its condition. Thread-safe.
 */
final class Downstream {

    /** The payment provider behind checkout. */
    static final String PAYMENTS = "payments";
    /** The inventory service behind the cart. */
    static final String INVENTORY = "inventory";
    /** The product catalog behind search and recommendations: the one the outage hits. */
    static final String CATALOG = "catalog";

    /** What the dependency is doing now. */
    enum Condition {
        /** Answers after the normal latency. */
        HEALTHY,
        /** Fails every call after a millisecond (connection refused, 500s). */
        FAILING,
        /** Answers, but only after the slow latency. */
        SLOW
    }

    /** What a failing dependency throws. */
    static final class DownstreamException extends Exception {
        private static final long serialVersionUID = 1L;

        DownstreamException(String message) {
            super(message, null, false, false);
        }
    }

    private static final long FAIL_NANOS = Duration.ofMillis(1).toNanos();

    private final String name;
    private final long latencyNanos;
    private final long slowNanos;
    private final Sleeper sleeper;
    private final AtomicLong calls = new AtomicLong();
    private volatile Condition condition = Condition.HEALTHY;

    Downstream(String name, Duration latency, Duration slowLatency, Sleeper sleeper) {
        this.name = name;
        this.latencyNanos = latency.toNanos();
        this.slowNanos = slowLatency.toNanos();
        this.sleeper = sleeper;
    }

    /** The dependency's name. */
    String name() {
        return name;
    }

    /** Switches what the dependency does from the next call on. */
    void condition(Condition condition) {
        this.condition = condition;
    }

    /** What the dependency is doing now. */
    Condition condition() {
        return condition;
    }

    /** How many calls reached the dependency (retries included, calls refused by a breaker not). */
    long calls() {
        return calls.get();
    }

    /** Calls the dependency, blocking for its latency. */
    String call() throws Exception {
        calls.incrementAndGet();
        switch (condition) {
            case FAILING:
                sleeper.sleep(FAIL_NANOS);
                throw new DownstreamException(name + " answered 500");
            case SLOW:
                sleeper.sleep(slowNanos);
                return name + " ok (slow)";
            default:
                sleeper.sleep(latencyNanos);
                return name + " ok";
        }
    }
}
