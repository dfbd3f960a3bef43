package dev.nines.demo;

/** How one request of the load generator ended, as its client saw it. */
enum Result {
    /** 200 with a fresh answer. */
    OK,
    /** 200 with a degraded answer from a fallback (cached, deferred): still served. */
    DEGRADED,
    /** 503 from the load shedder: turned away fast so that more important work gets through. */
    SHED,
    /** 429 from the per-client rate limit. */
    RATE_LIMITED,
    /** Any other error status, or a connection failure. */
    ERROR,
    /** No answer within the client's timeout. */
    TIMEOUT;

    /** Whether the client got a useful answer. */
    boolean served() {
        return this == OK || this == DEGRADED;
    }
}
