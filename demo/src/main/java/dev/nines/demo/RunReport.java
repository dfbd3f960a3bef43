package dev.nines.demo;

import dev.nines.Priority;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What the report shows about one run, computed from its {@link RunResult}: availability and
 * latency per priority for the well-behaved clients, what happened to the abusive client, and the
 * golden signals per second. Immutable.
 *
 * <p><b>Availability</b> of a priority is the share of the well-behaved clients' requests that got
 * a useful answer (200, fresh or degraded); shed, rate-limited, failed and timed-out requests all
 * count against it. The abusive client's requests are reported apart: turning them away is the
 * point. Per-second series attribute a request to the second it ended, offered load to the second
 * it was sent. The SLO table's figures come from nines-slo ({@link #slos()}); {@link Stats} counts the
 * same requests independently, and the tests hold the two equal.
 */
final class RunReport {

    /** The availability objective of each priority, in percent. */
    static final Map<Priority, Double> SLO = Map.of(Priority.P0, 99.9, Priority.P1, 99.5, Priority.P2, 99.0,
            Priority.P3, 95.0);

    private final RunResult result;
    private final Map<Priority, Stats> byPriority = new EnumMap<>(Priority.class);
    private final Stats abuser = new Stats();
    private final Stats all = new Stats();
    private final int seconds;
    private final Series series;
    private final RunSlos slos;

    RunReport(RunResult result, GameConfig config) {
        this.result = result;
        for (Priority p : Priority.values()) {
            byPriority.put(p, new Stats());
        }
        this.seconds = (int) Math.ceil(result.script().lengthNanos() / 1e9) + (int) config.clientTimeout.toSeconds() + 1;
        this.series = new Series(seconds);
        for (Sample s : result.samples()) {
            (s.abuser() ? abuser : byPriority.get(s.priority())).add(s);
            if (!s.abuser()) {
                all.add(s);
            }
            series.add(s);
        }
        series.finish();
        this.slos = new RunSlos(result, seconds);
    }

    RunResult result() {
        return result;
    }

    String label() {
        return result.label();
    }

    /** The well-behaved clients' requests of {@code priority}. */
    Stats stats(Priority priority) {
        return byPriority.get(priority);
    }

    /**
     * The well-behaved clients' requests of {@code priority} sent during a phase called
     * {@code phase} (every phase of that name); empty stats if the script has none.
     */
    Stats stats(Priority priority, String phase) {
        Stats stats = new Stats();
        List<Phase> phases = result.script().phases().stream().filter(p -> p.name().equals(phase)).toList();
        for (Sample s : result.samples()) {
            if (!s.abuser() && s.priority() == priority && phases.stream().anyMatch(p -> p.contains(s.sentNanos()))) {
                stats.add(s);
            }
        }
        return stats;
    }

    /** The well-behaved clients' requests of every priority. */
    Stats total() {
        return all;
    }

    /** The abusive client's requests. */
    Stats abuser() {
        return abuser;
    }

    /** How many seconds the series cover. */
    int seconds() {
        return seconds;
    }

    Series series() {
        return series;
    }

    /** The run's SLOs per priority, computed by nines-slo: the SLO table and the burn-rate charts. */
    RunSlos slos() {
        return slos;
    }

    /** Counts and latencies of a set of requests. Not thread-safe; filled once, then read. */
    static final class Stats {
        private final long[] counts = new long[Result.values().length];
        private long[] latencies = new long[64];
        private int served;
        private boolean sorted;

        void add(Sample s) {
            counts[s.result().ordinal()]++;
            if (s.result().served()) {
                if (served == latencies.length) {
                    latencies = Arrays.copyOf(latencies, served * 2);
                }
                latencies[served++] = s.latencyNanos();
                sorted = false;
            }
        }

        long count(Result r) {
            return counts[r.ordinal()];
        }

        long sent() {
            return Arrays.stream(counts).sum();
        }

        long served() {
            return count(Result.OK) + count(Result.DEGRADED);
        }

        /** Percent of requests served; 100 when there were none. */
        double availability() {
            long sent = sent();
            return sent == 0 ? 100.0 : 100.0 * served() / sent;
        }

        /** Percent of the error budget of {@code slo} (a percentage) this availability used up. */
        double budgetBurned(double slo) {
            return (100.0 - availability()) / (100.0 - slo) * 100.0;
        }

        /** The {@code q} quantile (0..1) of the served requests' latency in ms; NaN if none. */
        double latencyMillis(double q) {
            if (served == 0) {
                return Double.NaN;
            }
            if (!sorted) {
                Arrays.sort(latencies, 0, served);
                sorted = true;
            }
            int i = (int) Math.min(served - 1, Math.max(0, Math.ceil(q * served) - 1));
            return latencies[i] / 1e6;
        }
    }

    /** The golden signals per second. */
    static final class Series {
        final double[] offered;
        final double[] served;
        final double[] degraded;
        final double[] shed;
        final double[] rateLimited;
        final double[] failed;
        final double[] p50;
        final double[] p99;
        final Map<Priority, double[]> successRate = new EnumMap<>(Priority.class);
        private final List<List<Long>> latencies = new ArrayList<>();
        private final Map<Priority, double[]> ended = new EnumMap<>(Priority.class);

        Series(int seconds) {
            offered = new double[seconds];
            served = new double[seconds];
            degraded = new double[seconds];
            shed = new double[seconds];
            rateLimited = new double[seconds];
            failed = new double[seconds];
            p50 = new double[seconds];
            p99 = new double[seconds];
            for (Priority p : Priority.values()) {
                successRate.put(p, new double[seconds]);
                ended.put(p, new double[seconds]);
            }
            for (int i = 0; i < seconds; i++) {
                latencies.add(new ArrayList<>());
            }
        }

        int length() {
            return offered.length;
        }

        void add(Sample s) {
            int sent = second(s.sentNanos());
            int done = second(s.doneNanos());
            if (sent >= 0) {
                offered[sent]++;
            }
            if (done < 0) {
                return;
            }
            switch (s.result()) {
                case OK:
                    served[done]++;
                    break;
                case DEGRADED:
                    served[done]++;
                    degraded[done]++;
                    break;
                case SHED:
                    shed[done]++;
                    break;
                case RATE_LIMITED:
                    rateLimited[done]++;
                    break;
                default:
                    failed[done]++;
                    break;
            }
            if (s.result().served()) {
                latencies.get(done).add(s.latencyNanos());
            }
            if (!s.abuser()) {
                ended.get(s.priority())[done]++;
                if (s.result().served()) {
                    successRate.get(s.priority())[done]++;
                }
            }
        }

        void finish() {
            for (int i = 0; i < length(); i++) {
                List<Long> l = latencies.get(i);
                l.sort(null);
                p50[i] = l.isEmpty() ? Double.NaN : l.get((int) Math.ceil(0.5 * l.size()) - 1) / 1e6;
                p99[i] = l.isEmpty() ? Double.NaN : l.get((int) Math.ceil(0.99 * l.size()) - 1) / 1e6;
                for (Priority p : Priority.values()) {
                    double n = ended.get(p)[i];
                    double[] rate = successRate.get(p);
                    rate[i] = n == 0 ? Double.NaN : 100.0 * rate[i] / n;
                }
            }
            latencies.clear();
        }

        private int second(long nanos) {
            int s = (int) (nanos / 1_000_000_000L);
            return s >= 0 && s < offered.length ? s : -1;
        }
    }
}
