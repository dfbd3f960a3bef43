package dev.nines.demo;

/**
 * What an endpoint sends back.
 *
 * @param body     the JSON body
 * @param degraded whether a fallback produced it (the response then carries {@code X-Degraded: true})
 */
record Answer(String body, boolean degraded) {
}
