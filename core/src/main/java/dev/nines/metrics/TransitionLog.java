package dev.nines.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The recent state transitions an {@link InMemoryMetrics} keeps: at most {@code capacity}, the
 * oldest dropped first, queried oldest first. Thread-safe; under concurrent adds the bound may be
 * passed for a moment, never for long.
 */
final class TransitionLog {

    private final int capacity;
    private final ConcurrentLinkedDeque<Transition> transitions = new ConcurrentLinkedDeque<>();
    private final AtomicInteger count = new AtomicInteger();

    TransitionLog(int capacity) {
        this.capacity = capacity;
    }

    void add(Transition transition) {
        transitions.addLast(transition);
        if (count.incrementAndGet() > capacity) {
            transitions.pollFirst();
            count.decrementAndGet();
        }
    }

    /** Every kept transition. */
    List<Transition> all() {
        return List.copyOf(transitions);
    }

    /** The kept transitions of every policy named {@code policy}, of any kind. */
    List<Transition> of(String policy) {
        List<Transition> result = new ArrayList<>();
        for (Transition t : transitions) {
            if (t.policy().equals(policy)) {
                result.add(t);
            }
        }
        return result;
    }

    /** The kept transitions of the {@code kind} policy named {@code policy}. */
    List<Transition> of(String policy, String kind) {
        List<Transition> result = new ArrayList<>();
        for (Transition t : transitions) {
            if (t.policy().equals(policy) && t.kind().equals(kind)) {
                result.add(t);
            }
        }
        return result;
    }

    void clear() {
        transitions.clear();
        count.set(0);
    }
}
