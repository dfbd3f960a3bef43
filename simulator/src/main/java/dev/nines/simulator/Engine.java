package dev.nines.simulator;

import dev.nines.ManualTicker;
import dev.nines.Priority;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.Outcome;
import dev.nines.shedding.LoadShedder;
import dev.nines.shedding.limit.ConcurrencyLimit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/** One discrete-event run in virtual time. Single-threaded; used once. */
final class Engine {

    /** One request's life. */
    private static final class Job {
        final Priority priority;
        final long arrival;
        final long deadline;
        final boolean measured;
        long token;
        long finish;

        Job(Priority priority, long arrival, long deadline, boolean measured) {
            this.priority = priority;
            this.arrival = arrival;
            this.deadline = deadline;
            this.measured = measured;
        }
    }

    private static final Priority[] PRIORITIES = Priority.values();

    private final SimulationConfig config;
    private final Scenario scenario;
    private final Mode mode;
    private final ManualTicker ticker = new ManualTicker();
    private final SplittableRandom random;
    private final LoadShedder shedder;
    private final PriorityQueue<Job> running = new PriorityQueue<>((a, b) -> Long.compare(a.finish, b.finish));
    private final ArrayDeque<Job> waiting = new ArrayDeque<>();
    private final long serviceNanos;
    private final long deadlineNanos;
    private final long[] offered = new long[4];
    private final long[] admitted = new long[4];
    private final long[] shed = new long[4];
    private final long[] succeeded = new long[4];
    private final long[] late = new long[4];
    private long[] latencies = new long[1 << 16];
    private int latencyCount;
    private long measuredNanos;
    private final List<SimulationResult.Sample> timeline = new ArrayList<>();
    private long intervalOffered;
    private long intervalShed;
    private long intervalGoodput;
    private long goodput;

    Engine(SimulationConfig config, Scenario scenario, Mode mode) {
        this.config = config;
        this.scenario = scenario;
        this.mode = mode;
        this.random = new SplittableRandom(config.seed());
        this.serviceNanos = config.serviceTime().toNanos();
        this.deadlineNanos = config.deadline().toNanos();
        ConcurrencyLimit limit = mode == Mode.ADAPTIVE ? config.newAdaptiveLimit() : ConcurrencyLimit.fixed(config.fixedLimit());
        this.shedder = mode == Mode.NONE ? null
                : config.shedderBuilder().limit(limit).ticker(ticker).metrics(MetricsSink.noop()).build();
    }

    SimulationResult run() {
        long sampleEvery = config.sampleInterval().toNanos();
        long nextSample = sampleEvery;
        long phaseStart = 0;
        double lastMeasuredLoad = 0;
        for (Phase phase : scenario.phases()) {
            long phaseEnd = phaseStart + phase.duration().toNanos();
            double ratePerNano = phase.load() * config.capacityPerSec() / 1e9;
            long nextArrival = phaseStart + exponential(ratePerNano);
            while (true) {
                long nextCompletion = running.isEmpty() ? Long.MAX_VALUE : running.peek().finish;
                long t = Math.min(Math.min(nextArrival, nextCompletion), Math.min(nextSample, phaseEnd));
                ticker.advance(t - ticker.read());
                if (t == nextCompletion) {
                    complete(running.poll(), t);
                } else if (t == nextSample) {
                    sample(t, phase.load());
                    nextSample += sampleEvery;
                } else if (t == phaseEnd) {
                    break;
                } else {
                    arrive(t, phase.measured());
                    nextArrival = t + exponential(ratePerNano);
                }
            }
            if (phase.measured()) {
                measuredNanos += phase.duration().toNanos();
                lastMeasuredLoad = phase.load();
            }
            phaseStart = phaseEnd;
        }
        // no more arrivals: let admitted work finish so every measured request has an outcome
        while (!running.isEmpty()) {
            Job job = running.poll();
            ticker.advance(job.finish - ticker.read());
            complete(job, job.finish);
        }
        return result(lastMeasuredLoad);
    }

    private void arrive(long now, boolean measured) {
        Job job = new Job(pickPriority(), now, now + deadlineNanos, measured);
        int p = job.priority.ordinal();
        intervalOffered++;
        if (measured) {
            offered[p]++;
        }
        if (shedder != null) {
            job.token = shedder.tryAdmit(job.priority);
            if (job.token == LoadShedder.REJECTED) {
                intervalShed++;
                if (measured) {
                    shed[p]++;
                }
                return;
            }
        }
        if (measured) {
            admitted[p]++;
        }
        if (running.size() < config.workers()) {
            start(job, now);
        } else {
            waiting.addLast(job);
        }
    }

    private void start(Job job, long now) {
        double jitter = config.serviceJitter() * (2 * random.nextDouble() - 1);
        job.finish = now + Math.max(1L, Math.round(serviceNanos * (1 + jitter)));
        running.add(job);
    }

    private void complete(Job job, long now) {
        boolean inTime = now <= job.deadline;
        if (job.measured) {
            recordLatency(now - job.arrival);
            if (inTime) {
                succeeded[job.priority.ordinal()]++;
                goodput++;
            } else {
                late[job.priority.ordinal()]++;
            }
        }
        if (inTime) {
            intervalGoodput++;
        }
        release(job, inTime ? Outcome.SUCCESS : Outcome.TIMED_OUT);
        Job next;
        while ((next = waiting.pollFirst()) != null) {
            if (now > next.deadline) {
                if (next.measured) {
                    late[next.priority.ordinal()]++;
                }
                release(next, Outcome.TIMED_OUT); // dropped before it runs
                continue;
            }
            start(next, now);
            break;
        }
    }

    private void release(Job job, Outcome outcome) {
        if (shedder != null) {
            shedder.release(job.token, outcome);
        }
    }

    private void sample(long now, double load) {
        int limit = shedder == null ? -1 : shedder.limit();
        timeline.add(new SimulationResult.Sample(now, load, limit, running.size() + waiting.size(),
                intervalOffered, intervalShed, intervalGoodput));
        intervalOffered = 0;
        intervalShed = 0;
        intervalGoodput = 0;
    }

    private Priority pickPriority() {
        double u = random.nextDouble();
        for (Priority p : PRIORITIES) {
            u -= config.mix(p);
            if (u < 0) {
                return p;
            }
        }
        return Priority.P3;
    }

    private long exponential(double ratePerNano) {
        return Math.max(1L, Math.round(-Math.log(1 - random.nextDouble()) / ratePerNano));
    }

    private void recordLatency(long nanos) {
        if (latencyCount == latencies.length) {
            latencies = Arrays.copyOf(latencies, latencies.length * 2);
        }
        latencies[latencyCount++] = nanos;
    }

    private SimulationResult result(double load) {
        List<SimulationResult.PriorityStats> stats = new ArrayList<>();
        for (Priority p : PRIORITIES) {
            int i = p.ordinal();
            stats.add(new SimulationResult.PriorityStats(p, offered[i], admitted[i], shed[i], succeeded[i], late[i]));
        }
        double seconds = measuredNanos / 1e9;
        long[] sorted = Arrays.copyOf(latencies, latencyCount);
        Arrays.sort(sorted);
        SimulationResult.Latency latency = new SimulationResult.Latency(sorted.length, pct(sorted, 0.5),
                pct(sorted, 0.9), pct(sorted, 0.99), pct(sorted, 0.999),
                sorted.length == 0 ? 0 : sorted[sorted.length - 1]);
        return new SimulationResult(mode, scenario.name(), load, config.capacityPerSec(), seconds, stats,
                seconds == 0 ? 0 : goodput / seconds, latency, timeline);
    }

    private static long pct(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }
}
