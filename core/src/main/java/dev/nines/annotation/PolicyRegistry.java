package dev.nines.annotation;

import dev.nines.Policy;
import dev.nines.Reconfigurable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * {@link AnnotatedMethod#policy} is that rule, for every handler.
 *
 * <p><b>Changing configuration at run time.</b> {@link #reconfigure(Policy)} hands a built policy's
 * configuration to the registered {@link Reconfigurable} policy of the same name, which keeps its
 * state as its own {@code reconfigure} documents; everything that already uses the registered
 * instance (proxies, filters, pipelines) sees the change at once. {@link #addListener} tells of
 * every registration and every change; a listener that throws is logged (once per listener, at
 * WARN) and never breaks the change. Thread-safe: changes through the registry are applied and
 * announced one at a time.
 */
public final class PolicyRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyRegistry.class);

    private final Map<String, Policy> policies = new ConcurrentHashMap<>();
    private final List<GuardedListener> listeners = new CopyOnWriteArrayList<>();
    /** Serializes reconfigurations and their announcements; never held by a call. */
    private final ReentrantLock changing = new ReentrantLock();

    /**
     * Told of what happens in a {@link PolicyRegistry}; both methods default to nothing. Called on
     * the thread that made the change, after it is in force, one change at a time. Must not block
     * for long; an exception it throws is logged and ignored.
     */
    public interface Listener {

        /** {@code policy} was registered, explicitly or created for an annotation. */
        default void onRegistered(Policy policy) {
        }

        /**
         * {@code policy} took {@code newConfig} in place of {@code previousConfig} (the values of its
         * {@code config()} before and after).
         */
        default void onReconfigured(Policy policy, Object previousConfig, Object newConfig) {
        }
    }

    /** Removes the listener it was returned for; closing twice does nothing. */
    public interface Subscription extends AutoCloseable {

        /** Stops the listener being told of later changes. */
        @Override
        void close();
    }

    /**
     * What {@link #reconfigure(Policy)} did.
     *
     * @param policy         the registered policy that changed (not the one given)
     * @param previousConfig its configuration before
     * @param newConfig      its configuration now
     */
    public record Change(Policy policy, Object previousConfig, Object newConfig) {
    }

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
        if (previous == null) {
            announceRegistered(policy);
        }
        return this;
    }

    /**
     * Gives the registered policy named {@code built.name()} the configuration of {@code built}, a
     * policy made by the same builder type for the purpose (typically
     * {@code registered.toBuilder()...build()}), and tells the listeners. {@code built} itself is not
     * registered and is not used afterwards.
     *
     * @return the registered policy with its configuration before and after
     * @throws IllegalArgumentException if no policy has that name (the message lists the names
     *     registered), if the registered one is of another type than {@code built} or cannot be
     *     reconfigured (both types named), or if the policy refuses the configuration (see its
     *     {@code reconfigure}); the registered policy then keeps its configuration
     */
    public Change reconfigure(Policy built) {
        Objects.requireNonNull(built, "built");
        String name = built.name();
        Policy current = policies.get(name);
        if (current == null) {
            throw new IllegalArgumentException("no policy named '" + name + "' is registered; registered: "
                    + policies.keySet().stream().sorted().toList());
        }
        if (current.getClass() != built.getClass() || !(current instanceof Reconfigurable<?> target)) {
            throw new IllegalArgumentException("policy '" + name + "' is a " + current.getClass().getSimpleName()
                    + (current instanceof Reconfigurable<?> ? "" : ", which cannot be reconfigured at run time")
                    + "; given a " + built.getClass().getSimpleName());
        }
        Object next = ((Reconfigurable<?>) built).config();
        changing.lock();
        try {
            Object previous = target.config();
            apply(target, next);
            Change change = new Change(current, previous, target.config());
            for (GuardedListener l : listeners) {
                l.reconfigured(change);
            }
            return change;
        } finally {
            changing.unlock();
        }
    }

    @SuppressWarnings("unchecked") // same class as built, so its config type is the target's
    private static <C> void apply(Reconfigurable<C> target, Object config) {
        target.reconfigure((C) config);
    }

    /**
     * Tells {@code listener} of every later registration and reconfiguration, until the returned
     * subscription is closed. Policies registered before are not announced to it.
     */
    public Subscription addListener(Listener listener) {
        GuardedListener guarded = new GuardedListener(Objects.requireNonNull(listener, "listener"));
        listeners.add(guarded);
        return () -> listeners.remove(guarded);
    }

    private void announceRegistered(Policy policy) {
        if (listeners.isEmpty()) {
            return;
        }
        changing.lock();
        try {
            for (GuardedListener l : listeners) {
                l.registered(policy);
            }
        } finally {
            changing.unlock();
        }
    }

    /** A listener whose exceptions are logged, at WARN the first time and at DEBUG after. */
    private static final class GuardedListener {
        private final Listener delegate;
        private final AtomicBoolean warned = new AtomicBoolean();

        GuardedListener(Listener delegate) {
            this.delegate = delegate;
        }

        void registered(Policy policy) {
            try {
                delegate.onRegistered(policy);
            } catch (RuntimeException e) {
                failed("onRegistered", policy, e);
            }
        }

        void reconfigured(Change c) {
            try {
                delegate.onReconfigured(c.policy(), c.previousConfig(), c.newConfig());
            } catch (RuntimeException e) {
                failed("onReconfigured", c.policy(), e);
            }
        }

        private void failed(String method, Policy policy, RuntimeException e) {
            if (warned.compareAndSet(false, true)) {
                LOG.warn("nines: registry listener {} threw from {} for '{}'; ignored (further failures of this "
                        + "listener are logged at DEBUG)", delegate, method, policy.name(), e);
            } else {
                LOG.debug("nines: registry listener {} threw from {} for '{}'; ignored", delegate, method,
                        policy.name(), e);
            }
        }
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
        boolean[] created = {false};
        Policy p = policies.computeIfAbsent(name, n -> {
            created[0] = true;
            return Objects.requireNonNull(factory.get(), "factory result");
        });
        if (created[0]) {
            announceRegistered(p);
        }
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
