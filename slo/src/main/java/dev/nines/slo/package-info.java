/**
 * Service level objectives: {@link dev.nines.slo.Availability}, the arithmetic of availability
 * (series and parallel composition, allowed downtime, error budgets in requests).
 */
package dev.nines.slo;
