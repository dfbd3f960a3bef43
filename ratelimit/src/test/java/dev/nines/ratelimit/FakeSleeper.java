package dev.nines.ratelimit;

import dev.nines.Sleeper;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records each requested sleep and returns at once, or throws InterruptedException when told to. */
final class FakeSleeper implements Sleeper {
    final List<Long> sleeps = new CopyOnWriteArrayList<>();
    volatile boolean interrupt;

    @Override
    public void sleep(long nanos) throws InterruptedException {
        sleeps.add(nanos);
        if (interrupt) {
            throw new InterruptedException("test");
        }
    }
}
