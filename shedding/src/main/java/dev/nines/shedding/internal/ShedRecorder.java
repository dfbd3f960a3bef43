package dev.nines.shedding.internal;

import dev.nines.Priority;
import dev.nines.Ticker;
import dev.nines.metrics.MetricsSink;
import dev.nines.metrics.Outcome;
import dev.nines.metrics.PolicyKinds;
import dev.nines.shedding.ShedException;
import dev.nines.shedding.ShedException.Reason;

/**
 * Records the shedder's rejections (the tier learns the priority is shed, metrics count a
 * {@code SHED} outcome with its priority) and builds their {@link ShedException}s, only where one is
 * thrown or returned.
 *
 * <p>Thread-safe. Recording allocates nothing; an exception is built without a stack trace.
 */
public final class ShedRecorder implements Admission.Rejections {

    private static final String KIND = PolicyKinds.LOAD_SHEDDER;

    private final String name;
    private final TierTracker tiers;
    private final MetricsSink metrics;
    private final Ticker ticker;

    /**
     * @param name    the shedder's name, for metrics and exceptions
     * @param tiers   the tier tracker told of each rejection
     * @param metrics where rejections are counted
     * @param ticker  read when a rejection must change the tier and no reading is at hand
     */
    public ShedRecorder(String name, TierTracker tiers, MetricsSink metrics, Ticker ticker) {
        this.name = name;
        this.tiers = tiers;
        this.metrics = metrics;
        this.ticker = ticker;
    }

    /** Records a rejection (tier and metrics) and builds the exception its caller throws. */
    @Override
    public ShedException shed(Priority priority, Reason reason, long now) {
        record(priority, now);
        return rejection(priority, reason);
    }

    @Override
    public void record(Priority priority, boolean read, long now) {
        if (read) {
            record(priority, now);
        } else {
            record(priority);
        }
    }

    /**
     * Records a rejection with no reading at hand: reads the clock only when the tier does not
     * shed the priority yet and must change. Allocates nothing.
     */
    private void record(Priority priority) {
        if (!tiers.markShed(priority)) {
            tiers.onShed(priority, ticker.read());
        }
        metrics.onOutcome(name, KIND, priority, Outcome.SHED, 0L);
    }

    /** Records a rejection at {@code now}: the tier learns the priority is shed, metrics count it. Allocates nothing. */
    private void record(Priority priority, long now) {
        tiers.onShed(priority, now);
        metrics.onOutcome(name, KIND, priority, Outcome.SHED, 0L);
    }

    /** The exception for a rejection already recorded; built only where it is thrown or returned. */
    public ShedException rejection(Priority priority, Reason reason) {
        return new ShedException(name, priority, tiers.published(), reason);
    }
}
