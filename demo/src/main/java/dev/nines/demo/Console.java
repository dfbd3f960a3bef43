package dev.nines.demo;

import dev.nines.Priority;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Once a second, samples the shop ({@link Tick}) and prints one line about the second that just
 * ended: offered and served rate, shed and rate-limited counts per priority, failures, every
 * breaker that is not closed ({@code catalog:OPEN}, or {@code all CLOSED}) and the degradation
 * tier. Runs on its own daemon thread.
 */
final class Console implements AutoCloseable {

    private final String run;
    private final Recorder recorder;
    private final IntFunction<Tick> sampler;
    private final PrintStream out;
    private final ScheduledExecutorService timer;
    private int second;

    /**
     * @param run     the run's label, e.g. "nines" or "none"
     * @param sampler samples the shop at the end of the given second
     * @param out     where lines go, or {@code null} to record ticks silently
     */
    Console(String run, Recorder recorder, IntFunction<Tick> sampler, PrintStream out) {
        this.run = run;
        this.recorder = recorder;
        this.sampler = sampler;
        this.out = out;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "console");
            t.setDaemon(true);
            return t;
        });
    }

    /** The column legend printed before a run. */
    static String header() {
        return "run    time  phase          offered  served (degraded)  shed P0/P1/P2/P3   429 P0/P1/P2/P3"
                + "  fail  breakers          tier";
    }

    /** Starts ticking, one line per second from now. */
    void start() {
        timer.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    private void tick() {
        try {
            Tick t = sampler.apply(second);
            recorder.tick(t);
            if (out != null) {
                out.println(line(run, t, recorder));
            }
            second++;
        } catch (RuntimeException e) {
            if (out != null) {
                out.println("console: " + e);
            }
        }
    }

    /** The console line for {@code tick}'s second. */
    static String line(String run, Tick tick, Recorder recorder) {
        int s = tick.second();
        long offered = 0;
        long served = 0;
        long degraded = 0;
        long fail = 0;
        StringBuilder shed = new StringBuilder();
        StringBuilder limited = new StringBuilder();
        for (Priority p : Priority.values()) {
            offered += recorder.offered(s, p);
            served += recorder.ended(s, p, Result.OK) + recorder.ended(s, p, Result.DEGRADED);
            degraded += recorder.ended(s, p, Result.DEGRADED);
            fail += recorder.ended(s, p, Result.ERROR) + recorder.ended(s, p, Result.TIMEOUT);
            String sep = p == Priority.P0 ? "" : "/";
            shed.append(sep).append(recorder.ended(s, p, Result.SHED));
            limited.append(sep).append(recorder.ended(s, p, Result.RATE_LIMITED));
        }
        return String.format(Locale.ROOT, "%-5s %4ds  %-13s %5d/s %5d/s (%4d)   %-17s  %-16s %8d  %-17s %s",
                run, s + 1, tick.phase(), offered, served, degraded, shed, limited, fail,
                breakers(tick.breakers()), tick.tier());
    }

    /** The breakers that are not closed, {@code name:STATE} each; "all CLOSED"; or "-" without nines. */
    static String breakers(Map<String, String> breakers) {
        if (breakers.isEmpty()) {
            return "-";
        }
        StringJoiner notClosed = new StringJoiner(",");
        breakers.forEach((name, state) -> {
            if (!state.equals("CLOSED")) {
                notClosed.add(name + ":" + state);
            }
        });
        return notClosed.length() == 0 ? "all CLOSED" : notClosed.toString();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
