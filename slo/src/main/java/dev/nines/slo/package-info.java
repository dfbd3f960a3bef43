/**
 * Service level objectives in the process. An {@link dev.nines.slo.Slo} (an availability or latency
 * SLI, an objective, a window, burn-rate alerts) counts the one final event per request of the
 * metrics SPI, routed by an {@link dev.nines.slo.SloRegistry}; {@link dev.nines.slo.SloStatus} gives
 * its error budget and burn rates. {@link dev.nines.slo.SloHealth}, {@link dev.nines.slo.SloPrometheusText}
 * and {@link dev.nines.slo.PrometheusRules} expose them; {@link dev.nines.slo.BudgetProtection}
 * favours an SLO while it burns fast; {@link dev.nines.slo.Availability} is the arithmetic of
 * availability (series and parallel composition, allowed downtime, error budgets in requests).
 */
package dev.nines.slo;
