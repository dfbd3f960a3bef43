/**
 * Timeouts that stop the work, and deadlines that travel in the {@link dev.nines.CallContext}.
 *
 * <p>Types: {@link dev.nines.timeout.Timeout} (the policy), {@link dev.nines.timeout.TimeoutBuilder}
 * (its validating builder), {@link dev.nines.timeout.TimeoutConfig} (its settings, every default
 * visible) and {@link dev.nines.timeout.TimeoutExceededException} (a
 * {@link dev.nines.RejectedCallException}).
 * Placed before a retry in a pipeline it bounds the whole call; placed after it, each attempt.
 *
 * <table>
 *   <caption>Metrics (kind {@code timeout})</caption>
 *   <tr><th>name</th><th>what</th><th>unit</th></tr>
 *   <tr><td>outcome SUCCESS / FAILURE</td><td>the work ended in time</td><td>ns</td></tr>
 *   <tr><td>outcome TIMED_OUT</td><td>the limit passed first (0 when the deadline had already passed)</td>
 *       <td>ns</td></tr>
 *   <tr><td>outcome IGNORED</td><td>the caller cancelled an async call before it ended</td><td>ns</td></tr>
 * </table>
 */
package dev.nines.timeout;
