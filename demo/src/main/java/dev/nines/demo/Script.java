package dev.nines.demo;

import java.util.ArrayList;
import java.util.List;

/** The phases of one game-day run, back to back. Immutable. */
final class Script {

    private final List<Phase> phases;

    private Script(List<Phase> phases) {
        this.phases = List.copyOf(phases);
    }

    /** The phases in order. */
    List<Phase> phases() {
        return phases;
    }

    /** How long the script lasts. */
    long lengthNanos() {
        return phases.get(phases.size() - 1).endNanos();
    }

    /** The phase at {@code nanos} since the start; the last one after the end. */
    Phase at(long nanos) {
        for (Phase p : phases) {
            if (p.contains(nanos)) {
                return p;
            }
        }
        return phases.get(phases.size() - 1);
    }

    /** Builds a script by dividing a length between phases in proportion to their weights. */
    static final class Builder {
        private record Step(String name, double weight, double load, boolean abuse, Downstream.Condition catalog) {
        }

        private final List<Step> steps = new ArrayList<>();

        Builder phase(String name, double weight, double load, boolean abuse, Downstream.Condition catalog) {
            steps.add(new Step(name, weight, load, abuse, catalog));
            return this;
        }

        Script build(long lengthNanos) {
            double total = steps.stream().mapToDouble(Step::weight).sum();
            List<Phase> phases = new ArrayList<>();
            double at = 0;
            for (Step s : steps) {
                long start = Math.round(lengthNanos * at / total);
                at += s.weight();
                long end = Math.round(lengthNanos * at / total);
                phases.add(new Phase(s.name(), start, end, s.load(), s.abuse(), s.catalog()));
            }
            return new Script(phases);
        }
    }
}
