package dev.nines.testing;

import dev.nines.ManualTicker;
import dev.nines.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/** A scheduler whose tasks run only when a test advances its {@link ManualTicker}. Thread-safe. */
public final class ManualScheduler implements Scheduler {

    private record Entry(long due, FutureTask<Void> task) {
    }

    private final ManualTicker ticker;
    private final ConcurrentLinkedQueue<Entry> entries = new ConcurrentLinkedQueue<>();

    public ManualScheduler(ManualTicker ticker) {
        this.ticker = ticker;
    }

    @Override
    public Future<?> schedule(Runnable task, long delayNanos) {
        FutureTask<Void> f = new FutureTask<>(task, null);
        entries.add(new Entry(ticker.read() + Math.max(0, delayNanos), f));
        return f;
    }

    /** Advances time and runs every task now due, in due order, on the calling thread. */
    public void advance(Duration d) {
        ticker.advance(d);
        runDue();
    }

    /** Runs every task due at the current time (tasks they schedule included). */
    public void runDue() {
        while (true) {
            Entry next = null;
            for (Entry e : entries) {
                if (e.due() - ticker.read() <= 0 && (next == null || e.due() < next.due())) {
                    next = e;
                }
            }
            if (next == null || !entries.remove(next)) {
                return;
            }
            next.task().run();
        }
    }

    /** Tasks scheduled and not yet run or cancelled. */
    public int pending() {
        List<Entry> live = new ArrayList<>();
        for (Entry e : entries) {
            if (!e.task().isDone()) {
                live.add(e);
            }
        }
        return live.size();
    }
}
