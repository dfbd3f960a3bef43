package dev.nines.slo;

import dev.nines.Policy;
import dev.nines.annotation.PolicyRegistry;
import java.util.List;
import java.util.Optional;

/**
 * One protective change of one policy on behalf of one SLO, made by {@link BudgetProtection}:
 * {@link #protect()} puts it in force when the SLO starts burning fast, {@link #restore()} undoes it
 * when the burning stops, unless someone else changed the policy meanwhile. Not thread-safe: its
 * {@code BudgetProtection} calls it under its own lock, one transition at a time.
 */
abstract class ProtectionAction {

    private final String slo;
    private final String policy;
    /** Whether the change is in force (or its restore failed and is still owed). */
    private boolean protecting;

    ProtectionAction(String slo, String policy) {
        this.slo = slo;
        this.policy = policy;
    }

    /** A rule as given to the builder, checked and bound to its policy by {@link BudgetProtection.Builder#build()}. */
    interface Rule {

        /** The SLO it protects. */
        String slo();

        /**
         * Finds the policy and checks the settings, adding a sentence to {@code errors} for each problem.
         *
         * @return the action, or null if it added errors
         */
        ProtectionAction bind(PolicyRegistry registry, List<String> errors);
    }

    /** What {@link #restore()} did: a sentence for the log, and whether a change was left in place. */
    record Restored(String description, boolean leftAlone) {
    }

    /** The SLO whose fast burn triggers this action. */
    final String slo() {
        return slo;
    }

    /** The policy it changes. */
    final String policy() {
        return policy;
    }

    /** The name its transitions are reported under: {@code slo/policy}. */
    final String name() {
        return slo + "/" + policy;
    }

    final boolean protecting() {
        return protecting;
    }

    final void protecting(boolean value) {
        protecting = value;
    }

    /**
     * Applies the change, or finds the policy already at least as protective.
     *
     * @return what it did, for the log
     * @throws RuntimeException if the policy refuses the change; then nothing changed
     */
    abstract String protect();

    /**
     * Undoes what {@link #protect()} changed, where the policy still has what it set; where someone
     * changed it meanwhile, leaves it as it is.
     *
     * @throws RuntimeException if the policy refuses the old settings; what was not undone is still
     *     owed, and the next restore tries again
     */
    abstract Restored restore();

    /**
     * The policy registered under {@code name} if it is a {@code type}; otherwise null, with a sentence
     * in {@code errors} naming what the name holds or, if nothing, the names of that type registered.
     */
    static <P extends Policy> P find(PolicyRegistry registry, String name, Class<P> type, String kind,
            List<String> errors) {
        Optional<P> found = registry.find(name, type);
        if (found.isPresent()) {
            return found.get();
        }
        Optional<Policy> other = registry.find(name, Policy.class);
        if (other.isPresent()) {
            errors.add("policy '" + name + "' is a " + other.get().getClass().getSimpleName() + ", not a "
                    + type.getSimpleName());
        } else {
            errors.add("no policy named '" + name + "' is registered; " + kind + "s registered: "
                    + registry.names(type));
        }
        return null;
    }

    /** Describes the rule, for {@link BudgetProtection#toString()}. */
    abstract String rule();
}
