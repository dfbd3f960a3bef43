package dev.nines.demo;

import dev.nines.Priority;

/**
 * One request of the load generator.
 *
 * @param sentNanos    when it was sent, from the start of the run
 * @param latencyNanos how long until the answer (or the client's timeout)
 * @param priority     the priority of the endpoint it called
 * @param abuser       whether the abusive client sent it
 * @param result       how it ended
 */
record Sample(long sentNanos, long latencyNanos, Priority priority, boolean abuser, Result result) {

    /** When it ended, from the start of the run. */
    long doneNanos() {
        return sentNanos + latencyNanos;
    }
}
