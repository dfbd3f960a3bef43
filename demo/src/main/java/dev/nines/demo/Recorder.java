package dev.nines.demo;

import dev.nines.Priority;
import dev.nines.Ticker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Collects what happens in one run: every request as a {@link Sample}, per-second counters for
 * the console (offered by the second a request was sent, results by the second it ended), and
 * one {@link Tick} per second. Thread-safe: the load generator's client threads record
 * concurrently.
 */
final class Recorder {

    private static final int PRIORITIES = Priority.values().length;
    private static final int KINDS = Result.values().length + 1; // 0 = offered

    private final Ticker ticker;
    private final long start;
    private final int seconds;
    private final AtomicLongArray counts;
    private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
    private final List<Tick> ticks = new CopyOnWriteArrayList<>();

    /** Starts the run's clock now; counts per second up to {@code seconds}. */
    Recorder(Ticker ticker, int seconds) {
        this.ticker = ticker;
        this.start = ticker.read();
        this.seconds = seconds;
        this.counts = new AtomicLongArray(seconds * PRIORITIES * KINDS);
    }

    /** Nanoseconds since the run started. */
    long elapsed() {
        return ticker.read() - start;
    }

    /** Counts a request sent now; returns its send time. */
    long sent(Priority priority) {
        long now = elapsed();
        add(now, priority, 0);
        return now;
    }

    /** Records a request that ended now. */
    void done(long sentNanos, Priority priority, boolean abuser, Result result) {
        long now = elapsed();
        samples.add(new Sample(sentNanos, now - sentNanos, priority, abuser, result));
        add(now, priority, 1 + result.ordinal());
    }

    /** Records the end-of-second state. */
    void tick(Tick tick) {
        ticks.add(tick);
    }

    /** Requests of {@code priority} sent in second {@code second}. */
    long offered(int second, Priority priority) {
        return get(second, priority, 0);
    }

    /** Requests of {@code priority} that ended in second {@code second} with {@code result}. */
    long ended(int second, Priority priority, Result result) {
        return get(second, priority, 1 + result.ordinal());
    }

    /** Every request recorded so far. */
    List<Sample> samples() {
        return new ArrayList<>(samples);
    }

    /** Every tick so far, in order. */
    List<Tick> ticks() {
        return List.copyOf(ticks);
    }

    private void add(long nanos, Priority priority, int kind) {
        int second = (int) (nanos / 1_000_000_000L);
        if (second >= 0 && second < seconds) {
            counts.incrementAndGet(index(second, priority, kind));
        }
    }

    private long get(int second, Priority priority, int kind) {
        return second >= 0 && second < seconds ? counts.get(index(second, priority, kind)) : 0;
    }

    private static int index(int second, Priority priority, int kind) {
        return (second * PRIORITIES + priority.ordinal()) * KINDS + kind;
    }
}
