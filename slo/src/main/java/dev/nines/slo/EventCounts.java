package dev.nines.slo;

/**
 * Good and total events, over a window or since an SLO was created.
 *
 * @param good  the events that met the objective
 * @param total all events counted (excluded ones are not events)
 */
public record EventCounts(long good, long total) {

    /** Returns the events that did not meet the objective. */
    public long bad() {
        return total - good;
    }
}
