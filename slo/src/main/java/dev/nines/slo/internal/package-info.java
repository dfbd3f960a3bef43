/**
 * Internals of nines-slo (not exported): {@link dev.nines.slo.internal.RollingWindow}, the fixed
 * ring of time buckets that counts good and total events.
 */
package dev.nines.slo.internal;
