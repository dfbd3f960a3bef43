package dev.nines.slo;

import dev.nines.Priority;
import dev.nines.annotation.PolicyRegistry;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.MetricsSink;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spends the error budget wisely: while an SLO burns fast (its state is {@link BurnRateAlert#PAGE
 * page}), changes policies to favour it, and undoes each change when the SLO leaves {@code page}.
 * The changes go through {@link PolicyRegistry#reconfigure}, so the registry's listeners hear of
 * them as of any other reconfiguration.
 *
 * <pre>{@code
 * BudgetProtection protection = BudgetProtection.builder(policies)
 *         .raiseShare("checkout", "api", Priority.P1, 1.0)         // checkout's requests are P1
 *         .forceTier("checkout", "api", Tier.REDUCED)              // and P3 waits
 *         .tightenRetryBudget("checkout", "payments", 0.02)
 *         .build();
 * slos.addListener(protection);                                 // off until added
 * }</pre>
 *
 * <p><b>What the rules do.</b> {@code raiseShare} raises a load shedder's share of a priority to
 * at least the given fraction, and the shares of the more important priorities with it (shares
 * must not grow from P0 to P3). {@code forceTier} forces the shedder to at least a tier (an
 * operator control, not a configuration: {@link dev.nines.shedding.LoadShedder#forceTier}; a tier
 * already forced as far or further is kept). {@code tightenRetryBudget} lowers a retry budget's
 * ratio, and optionally its per-second floor, never raising either. The rules of one SLO for one
 * shedder are one action. Shedder rules need nines-shedding, an optional dependency of this module.
 *
 * <p><b>Restoring without clobbering.</b> When the SLO leaves {@code page}, each action puts back the
 * values it replaced, but only if the policy still has the configuration the action set (compared
 * by identity) or the tier it forced. If anything reconfigured the policy meanwhile (an operator, a
 * configuration reload), that change wins: the action leaves the policy as it is, logs so at WARN,
 * and owes nothing. One residual window remains: a reconfiguration that lands between that check
 * and the restore itself (microseconds) is replaced by the restore; the registry's listeners hear of
 * both, in order. A policy may be protected for one SLO only, so two SLOs cannot undo each other's
 * change; two {@code BudgetProtection}s on one policy are not detected.
 *
 * <p><b>Reporting.</b> Each action that takes effect is reported to the metrics sink as
 * {@code onTransition("slo/policy", "slo_protection", "normal", "protecting")}, and back when it
 * ends, and logged once each way at INFO with the values before and after. An action that fails
 * (its policy refuses the change) is logged at WARN and stays {@code normal}; a restore that fails
 * stays {@code protecting}, and the next time the SLO leaves {@code page} it is tried again. A
 * failure never stops the other actions nor {@link SloRegistry#evaluate()}.
 *
 * <p>Off by default: nothing happens unless it is built and added as a listener of an
 * {@link SloRegistry}. It acts on state changes only: added while an SLO already pages, it acts from
 * that SLO's next entry into {@code page}. The policies must be registered before
 * {@link Builder#build()}. If an SLO is removed from its registry while protected, its changes stay.
 * Thread-safe: state changes are handled one at a time.
 */
public final class BudgetProtection implements SloRegistry.Listener {

    /** The policy kind under which protective actions are reported to the metrics sink. */
    public static final String KIND = "slo_protection";
    /** The state of an action not in force. */
    public static final String NORMAL = "normal";
    /** The state of an action in force. */
    public static final String PROTECTING = "protecting";

    private static final Logger LOG = LoggerFactory.getLogger(BudgetProtection.class);

    private final Map<String, List<ProtectionAction>> bySlo;
    private final MetricsSink transitions;

    private BudgetProtection(Map<String, List<ProtectionAction>> bySlo, MetricsSink transitions) {
        this.bySlo = bySlo;
        this.transitions = transitions;
    }

    /** Starts a protection whose rules name policies registered in {@code policies}. */
    public static Builder builder(PolicyRegistry policies) {
        return new Builder(Objects.requireNonNull(policies, "policies"));
    }

    /**
     * Puts the SLO's actions in force when it enters {@code page}, and restores them when it leaves
     * {@code page}; any other change (such as {@code ok} to {@code ticket}) does nothing.
     */
    @Override
    public synchronized void onStateChange(SloStatus status, String from, String to) {
        boolean paging = BurnRateAlert.PAGE.equals(to);
        if (paging == BurnRateAlert.PAGE.equals(from)) {
            return;
        }
        for (ProtectionAction a : bySlo.getOrDefault(status.name(), List.of())) {
            if (paging) {
                protect(a, status);
            } else {
                restore(a, status, to);
            }
        }
    }

    private void protect(ProtectionAction a, SloStatus status) {
        if (a.protecting()) {
            return; // its last restore failed: the change is still in force
        }
        String did;
        try {
            did = a.protect();
        } catch (RuntimeException e) {
            LOG.warn("nines: SLO '{}' burns fast, but protecting it failed: {}; the others go on", a.slo(), a.rule(), e);
            return;
        }
        a.protecting(true);
        LOG.info("nines: SLO '{}' burns fast ({} of its error budget left): {}", a.slo(),
                percent(status.budgetRemaining()), did);
        transitions.onTransition(a.name(), KIND, NORMAL, PROTECTING);
    }

    private void restore(ProtectionAction a, SloStatus status, String to) {
        if (!a.protecting()) {
            return;
        }
        ProtectionAction.Restored done;
        try {
            done = a.restore();
        } catch (RuntimeException e) {
            LOG.warn("nines: SLO '{}' no longer burns fast ({}), but restoring after '{}' failed; tried again when it "
                    + "next leaves page", a.slo(), to, a.rule(), e);
            return;
        }
        a.protecting(false);
        if (done.leftAlone()) {
            LOG.warn("nines: SLO '{}' no longer burns fast ({}): {}", a.slo(), to, done.description());
        } else {
            LOG.info("nines: SLO '{}' no longer burns fast ({}, {} of its error budget left): {}", a.slo(), to,
                    percent(status.budgetRemaining()), done.description());
        }
        transitions.onTransition(a.name(), KIND, PROTECTING, NORMAL);
    }

    private static String percent(double fraction) {
        return String.format(java.util.Locale.ROOT, "%.1f%%", fraction * 100);
    }

    /** Returns the names of the SLOs this protection acts for. */
    public Set<String> slos() {
        return bySlo.keySet();
    }

    /** Returns the actions in force now, each named {@code slo/policy} as in its transitions. */
    public synchronized List<String> protecting() {
        List<String> names = new ArrayList<>();
        for (List<ProtectionAction> actions : bySlo.values()) {
            for (ProtectionAction a : actions) {
                if (a.protecting()) {
                    names.add(a.name());
                }
            }
        }
        return names;
    }

    @Override
    public String toString() {
        List<String> rules = new ArrayList<>();
        bySlo.forEach((slo, actions) -> actions.forEach(a -> rules.add(slo + ": " + a.rule())));
        return "BudgetProtection" + rules;
    }

    /**
     * Collects the rules of a {@link BudgetProtection}. Setters only store, rejecting {@code null} at
     * once; {@link #build()} checks everything. Not thread-safe.
     */
    public static final class Builder {

        private final PolicyRegistry policies;
        private MetricsSink metrics;
        /** By SLO, kind and policy: the shedder rules of one SLO and one shedder merge into one. */
        private final Map<String, ProtectionAction.Rule> rules = new LinkedHashMap<>();
        private final List<String> problems = new ArrayList<>();

        private Builder(PolicyRegistry policies) {
            this.policies = policies;
        }

        /** Where the actions' transitions go. Default {@link Metrics#getDefault()}, which forwards to the current default. */
        public Builder metrics(MetricsSink metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /**
         * While SLO {@code slo} burns fast, raises the share of {@code priority} in the load shedder
         * registered as {@code shedder} to at least {@code share}, a fraction in (0, 1], and the more
         * important priorities' shares with it. Needs nines-shedding.
         */
        public Builder raiseShare(String slo, String shedder, Priority priority, double share) {
            shedderRule(slo, shedder).raise(Objects.requireNonNull(priority, "priority"), share);
            return this;
        }

        /**
         * While SLO {@code slo} burns fast, forces the load shedder registered as {@code shedder} to at
         * least {@code tier} (not {@code FULL}, which forces nothing). Needs nines-shedding.
         */
        @SuppressWarnings("exports") // nines-shedding is optional: whoever names a tier reads it already
        public Builder forceTier(String slo, String shedder, dev.nines.shedding.Tier tier) {
            shedderRule(slo, shedder).force(Objects.requireNonNull(tier, "tier"));
            return this;
        }

        private ShedderAction.Rule shedderRule(String slo, String shedder) {
            String key = key(slo, "shedder", shedder);
            ShedderAction.Rule rule = (ShedderAction.Rule) rules.get(key);
            if (rule == null) {
                rule = new ShedderAction.Rule(slo, shedder);
                rules.put(key, rule);
            }
            return rule;
        }

        /**
         * While SLO {@code slo} burns fast, lowers the ratio of the retry budget registered as
         * {@code budget} to {@code retryRatio} (in [0, 1000]; a budget already lower keeps its own).
         */
        public Builder tightenRetryBudget(String slo, String budget, double retryRatio) {
            return retry(new RetryBudgetAction.Rule(slo, budget, retryRatio, null));
        }

        /**
         * {@link #tightenRetryBudget(String, String, double)}, and lowers the budget's floor to
         * {@code minRetriesPerSecond} (&gt;= 0) as well.
         */
        public Builder tightenRetryBudget(String slo, String budget, double retryRatio, int minRetriesPerSecond) {
            return retry(new RetryBudgetAction.Rule(slo, budget, retryRatio, minRetriesPerSecond));
        }

        private Builder retry(RetryBudgetAction.Rule rule) {
            String key = key(rule.slo(), "retry", rule.budget());
            if (rules.putIfAbsent(key, rule) != null) {
                problems.add("retry budget '" + rule.budget() + "' is tightened twice for SLO '" + rule.slo() + "'");
            }
            return this;
        }

        private static String key(String slo, String kind, String policy) {
            return Objects.requireNonNull(slo, "slo") + '\n' + kind + '\n' + Objects.requireNonNull(policy, "policy");
        }

        /**
         * Checks every rule and binds it to its registered policy.
         *
         * @throws IllegalArgumentException listing every problem: no rule at all, a blank SLO name, a
         *     policy name not registered (the names of its kind listed) or holding a policy of another
         *     kind, a share outside (0, 1], a tier of {@code FULL}, a ratio outside [0, 1000], a
         *     negative floor, a rule given twice, a policy protected for two SLOs
         */
        public BudgetProtection build() {
            List<String> errors = new ArrayList<>(problems);
            if (rules.isEmpty()) {
                errors.add("no rule: add raiseShare, forceTier or tightenRetryBudget");
            }
            Map<String, List<ProtectionAction>> bySlo = new LinkedHashMap<>();
            Map<String, String> sloOfPolicy = new HashMap<>();
            for (ProtectionAction.Rule rule : rules.values()) {
                if (rule.slo().isBlank()) {
                    errors.add("slo must not be blank but was '" + rule.slo() + "'");
                }
                ProtectionAction action = rule.bind(policies, errors);
                if (action == null) {
                    continue;
                }
                String other = sloOfPolicy.putIfAbsent(action.policy(), action.slo());
                if (other != null && !other.equals(action.slo())) {
                    errors.add("policy '" + action.policy() + "' is protected for SLO '" + other + "' and for SLO '"
                            + action.slo() + "'; a policy serves one SLO, so that one's restore cannot undo the "
                            + "other's change");
                }
                bySlo.computeIfAbsent(action.slo(), k -> new ArrayList<>()).add(action);
            }
            if (!errors.isEmpty()) {
                throw new IllegalArgumentException("BudgetProtection: " + String.join("; ", errors));
            }
            bySlo.replaceAll((slo, actions) -> List.copyOf(actions));
            return new BudgetProtection(Collections.unmodifiableMap(bySlo),
                    Metrics.guard(metrics == null ? Metrics.getDefault() : metrics));
        }
    }
}
