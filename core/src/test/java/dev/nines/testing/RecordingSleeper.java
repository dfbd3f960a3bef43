package dev.nines.testing;

import dev.nines.ManualTicker;
import dev.nines.Sleeper;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A sleeper that records each wait and advances a {@link ManualTicker} by it instead of waiting. */
public final class RecordingSleeper implements Sleeper {

    private final ManualTicker ticker;
    private final List<Long> sleeps = new CopyOnWriteArrayList<>();

    public RecordingSleeper(ManualTicker ticker) {
        this.ticker = ticker;
    }

    @Override
    public void sleep(long nanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        sleeps.add(nanos);
        ticker.advance(nanos);
    }

    /** The waits so far, in nanoseconds. */
    public List<Long> sleeps() {
        return sleeps;
    }
}
