package dev.nines.slo;

import dev.nines.Priority;
import dev.nines.annotation.PolicyRegistry;
import dev.nines.shedding.LoadShedder;
import dev.nines.shedding.LoadShedderBuilder;
import dev.nines.shedding.LoadShedderConfig;
import dev.nines.shedding.Tier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Favours an SLO's traffic in a {@link LoadShedder} while the SLO burns fast: raises priorities'
 * shares through {@link PolicyRegistry#reconfigure} and forces a tier, and undoes each when the
 * burning stops if the shedder still has what this action set. The only class of nines-slo that
 * touches nines-shedding (an optional dependency): it is loaded only when a shedder rule is built.
 * Not thread-safe (see {@link ProtectionAction}).
 */
final class ShedderAction extends ProtectionAction {

    private static final Priority[] PRIORITIES = Priority.values();

    private final PolicyRegistry registry;
    private final LoadShedder shedder;
    /** The share each priority is raised to, NaN where the rule names none. */
    private final double[] raise;
    /** The tier to force, or null. */
    private final Tier tier;

    /** The configuration this action put in force, or null while it owes no restore of shares. */
    private LoadShedderConfig set;
    private final double[] previousShares = new double[PRIORITIES.length];
    /** Whether this action forced {@link #tier} and owes the restore of {@link #previousForced}. */
    private boolean forced;
    private Optional<Tier> previousForced = Optional.empty();

    ShedderAction(String slo, PolicyRegistry registry, LoadShedder shedder, double[] raise, Tier tier) {
        super(slo, shedder.name());
        this.registry = registry;
        this.shedder = shedder;
        this.raise = raise.clone();
        this.tier = tier;
    }

    /** The shedder rules of one SLO and one shedder, merged; checked and bound at build. */
    static final class Rule implements ProtectionAction.Rule {
        private final String slo;
        private final String shedder;
        private final double[] raise = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        private Tier tier;
        private final List<String> problems = new ArrayList<>();

        Rule(String slo, String shedder) {
            this.slo = slo;
            this.shedder = shedder;
        }

        @Override
        public String slo() {
            return slo;
        }

        void raise(Priority priority, double share) {
            if (!Double.isNaN(raise[priority.ordinal()])) {
                problems.add("share of " + priority + " for load shedder '" + shedder + "' and SLO '" + slo
                        + "' is given twice (" + raise[priority.ordinal()] + " and " + share + ")");
            }
            raise[priority.ordinal()] = share;
        }

        void force(Tier t) {
            if (tier != null) {
                problems.add("tier for load shedder '" + shedder + "' and SLO '" + slo + "' is given twice (" + tier
                        + " and " + t + ")");
            }
            tier = t;
        }

        @Override
        public ProtectionAction bind(PolicyRegistry registry, List<String> errors) {
            int before = errors.size();
            errors.addAll(problems);
            for (Priority p : PRIORITIES) {
                double f = raise[p.ordinal()];
                if (!Double.isNaN(raise[p.ordinal()]) && !(f > 0.0 && f <= 1.0)) {
                    errors.add("share of " + p + " for load shedder '" + shedder + "' must be a fraction in (0, 1] but was "
                            + f);
                }
            }
            if (tier == Tier.FULL) {
                errors.add("tier for load shedder '" + shedder + "' must shed something (REDUCED, ESSENTIAL or "
                        + "CRITICAL_ONLY) but was FULL");
            }
            LoadShedder found = find(registry, shedder, LoadShedder.class, "load shedder", errors);
            return errors.size() > before ? null : new ShedderAction(slo, registry, found, raise, tier);
        }
    }

    @Override
    String protect() {
        List<String> did = new ArrayList<>();
        protectShares(did);
        if (tier != null) { // after the shares, which may be refused: then nothing changed
            Optional<Tier> before = shedder.forcedTier();
            if (before.isPresent() && before.get().ordinal() >= tier.ordinal()) {
                did.add("forced tier already " + before.get() + ": unchanged");
            } else {
                shedder.forceTier(tier);
                forced = true;
                previousForced = before;
                did.add("forced tier " + tier + " (was " + before.map(Tier::name).orElse("none") + ")");
            }
        }
        return "load shedder '" + policy() + "': " + String.join("; ", did);
    }

    /** Raises each share to at least its target, and the shares of the more important priorities with it. */
    private void protectShares(List<String> did) {
        if (!raisesShares()) {
            return;
        }
        LoadShedderConfig now = shedder.config();
        double[] target = new double[PRIORITIES.length];
        boolean changes = false;
        for (Priority p : PRIORITIES) {
            target[p.ordinal()] = now.share(p);
        }
        for (Priority p : PRIORITIES) {
            double f = raise[p.ordinal()];
            if (Double.isNaN(f)) {
                continue;
            }
            for (int q = 0; q <= p.ordinal(); q++) { // shares must not grow from P0 to P3
                if (target[q] < f) {
                    target[q] = f;
                    changes = true;
                }
            }
        }
        if (!changes) {
            did.add("shares already " + shares(now) + ": unchanged");
            return;
        }
        LoadShedderBuilder b = shedder.toBuilder();
        for (Priority p : PRIORITIES) {
            b.share(p, target[p.ordinal()]);
        }
        PolicyRegistry.Change change = registry.reconfigure(b.build());
        LoadShedderConfig before = (LoadShedderConfig) change.previousConfig();
        set = (LoadShedderConfig) change.newConfig();
        for (Priority p : PRIORITIES) {
            previousShares[p.ordinal()] = before.share(p);
        }
        did.add("shares " + shares(before) + " -> " + shares(set));
    }

    @Override
    Restored restore() {
        List<String> did = new ArrayList<>();
        boolean leftAlone = false;
        if (forced) { // first: it cannot fail, and the shares' restore may
            Optional<Tier> now = shedder.forcedTier();
            forced = false;
            if (now.equals(Optional.of(tier))) {
                previousForced.ifPresentOrElse(shedder::forceTier, shedder::clearForcedTier);
                did.add("forced tier " + tier + " -> " + previousForced.map(Tier::name).orElse("none"));
            } else {
                leftAlone = true;
                did.add("forced tier changed by someone else meanwhile, left as it is ("
                        + now.map(Tier::name).orElse("none") + ")");
            }
        }
        if (set != null) {
            LoadShedderConfig now = shedder.config();
            if (now != set) {
                leftAlone = true;
                set = null;
                did.add("reconfigured by someone else meanwhile, shares left as they are (" + shares(now) + ")");
            } else {
                LoadShedderBuilder b = shedder.toBuilder();
                for (Priority p : PRIORITIES) {
                    b.share(p, previousShares[p.ordinal()]);
                }
                registry.reconfigure(b.build());
                set = null;
                did.add("shares " + shares(now) + " -> " + shares(shedder.config()));
            }
        }
        return new Restored("load shedder '" + policy() + "': "
                + (did.isEmpty() ? "nothing to undo" : String.join("; ", did)), leftAlone);
    }

    @Override
    String rule() {
        List<String> parts = new ArrayList<>();
        for (Priority p : PRIORITIES) {
            if (!Double.isNaN(raise[p.ordinal()])) {
                parts.add("raise share of " + p + " to " + raise[p.ordinal()]);
            }
        }
        if (tier != null) {
            parts.add("force tier " + tier);
        }
        return "load shedder '" + policy() + "': " + String.join(", ", parts);
    }

    private boolean raisesShares() {
        for (double f : raise) {
            if (!Double.isNaN(f)) {
                return true;
            }
        }
        return false;
    }

    private static String shares(LoadShedderConfig c) {
        StringBuilder s = new StringBuilder("[");
        for (Priority p : PRIORITIES) {
            s.append(p.ordinal() == 0 ? "" : ", ").append(p).append(' ').append(c.share(p));
        }
        return s.append(']').toString();
    }
}
