package dev.nines.simulator;

import dev.nines.Priority;
import java.util.List;

/**
 * The outcome of one simulation run, as data for tables and charts. Counts cover requests that
 * arrived in measured phases; the timeline covers the whole run.
 *
 * @param mode             what stood in front of the service
 * @param scenario         the scenario's name
 * @param load             the offered load of the (last) measured phase, as a multiple of capacity
 * @param capacityPerSec   what the service completes per second at full utilisation
 * @param measuredSeconds  simulated seconds of measured arrivals
 * @param priorities       per-priority counts, P0 first
 * @param goodputPerSec    requests completed within their deadline per second
 * @param latency          latency of admitted requests that were served (queueing included)
 * @param timeline         one sample per sample interval over the whole run
 * Immutable (the lists are copied, every component is a value) and thread-safe.
 */
public record SimulationResult(Mode mode, String scenario, double load, double capacityPerSec,
        double measuredSeconds, List<PriorityStats> priorities, double goodputPerSec, Latency latency,
        List<Sample> timeline) {

    /** Copies the lists, so the result is immutable. */
    public SimulationResult {
        priorities = List.copyOf(priorities);
        timeline = List.copyOf(timeline);
    }

    /** Goodput as a share of capacity. */
    public double goodputRatio() {
        return goodputPerSec / capacityPerSec;
    }

    /** The counts of one priority. */
    public PriorityStats of(Priority p) {
        return priorities.get(p.ordinal());
    }

    /** Requests shed in measured phases, all priorities. */
    public long totalShed() {
        return priorities.stream().mapToLong(PriorityStats::shed).sum();
    }

    /**
     * Counts for one priority.
     *
     * @param priority  the priority
     * @param offered   requests that arrived
     * @param admitted  requests the shedder admitted (all, without a shedder)
     * @param shed      requests the shedder rejected
     * @param succeeded admitted requests completed within their deadline
     * @param late      admitted requests that completed after their deadline or expired waiting at the service
     */
    public record PriorityStats(Priority priority, long offered, long admitted, long shed, long succeeded,
            long late) {

        /** Succeeded over offered; 1 when nothing was offered. */
        public double successRate() {
            return offered == 0 ? 1.0 : (double) succeeded / offered;
        }

        /** Shed over offered; 0 when nothing was offered. */
        public double shedRate() {
            return offered == 0 ? 0.0 : (double) shed / offered;
        }
    }

    /**
     * Latency percentiles in nanoseconds (exact, from every served request).
     *
     * @param count how many requests the percentiles cover
     * @param p50   the median
     * @param p90   the 90th percentile
     * @param p99   the 99th percentile
     * @param p999  the 99.9th percentile
     * @param max   the slowest
     */
    public record Latency(long count, long p50, long p90, long p99, long p999, long max) {
    }

    /**
     * One point of the timeline.
     *
     * @param atNanos   simulated time at the end of the interval
     * @param load      the offered load of the phase then running
     * @param limit     the shedder's limit then (-1 without a shedder)
     * @param inFlight  requests admitted and not yet completed (running or queued at the service)
     * @param offered   arrivals in the interval
     * @param shed      requests shed in the interval
     * @param goodput   requests completed within their deadline in the interval
     */
    public record Sample(long atNanos, double load, int limit, int inFlight, long offered, long shed,
            long goodput) {
    }
}
