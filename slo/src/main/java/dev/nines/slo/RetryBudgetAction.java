package dev.nines.slo;

import dev.nines.annotation.PolicyRegistry;
import dev.nines.retry.RetryBudget;
import dev.nines.retry.RetryBudgetConfig;
import java.util.List;

/**
 * Tightens a {@link RetryBudget} while an SLO burns fast: its ratio (and, if given, its per-second
 * floor) is lowered to the rule's value through {@link PolicyRegistry#reconfigure}, never raised,
 * and put back when the burning stops if the budget still has the configuration this action set.
 * Not thread-safe (see {@link ProtectionAction}).
 */
final class RetryBudgetAction extends ProtectionAction {

    /** {@link #floor} when the rule leaves the floor alone. */
    static final int KEEP_FLOOR = -1;

    private final PolicyRegistry registry;
    private final RetryBudget budget;
    private final double ratio;
    private final int floor;
    /** The configuration this action put in force, or null while it owes no restore. */
    private RetryBudgetConfig set;
    private double previousRatio;
    private int previousFloor;

    RetryBudgetAction(String slo, PolicyRegistry registry, RetryBudget budget, double ratio, int floor) {
        super(slo, budget.name());
        this.registry = registry;
        this.budget = budget;
        this.ratio = ratio;
        this.floor = floor;
    }

    /** A rule for one SLO and one budget ({@code floor} null: the floor is kept); checked and bound at build. */
    record Rule(String slo, String budget, double ratio, Integer floor) implements ProtectionAction.Rule {

        @Override
        public ProtectionAction bind(PolicyRegistry registry, List<String> errors) {
            int before = errors.size();
            if (!(ratio >= 0.0 && ratio <= 1000.0)) {
                errors.add("retryRatio for retry budget '" + budget + "' must be in [0.0, 1000.0] but was " + ratio);
            }
            if (floor != null && floor < 0) {
                errors.add("minRetriesPerSecond for retry budget '" + budget + "' must be >= 0 but was " + floor);
            }
            RetryBudget found = find(registry, budget, RetryBudget.class, "retry budget", errors);
            return errors.size() > before ? null : new RetryBudgetAction(slo, registry, found, ratio,
                    floor == null ? KEEP_FLOOR : floor);
        }
    }

    @Override
    String protect() {
        RetryBudgetConfig now = budget.config();
        double r = Math.min(now.retryRatio(), ratio);
        int f = floor == KEEP_FLOOR ? now.minRetriesPerSecond() : Math.min(now.minRetriesPerSecond(), floor);
        if (r == now.retryRatio() && f == now.minRetriesPerSecond()) {
            return "retry budget '" + policy() + "' already at retryRatio " + now.retryRatio()
                    + ", minRetriesPerSecond " + now.minRetriesPerSecond() + ": unchanged";
        }
        PolicyRegistry.Change change = registry.reconfigure(
                budget.toBuilder().retryRatio(r).minRetriesPerSecond(f).build());
        RetryBudgetConfig before = (RetryBudgetConfig) change.previousConfig();
        set = (RetryBudgetConfig) change.newConfig();
        previousRatio = before.retryRatio();
        previousFloor = before.minRetriesPerSecond();
        return "retry budget '" + policy() + "' tightened: " + settings(before) + " -> " + settings(set);
    }

    @Override
    Restored restore() {
        if (set == null) {
            return new Restored("retry budget '" + policy() + "': nothing to undo", false);
        }
        RetryBudgetConfig now = budget.config();
        if (now != set) {
            set = null;
            return new Restored("retry budget '" + policy() + "' was reconfigured by someone else meanwhile; left as it "
                    + "is (" + settings(now) + ")", true);
        }
        registry.reconfigure(budget.toBuilder().retryRatio(previousRatio).minRetriesPerSecond(previousFloor).build());
        set = null;
        return new Restored("retry budget '" + policy() + "' restored: " + settings(now) + " -> "
                + settings(budget.config()), false);
    }

    @Override
    String rule() {
        return "tighten retry budget '" + policy() + "' to retryRatio " + ratio
                + (floor == KEEP_FLOOR ? "" : ", minRetriesPerSecond " + floor);
    }

    private static String settings(RetryBudgetConfig c) {
        return "retryRatio " + c.retryRatio() + ", minRetriesPerSecond " + c.minRetriesPerSecond();
    }
}
