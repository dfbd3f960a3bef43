package dev.nines.internal;

import dev.nines.Priority;
import dev.nines.metrics.Outcome;
import dev.nines.metrics.PolicyKinds;

/**
 * Emits nines' JFR events ({@code dev.nines.Rejection}, {@code dev.nines.Transition},
 * {@code dev.nines.TierChange}) from the sink layer every policy reports through. Each method
 * checks that its event is enabled before it reads or builds anything, so with no recording (or
 * the events left disabled, their default) a call costs a comparison and a flag read. Not part of
 * the public API.
 */
public final class NinesEvents {

    private NinesEvents() {
    }

    /** A policy's outcome: emits a rejection event for {@code REJECTED} and {@code SHED}. */
    public static void outcome(String policy, String kind, Priority priority, Outcome outcome) {
        if (outcome != Outcome.REJECTED && outcome != Outcome.SHED) {
            return;
        }
        RejectionEvent e = new RejectionEvent();
        if (e.shouldCommit()) {
            e.policy = policy;
            e.kind = kind;
            e.outcome = outcome.name();
            e.priority = priority == null ? null : priority.name();
            e.commit();
        }
    }

    /** A state change: a tier change event for a load shedder, a transition event for the rest. */
    public static void transition(String policy, String kind, String fromState, String toState) {
        if (PolicyKinds.LOAD_SHEDDER.equals(kind)) {
            TierChangeEvent e = new TierChangeEvent();
            if (e.shouldCommit()) {
                e.policy = policy;
                e.fromTier = fromState;
                e.toTier = toState;
                e.commit();
            }
        } else {
            TransitionEvent e = new TransitionEvent();
            if (e.shouldCommit()) {
                e.policy = policy;
                e.kind = kind;
                e.fromState = fromState;
                e.toState = toState;
                e.commit();
            }
        }
    }
}
