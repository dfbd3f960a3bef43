/**
 * Service level objectives in the process: {@link dev.nines.slo.Slo} (an availability or latency SLI,
 * an objective, a window, burn-rate alerts) fed by the one request event of the metrics SPI through an
 * {@link dev.nines.slo.SloRegistry}, and {@link dev.nines.slo.Availability}, the arithmetic of
 * availability (composition, allowed downtime, error budgets). The rolling windows that count good
 * and total events in bounded memory live in the (unexported) internal package.
 *
 * <p>{@link dev.nines.slo.BudgetProtection} changes policies while an SLO burns fast; its load-shedder
 * rules need {@code dev.nines.shedding}, an optional ({@code static}) dependency.
 */
module dev.nines.slo {
    requires transitive dev.nines.core;
    // only BudgetProtection's load-shedder rules need it, and only when they are used
    requires static dev.nines.shedding;

    exports dev.nines.slo;
}
