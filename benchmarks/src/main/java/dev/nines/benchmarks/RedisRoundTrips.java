package dev.nines.benchmarks;

import dev.nines.benchmarks.redis.BenchmarkRedis;
import dev.nines.benchmarks.redis.RedisContenders;
import dev.nines.benchmarks.redis.RoundTripCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;

/**
 * Round trips to Redis per rate-limit decision, for every contender of
 * {@link RedisRateLimiterBenchmark} at each thread count: every thread makes the same number of
 * decisions on one shared client whose completed commands a {@link RoundTripCounter} counts by
 * type. Not a JMH benchmark (the counting would be part of what JMH measures); run by
 * {@code benchmarks/run redis}, whose report shows its table under "Other measurements":
 * {@code java -cp benchmarks.jar dev.nines.benchmarks.RedisRoundTrips [decisions per thread]
 * [thread counts...]}.
 *
 * <p>Each contender first makes one untimed pass over all of its keys, so that what is counted is
 * the steady state: the script already loaded, each key already in Redis.
 */
public final class RedisRoundTrips {

    /**
     * What one contender did at one thread count.
     *
     * @param contender the benchmark method name
     * @param threads calling threads
     * @param decisions decisions made, all threads together
     * @param granted decisions that were granted (every one should be: the limits are generous)
     * @param byCommand completed commands by type
     */
    public record Result(String contender, int threads, long decisions, long granted, Map<String, Long> byCommand) {

        /** Commands completed, of every type. */
        public long roundTrips() {
            return byCommand.values().stream().mapToLong(Long::longValue).sum();
        }

        /** Round trips per decision. */
        public double perDecision() {
            return (double) roundTrips() / decisions;
        }
    }

    private RedisRoundTrips() {
    }

    /** Prints the table for the arguments' decisions per thread (default 2000) and thread counts. */
    public static void main(String[] args) throws InterruptedException {
        int perThread = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        List<Integer> threads = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            threads.add(Integer.parseInt(args[i]));
        }
        if (threads.isEmpty()) {
            threads = List.of(1, 2, 8, 32);
        }
        List<Result> results = measure(perThread, threads);
        System.out.println("Round trips to Redis per decision (" + perThread + " decisions per thread, "
                + "commands counted by the Lettuce client):");
        System.out.println();
        System.out.println("| Contender | Threads | Decisions | Granted | Round trips per decision | Commands |");
        System.out.println("|---|---:|---:|---:|---:|---|");
        for (Result r : results) {
            StringJoiner commands = new StringJoiner(", ");
            r.byCommand().forEach((command, count) -> commands.add(String.format(Locale.ROOT, "%s %.3f",
                    command, (double) count / r.decisions())));
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %.3f | %s |%n", r.contender(), r.threads(),
                    r.decisions(), r.granted(), r.perDecision(), commands);
        }
    }

    /** Measures every contender at every thread count on the run's Redis (or one of its own). */
    public static List<Result> measure(int perThread, List<Integer> threadCounts) throws InterruptedException {
        RoundTripCounter counter = new RoundTripCounter();
        List<Result> results = new ArrayList<>();
        try (BenchmarkRedis redis = BenchmarkRedis.open();
                RedisContenders contenders = new RedisContenders(redis.url(), counter)) {
            int maxThreads = threadCounts.stream().mapToInt(Integer::intValue).max().orElse(1);
            for (Map.Entry<String, RedisContenders.Decision> contender : contenders.byName().entrySet()) {
                run(contender.getValue(), maxThreads, RedisContenders.KEYS_PER_THREAD); // warm every key
                for (int threads : threadCounts) {
                    counter.reset();
                    long granted = run(contender.getValue(), threads, perThread);
                    results.add(new Result(contender.getKey(), threads, (long) threads * perThread, granted,
                            counter.snapshot()));
                }
            }
        }
        return results;
    }

    /** Runs {@code threads} threads of {@code perThread} decisions; returns how many were granted. */
    private static long run(RedisContenders.Decision decision, int threads, int perThread)
            throws InterruptedException {
        LongAdder granted = new LongAdder();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        RuntimeException[] failure = new RuntimeException[1];
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                    for (int n = 0; n < perThread; n++) {
                        if (decision.decide(thread, n)) {
                            granted.increment();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    synchronized (failure) {
                        failure[0] = e;
                    }
                }
            }, "round-trips-" + t);
            worker.start();
            workers.add(worker);
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        synchronized (failure) {
            if (failure[0] != null) {
                throw failure[0];
            }
        }
        return granted.sum();
    }
}
