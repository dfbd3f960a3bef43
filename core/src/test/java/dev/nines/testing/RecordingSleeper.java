package dev.nines.testing;

import dev.nines.ManualTicker;
import dev.nines.Sleeper;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link Sleeper} for tests: records each wait it is asked for and returns at once, so a test can
 * assert on backoffs and rate-limit waits without waiting. Made with a {@link ManualTicker}, it also
 * advances that ticker by each wait, as if the time had passed; made without one, time stands still.
 * {@link #interruptSleeps} makes it behave as a sleeping thread that is interrupted.
 *
 * <p>Thread-safe: many threads may sleep on it at once; {@link #sleeps()} is a concurrent list.
 */
public final class RecordingSleeper implements Sleeper {

    private final ManualTicker ticker;
    private final List<Long> sleeps = new CopyOnWriteArrayList<>();
    private volatile boolean interrupting;

    /** A sleeper that records waits and lets no time pass. */
    public RecordingSleeper() {
        this.ticker = null;
    }

    /** A sleeper that records waits and advances {@code ticker} by each. */
    public RecordingSleeper(ManualTicker ticker) {
        this.ticker = ticker;
    }

    /**
     * Records {@code nanos} and advances the ticker (if any) by it. Throws
     * {@link InterruptedException} without recording if the thread is already interrupted (clearing
     * the flag, as {@link Thread#sleep} does), and after recording while {@link #interruptSleeps} is on.
     */
    @Override
    public void sleep(long nanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        sleeps.add(nanos);
        if (interrupting) {
            throw new InterruptedException("sleep interrupted by the test");
        }
        if (ticker != null) {
            ticker.advance(nanos);
        }
    }

    /**
     * While {@code on}, every sleep records its wait, then throws {@link InterruptedException}
     * (without advancing the ticker): the sleeper's thread was interrupted while asleep.
     */
    public void interruptSleeps(boolean on) {
        this.interrupting = on;
    }

    /** The waits asked for so far, in nanoseconds, oldest first; the test may clear it. */
    public List<Long> sleeps() {
        return sleeps;
    }
}
