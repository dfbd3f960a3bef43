package dev.nines.metrics;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sink that logs state transitions through SLF4J: moves into an open or degraded state at WARN,
 * everything else at INFO. Outcomes are not logged (there are far too many); combine this sink with
 * a counting one through {@link MetricsSink#composite(MetricsSink...)}.
 *
 * <p>Thread-safe (stateless; SLF4J loggers are thread-safe).
 */
public final class Slf4jMetricsSink implements MetricsSink {

    private final Logger log;

    /** Logs to the {@code dev.nines.transitions} logger. */
    public Slf4jMetricsSink() {
        this(LoggerFactory.getLogger("dev.nines.transitions"));
    }

    /** Logs to {@code log}. */
    public Slf4jMetricsSink(Logger log) {
        this.log = java.util.Objects.requireNonNull(log, "log");
    }

    @Override
    public void onTransition(String policy, String kind, String fromState, String toState) {
        if (isAlarming(toState)) {
            log.warn("{} '{}' moved from {} to {}", kind, policy, fromState, toState);
        } else {
            log.info("{} '{}' moved from {} to {}", kind, policy, fromState, toState);
        }
    }

    private static boolean isAlarming(String state) {
        return state.contains("OPEN") && !state.equals("HALF_OPEN")
                || state.startsWith("REDUCED") || state.startsWith("ESSENTIAL") || state.startsWith("CRITICAL");
    }

    @Override
    public String toString() {
        return "Slf4jMetricsSink[" + log.getName() + "]";
    }
}
