package dev.nines.testing;

import dev.nines.ManualTicker;
import dev.nines.Scheduler;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/**
 * A {@link Scheduler} for tests: a task runs only when the test moves time on through
 * {@link #advance}, on the test's own thread, so a policy's timers (a breaker's half-open timer, a
 * timeout's deadline, a shedder's tier hold) fire exactly when the test says and never behind its
 * back. Give the same {@link ManualTicker} to the policy, so that its clock and its timers agree.
 *
 * <p>Tasks due at the same time run in the order they were scheduled; a task scheduled by a running
 * task runs in the same {@code advance} if it is due by then. Due times are compared as differences,
 * so a ticker near {@code Long.MAX_VALUE} or negative works as well as one at zero.
 *
 * <p>Thread-safe: any thread may schedule; a task runs on the thread that calls {@code advance} or
 * {@link #runDue}, and two threads running due tasks at once each run different tasks.
 */
public final class ManualScheduler implements Scheduler {

    private record Entry(long due, FutureTask<Void> task) {
    }

    private final ManualTicker ticker;
    private final ConcurrentLinkedQueue<Entry> entries = new ConcurrentLinkedQueue<>();

    /** A scheduler on {@code ticker}: tasks come due as it moves. */
    public ManualScheduler(ManualTicker ticker) {
        this.ticker = ticker;
    }

    /** Queues {@code task} to run once the ticker has moved {@code delayNanos} (negative as 0) past now. */
    @Override
    public Future<?> schedule(Runnable task, long delayNanos) {
        FutureTask<Void> f = new FutureTask<>(task, null);
        entries.add(new Entry(ticker.read() + Math.max(0, delayNanos), f));
        return f;
    }

    /** Advances the ticker by {@code d}, then runs every task now due, earliest first, on this thread. */
    public void advance(Duration d) {
        ticker.advance(d);
        runDue();
    }

    /** Runs every task due at the current time (those they schedule included), earliest first. */
    public void runDue() {
        while (true) {
            Entry next = null;
            long now = ticker.read();
            for (Entry e : entries) {
                if (e.due() - now <= 0 && (next == null || e.due() - next.due() < 0)) {
                    next = e;
                }
            }
            if (next == null || !entries.remove(next)) {
                return;
            }
            next.task().run();
        }
    }

    /** Tasks scheduled and neither run nor cancelled. */
    public int pending() {
        int live = 0;
        for (Entry e : entries) {
            if (!e.task().isDone()) {
                live++;
            }
        }
        return live;
    }
}
