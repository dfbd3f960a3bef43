package dev.nines.metrics;

/**
 * A state change of one policy, as kept by {@link InMemoryMetrics}.
 *
 * @param policy    the policy's name
 * @param kind      the policy's kind
 * @param fromState the state left
 * @param toState   the state entered
 * @param atNanos   when, as a reading of the sink's ticker
 */
public record Transition(String policy, String kind, String fromState, String toState, long atNanos) {
}
