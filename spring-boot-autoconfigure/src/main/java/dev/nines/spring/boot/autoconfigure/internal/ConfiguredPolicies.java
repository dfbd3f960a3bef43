package dev.nines.spring.boot.autoconfigure.internal;

import dev.nines.Policy;
import dev.nines.annotation.PolicyRegistry;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policies built from {@code nines.*} at startup, with the names marked critical for
 * readiness. Registers them in a {@link PolicyRegistry} and closes those that hold threads (a
 * thread-pool bulkhead) when the application context closes. Immutable and thread-safe.
 *
 * @param policies every configured instance, budgets first
 * @param critical the names of the instances marked {@code critical: true}
 */
public record ConfiguredPolicies(List<Policy> policies, Set<String> critical) implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredPolicies.class);

    /** Copies both collections. */
    public ConfiguredPolicies {
        policies = List.copyOf(policies);
        critical = Set.copyOf(critical);
    }

    /** Registers every policy in {@code registry} under its name; fails if a name is taken. */
    public void registerInto(PolicyRegistry registry) {
        for (Policy p : policies) {
            registry.register(p);
        }
    }

    /** The policies of {@code type} whose names are marked critical. */
    public <P extends Policy> List<P> critical(Class<P> type) {
        return policies.stream().filter(type::isInstance).filter(p -> critical.contains(p.name())).map(type::cast)
                .toList();
    }

    @Override
    public void close() {
        closeAll(policies);
    }

    static void closeAll(Collection<? extends Policy> policies) {
        for (Policy p : policies) {
            if (p instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LOG.warn("closing nines policy {} failed", p.name(), e);
                }
            }
        }
    }
}
