package dev.nines.shedding.testing;

import dev.nines.ManualTicker;
import dev.nines.Scheduler;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/** A scheduler whose tasks run only when the test advances time through it. Thread-safe. */
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

    /** Advances the ticker, then runs every task now due (those they schedule included), earliest first. */
    public void advance(Duration d) {
        ticker.advance(d);
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
    public long pending() {
        return entries.stream().filter(e -> !e.task().isDone()).count();
    }
}
