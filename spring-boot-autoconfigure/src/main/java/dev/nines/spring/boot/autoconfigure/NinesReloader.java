package dev.nines.spring.boot.autoconfigure;

import dev.nines.Policy;
import dev.nines.Reconfigurable;
import dev.nines.annotation.PolicyRegistry;
import dev.nines.retry.RetryBudget;
import dev.nines.spring.boot.autoconfigure.internal.ConfiguredPolicies;
import dev.nines.spring.boot.autoconfigure.internal.NinesConfigurationException;
import dev.nines.spring.boot.autoconfigure.internal.PolicyFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.core.env.Environment;

/**
 * Applies a changed {@code nines.*} configuration to the running policies, keeping their state:
 * a rate limiter its tokens, a breaker its state (each policy's {@code reconfigure} says what it
 * keeps). Spring Cloud's refresh calls {@link #reload()} when a {@code nines.*} key changed (an
 * {@code EnvironmentChangeEvent}); call it yourself after changing the {@link Environment} by other
 * means.
 *
 * <p>A reload first builds and validates the whole configuration as at startup. If anything is
 * invalid (a value out of range, an unknown key), nothing changes and one WARN line names every
 * property and value refused. Otherwise every instance whose settings changed is reconfigured
 * through the {@link PolicyRegistry}, so the annotated methods, endpoint guards and pipelines that
 * use it see the change at once; a new instance is registered; an instance removed from the
 * configuration keeps running as it is until the application restarts. A policy that cannot change
 * at run time (a thread-pool bulkhead, an adaptive throttle, a fleet limiter) or that refuses the
 * change (a setting fixed at build, such as a limiter's number of limits) keeps its configuration,
 * and one WARN line says which and why; the other changes still apply. Thread-safe: reloads run one at a time.
 *
 * <p>The web settings ({@code nines.web.*}: client keys, trusted proxies) and the {@code critical}
 * flags read by health are read at startup only.
 */
public final class NinesReloader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NinesReloader.class);

    private final PolicyFactory factory;
    /** The factory with a no-op sink: checks the whole configuration without touching any gauge. */
    private final PolicyFactory validator;
    private final PolicyRegistry registry;
    private final Environment environment;
    /** What each running instance was last configured from; guarded by this. */
    private final Map<String, Object> running;
    /** Instances this reloader registered, closed with it; guarded by this. */
    private final List<Policy> added = new ArrayList<>();

    NinesReloader(PolicyFactory factory, PolicyRegistry registry, Environment environment) {
        this.factory = Objects.requireNonNull(factory, "factory");
        this.validator = factory.validating();
        this.registry = Objects.requireNonNull(registry, "registry");
        this.environment = Objects.requireNonNull(environment, "environment");
        this.running = new HashMap<>(factory.fingerprints(environment));
    }

    /**
     * What a reload did.
     *
     * @param reconfigured the instances that took their new settings
     * @param added        the instances new in the configuration, now registered
     * @param refused      one line per change that was not applied: the property path or instance
     *                     and the reason; when the configuration was invalid, its problems (and
     *                     nothing else changed)
     */
    public record Result(List<String> reconfigured, List<String> added, List<String> refused) {

        /** Copies the lists. */
        public Result {
            reconfigured = List.copyOf(reconfigured);
            added = List.copyOf(added);
            refused = List.copyOf(refused);
        }

        /** Whether nothing was refused. */
        public boolean applied() {
            return refused.isEmpty();
        }
    }

    /**
     * Reads {@code nines.*} from the environment as it is now and applies what changed.
     *
     * @return what changed and what was refused; never throws for a bad configuration
     */
    public synchronized Result reload() {
        Map<String, Object> now;
        ConfiguredPolicies checked;
        try {
            now = factory.fingerprints(environment);
            checked = validator.build(environment); // reports nowhere: only the changed are built for real
        } catch (NinesConfigurationException e) {
            return invalid(e.problems());
        } catch (BindException e) {
            return invalid(List.of(e.getMessage() + (e.getCause() == null ? "" : ": " + e.getCause().getMessage())));
        }
        List<String> reconfigured = new ArrayList<>();
        List<String> registered = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        List<Policy> unused = new ArrayList<>(checked.policies());
        for (Policy p : checked.policies()) {
            String name = p.name();
            Object settings = now.get(name);
            Optional<Policy> current = registry.find(name, Policy.class);
            if (current.isPresent() && Objects.equals(running.get(name), settings)) {
                continue; // unchanged
            }
            if (current.isPresent()
                    && (!(current.get() instanceof Reconfigurable<?>) || current.get().getClass() != p.getClass())) {
                refused.add(path(settings, name) + ": a " + current.get().getClass().getSimpleName()
                        + " cannot change at run time; restart the application to apply");
                continue;
            }
            // built for real (with the sink) only now; a retry gets the running budget its settings name
            Policy built = factory.build(environment, PolicyFactory.section(settings), name, runningBudgets());
            if (current.isEmpty()) {
                registry.register(built);
                added.add(built);
                registered.add(name);
                running.put(name, settings);
                continue;
            }
            try {
                registry.reconfigure(built); // the running policy takes its gauges back
                reconfigured.add(name);
                running.put(name, settings);
            } catch (IllegalArgumentException e) {
                refused.add(path(settings, name) + ": " + e.getMessage());
            }
            unused.add(built);
        }
        for (String gone : Set.copyOf(running.keySet())) {
            if (!now.containsKey(gone)) {
                running.remove(gone);
                LOG.info("nines: '{}' was removed from the configuration; it keeps running as it is until the"
                        + " application restarts", gone);
            }
        }
        new ConfiguredPolicies(unused, Set.of()).close();
        if (!refused.isEmpty()) {
            LOG.warn("nines: kept the running configuration of {}", String.join("; ", refused));
        }
        if (!reconfigured.isEmpty() || !registered.isEmpty()) {
            LOG.info("nines: configuration reloaded: reconfigured {}, added {}", reconfigured, registered);
        }
        return new Result(reconfigured, registered, refused);
    }

    /** The registered retry budgets by name, which the retries being rebuilt share. */
    private Map<String, RetryBudget> runningBudgets() {
        Map<String, RetryBudget> budgets = new HashMap<>();
        for (String name : registry.names(RetryBudget.class)) {
            registry.find(name, RetryBudget.class).ifPresent(b -> budgets.put(name, b));
        }
        return budgets;
    }

    private static Result invalid(List<String> problems) {
        LOG.warn("nines: refused the changed configuration and kept the running one: {}", String.join("; ", problems));
        return new Result(List.of(), List.of(), problems);
    }

    private static String path(Object settings, String name) {
        return settings == null ? name : PolicyFactory.section(settings) + ".instances." + name;
    }

    /** Closes the instances a reload added (those holding threads); the startup ones close with the context. */
    @Override
    public synchronized void close() {
        new ConfiguredPolicies(added, Set.of()).close();
        added.clear();
    }
}
