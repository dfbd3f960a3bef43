/**
 * Bulkheads: limits on concurrent calls to one dependency.
 *
 * <p>Types: {@link dev.nines.bulkhead.SemaphoreBulkhead} (on the caller's threads, optional wait),
 * {@link dev.nines.bulkhead.ThreadPoolBulkhead} (own bounded pool and queue, returns a
 * {@link java.util.concurrent.CompletionStage}) and {@link dev.nines.bulkhead.BulkheadFullException}
 * (a {@link dev.nines.RejectedCallException}). Each bulkhead has the one family shape: a
 * validating top-level builder ({@link dev.nines.bulkhead.SemaphoreBulkheadBuilder},
 * {@link dev.nines.bulkhead.ThreadPoolBulkheadBuilder}) and an immutable config read through
 * {@code config()} ({@link dev.nines.bulkhead.SemaphoreBulkheadConfig},
 * {@link dev.nines.bulkhead.ThreadPoolBulkheadConfig}).
 *
 * <table>
 *   <caption>Metrics (kind {@code bulkhead})</caption>
 *   <tr><th>name</th><th>what</th><th>unit</th></tr>
 *   <tr><td>outcome SUCCESS / FAILURE</td><td>a call that held a permit (or ran on the pool) ended;
 *       reported only when a sink is configured</td><td>ns</td></tr>
 *   <tr><td>outcome IGNORED</td><td>semaphore bulkhead: the caller cancelled an async call, whose
 *       permit came back uncounted</td><td>ns</td></tr>
 *   <tr><td>outcome REJECTED</td><td>no permit, or pool and queue full</td><td>count (duration 0)</td></tr>
 *   <tr><td>gauge {@code in_flight}</td><td>calls holding a permit / running on the pool</td><td>calls</td></tr>
 *   <tr><td>gauge {@code available_permits}</td><td>semaphore bulkhead: permits free</td><td>permits</td></tr>
 *   <tr><td>gauge {@code queue_depth}</td><td>thread-pool bulkhead: calls waiting for a thread</td><td>calls</td></tr>
 * </table>
 */
package dev.nines.bulkhead;
