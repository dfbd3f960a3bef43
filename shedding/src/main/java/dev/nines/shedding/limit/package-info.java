/** Limit algorithms, separate from admission: {@link dev.nines.shedding.limit.Limit} and its implementations. */
package dev.nines.shedding.limit;
