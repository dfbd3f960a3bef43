package dev.nines.simulator;

/** What stands in front of the simulated service. Immutable and thread-safe, as every enum. */
public enum Mode {
    /** A {@link dev.nines.shedding.LoadShedder} with the adaptive {@link dev.nines.shedding.limit.GradientLimit}. */
    ADAPTIVE,
    /** A {@link dev.nines.shedding.LoadShedder} with a plain fixed limit. */
    FIXED,
    /** No shedding: every request is queued at the service. */
    NONE
}
