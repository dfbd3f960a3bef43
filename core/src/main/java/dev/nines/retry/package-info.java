/**
 * Retry with backoff, jitter and a shared retry budget.
 *
 * <p>Types: {@link dev.nines.retry.RetryPolicy} (the policy and its builder),
 * {@link dev.nines.retry.Backoff} and {@link dev.nines.retry.Jitter} (the wait schedule),
 * {@link dev.nines.retry.RetryBudget} (caps retries to a share of first attempts). A retry that
 * gives up rethrows the last failure unchanged; it adds no exception type of its own.
 *
 * <table>
 *   <caption>Metrics (kind {@code retry})</caption>
 *   <tr><th>name</th><th>what</th><th>unit</th></tr>
 *   <tr><td>outcome RETRIED</td><td>one per retry granted</td><td>count (duration 0)</td></tr>
 *   <tr><td>outcome SUCCESS / FAILURE</td><td>the call's end, under the retry policy's name</td>
 *       <td>ns, first attempt to end</td></tr>
 *   <tr><td>outcome REJECTED</td><td>a retry the budget refused, under the budget's name</td>
 *       <td>count (duration 0)</td></tr>
 *   <tr><td>gauge {@code available_retries}</td><td>whole retries saved in a budget</td><td>retries</td></tr>
 * </table>
 */
package dev.nines.retry;
