/** Concurrency-limit algorithms, separate from admission: {@link dev.nines.shedding.limit.ConcurrencyLimit} and its implementations. */
package dev.nines.shedding.limit;
