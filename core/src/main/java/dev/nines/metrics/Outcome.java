package dev.nines.metrics;

/** How one call ended, as seen by one policy. */
public enum Outcome {
    /** The call ran and succeeded. */
    SUCCESS,
    /** The call ran and failed (an exception or a result classified as failure). */
    FAILURE,
    /** The call ran but its outcome is ignored by the policy's failure classification. */
    IGNORED,
    /** The policy refused to run the call: breaker open, bulkhead full, rate limited. */
    REJECTED,
    /** The call ran past its time limit and was abandoned. */
    TIMED_OUT,
    /** A load shedder dropped the call to protect capacity for more important work. */
    SHED,
    /** An attempt failed and a retry policy will run the call again. */
    RETRIED,
    /** A fallback replaced a failure with a value. */
    FALLBACK
}
