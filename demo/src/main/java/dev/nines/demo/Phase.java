package dev.nines.demo;

/**
 * One stretch of the game-day script.
 *
 * @param name      what happens, as shown on the console and in the report
 * @param startNanos when it starts, from the start of the run
 * @param endNanos   when it ends
 * @param load       legitimate load as a multiple of the normal rate
 * @param abuse      whether the abusive client is sending
 * @param catalog    what the catalog dependency is doing
 */
record Phase(String name, long startNanos, long endNanos, double load, boolean abuse, Downstream.Condition catalog) {

    /** Whether {@code nanos} since the start of the run falls in this phase. */
    boolean contains(long nanos) {
        return nanos >= startNanos && nanos < endNanos;
    }
}
