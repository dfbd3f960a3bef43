package dev.nines.annotation;

import dev.nines.Policy;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Named policy instances shared between annotated methods, proxies and web filters.
 *
 * <p>Register a fully configured policy under a name and every annotation naming it uses that
 * instance: {@code @WithCircuitBreaker(name = "payments")} on two methods of two interfaces trips one
 * breaker. An annotation whose name is not registered builds a policy from its own attributes and
 * registers it, so the next one with that name shares it; a name already holding a policy of
 * another type is an error. A name for a policy an annotation cannot configure (a shedder, a retry
 * budget) only refers: it must be registered unless the annotation asks for creation
 * ({@link AnnotatedMethod#registered}). An annotation without a name uses the instance registered under its
 * method's default name ({@code PaymentClient.charge}) if there is one of the annotation's type,
 * and otherwise gets its own, unregistered: a breaker registered under {@code PaymentClient.charge}
 * overrides that method's {@code @WithCircuitBreaker} and leaves its {@code @WithRetry} alone. One name
 * holds one policy, so to override two kinds on one method, give the annotations explicit names.
 * {@link AnnotatedMethod#policy} is that rule, for every handler. Thread-safe.
 */
public final class PolicyRegistry {

    private final Map<String, Policy> policies = new ConcurrentHashMap<>();

    /** An empty registry. */
    public PolicyRegistry() {
    }

    /** Registers {@code policy} under its own {@link Policy#name()}. Fails if the name is taken. */
    public PolicyRegistry register(Policy policy) {
        Objects.requireNonNull(policy, "policy");
        Policy previous = policies.putIfAbsent(policy.name(), policy);
        if (previous != null && previous != policy) {
            throw new IllegalArgumentException("a policy named '" + policy.name() + "' is already registered: "
                    + previous);
        }
        return this;
    }

    /**
     * The policy registered under {@code name} if it is a {@code type}; empty if the name is free
     * or holds a policy of another type. Use {@link #getOrCreate} where a mismatch is an error.
     */
    public <P extends Policy> Optional<P> find(String name, Class<P> type) {
        Policy p = policies.get(Objects.requireNonNull(name, "name"));
        Objects.requireNonNull(type, "type");
        return type.isInstance(p) ? Optional.of(type.cast(p)) : Optional.empty();
    }

    /**
     * The policy registered under {@code name}, or the one {@code factory} builds, registered
     * atomically so that concurrent callers get the same instance.
     *
     * @throws IllegalArgumentException if {@code name} holds a policy of another type
     */
    public <P extends Policy> P getOrCreate(String name, Class<P> type, Supplier<? extends P> factory) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(factory, "factory");
        Policy p = policies.computeIfAbsent(name, n -> Objects.requireNonNull(factory.get(), "factory result"));
        return checkType(name, type, p);
    }

    /**
     * The names that hold a policy of {@code type} right now, sorted; for error messages that say
     * what a misspelt name could have meant.
     */
    public List<String> names(Class<? extends Policy> type) {
        Objects.requireNonNull(type, "type");
        return policies.entrySet().stream().filter(e -> type.isInstance(e.getValue())).map(Map.Entry::getKey)
                .sorted().toList();
    }

    private static <P extends Policy> P checkType(String name, Class<P> type, Policy p) {
        if (!type.isInstance(p)) {
            throw new IllegalArgumentException("policy '" + name + "' is a " + p.getClass().getSimpleName()
                    + ", not a " + type.getSimpleName());
        }
        return type.cast(p);
    }

    @Override
    public String toString() {
        return "PolicyRegistry" + policies.keySet();
    }
}
