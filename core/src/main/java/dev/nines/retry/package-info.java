/**
 * Retry with backoff, jitter and a shared retry budget.
 *
 * <p>Types: {@link dev.nines.retry.Retry} (the policy), {@link dev.nines.retry.RetryBuilder} and
 * {@link dev.nines.retry.RetryConfig} (its builder and settings),
 * {@link dev.nines.retry.Backoff} and {@link dev.nines.retry.Jitter} (the wait schedule),
 * {@link dev.nines.retry.RetryBudget} (caps retries to a share of first attempts; with
 * {@link dev.nines.retry.RetryBudgetBuilder} and {@link dev.nines.retry.RetryBudgetConfig}). A retry that
 * gives up rethrows the last failure unchanged; its only exception of its own is a
 * {@link dev.nines.timeout.TimeoutExceededException} for a call whose deadline leaves too little
 * time for a first attempt.
 *
 * <table>
 *   <caption>Metrics (kind {@code retry})</caption>
 *   <tr><th>name</th><th>what</th><th>unit</th></tr>
 *   <tr><td>outcome RETRIED</td><td>one per retry granted</td><td>count (duration 0)</td></tr>
 *   <tr><td>outcome SUCCESS / FAILURE</td><td>the call's end, under the retry policy's name</td>
 *       <td>ns, first attempt to end</td></tr>
 *   <tr><td>outcome REJECTED</td><td>a retry the budget refused, under the budget's name; a call
 *       not started for lack of time before its deadline, under the retry policy's name</td>
 *       <td>count (duration 0)</td></tr>
 *   <tr><td>gauge {@code available_retries}</td><td>whole retries saved in a budget</td><td>retries</td></tr>
 * </table>
 */
package dev.nines.retry;
