package dev.nines.spring.boot.autoconfigure.internal;

import dev.nines.Policy;
import dev.nines.metrics.MetricsSink;
import dev.nines.retry.RetryBudget;
import dev.nines.spring.boot.autoconfigure.AdaptiveThrottleProperties;
import dev.nines.spring.boot.autoconfigure.AdaptiveThrottleProperties.AdaptiveThrottleSettings;
import dev.nines.spring.boot.autoconfigure.BulkheadProperties;
import dev.nines.spring.boot.autoconfigure.BulkheadProperties.BulkheadSettings;
import dev.nines.spring.boot.autoconfigure.CircuitBreakerProperties;
import dev.nines.spring.boot.autoconfigure.CircuitBreakerProperties.CircuitBreakerSettings;
import dev.nines.spring.boot.autoconfigure.FleetRateLimiterProperties;
import dev.nines.spring.boot.autoconfigure.FleetRateLimiterProperties.FleetRateLimiterSettings;
import dev.nines.spring.boot.autoconfigure.KeyedRateLimiterProperties;
import dev.nines.spring.boot.autoconfigure.KeyedRateLimiterProperties.KeyedRateLimiterSettings;
import dev.nines.spring.boot.autoconfigure.LoadShedderProperties;
import dev.nines.spring.boot.autoconfigure.LoadShedderProperties.LoadShedderSettings;
import dev.nines.spring.boot.autoconfigure.RateLimiterProperties;
import dev.nines.spring.boot.autoconfigure.RateLimiterProperties.RateLimiterSettings;
import dev.nines.spring.boot.autoconfigure.RetryBudgetProperties;
import dev.nines.spring.boot.autoconfigure.RetryBudgetProperties.RetryBudgetSettings;
import dev.nines.spring.boot.autoconfigure.RetryProperties;
import dev.nines.spring.boot.autoconfigure.RetryProperties.RetrySettings;
import dev.nines.spring.boot.autoconfigure.ThreadPoolBulkheadProperties;
import dev.nines.spring.boot.autoconfigure.ThreadPoolBulkheadProperties.ThreadPoolBulkheadSettings;
import dev.nines.spring.boot.autoconfigure.TimeoutProperties;
import dev.nines.spring.boot.autoconfigure.TimeoutProperties.TimeoutSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.core.env.Environment;

/**
 * Builds the policies the {@code nines.*} configuration of an {@link Environment} describes: binds
 * each section (failing on unknown keys), merges every instance over the section's defaults and
 * builds it with its nines builder. The one place where configuration becomes policies, so a
 * reload can call {@link #build(Environment, String, String, Map)} again for one instance. Every
 * invalid instance is reported at once, by property path and value, in one
 * {@link NinesConfigurationException}. Immutable and thread-safe.
 */
public final class PolicyFactory {

    /** The action printed under a configuration failure. */
    static final String ACTION = "Correct the nines.* properties named above (units and ranges are in the"
            + " property descriptions of your IDE and in the nines README, section Spring Boot).";

    /** The section of the fleet limiters, which needs nines-redis. */
    static final String FLEET = "nines.fleet-rate-limiter";

    private final MetricsSink metrics;
    private final Supplier<Object> redisConnection;
    private final List<Section<?, ?>> sections;
    private final boolean fleet;

    /**
     * A factory whose policies report to {@code metrics}.
     *
     * @param metrics the sink every configured policy reports to, or {@code null} for the
     *                builders' default ({@link dev.nines.metrics.Metrics#getDefault()})
     */
    public PolicyFactory(MetricsSink metrics) {
        this(metrics, null);
    }

    /**
     * A factory whose policies report to {@code metrics}, with the fleet limiters of
     * {@code nines.fleet-rate-limiter} on {@code redisConnection} (nines-redis and Lettuce must be
     * on the class path).
     *
     * @param metrics         the sink, or {@code null} for the builders' default
     * @param redisConnection supplies the application's Lettuce connection (or {@code null} when it
     *                        has none), asked for when the first fleet limiter is built; {@code null}
     *                        when nines-redis is absent
     */
    public PolicyFactory(MetricsSink metrics, Supplier<Object> redisConnection) {
        this.metrics = metrics;
        this.redisConnection = redisConnection;
        List<Section<?, ?>> all = new ArrayList<>(List.of(
                new Section<>("nines.retry-budget", RetryBudgetProperties.class, RetryBudgetSettings.class,
                        RetryBudgetProperties::getDefaults, RetryBudgetProperties::getInstances, s -> false,
                        (n, s, b) -> PolicyBuilders.retryBudget(n, s, metrics)),
                new Section<>("nines.circuit-breaker", CircuitBreakerProperties.class, CircuitBreakerSettings.class,
                        CircuitBreakerProperties::getDefaults, CircuitBreakerProperties::getInstances,
                        s -> Boolean.TRUE.equals(s.getCritical()),
                        (n, s, b) -> PolicyBuilders.circuitBreaker(n, s, metrics)),
                new Section<>("nines.retry", RetryProperties.class, RetrySettings.class,
                        RetryProperties::getDefaults, RetryProperties::getInstances, s -> false,
                        (n, s, b) -> PolicyBuilders.retry(n, s, metrics, b)),
                new Section<>("nines.timeout", TimeoutProperties.class, TimeoutSettings.class,
                        TimeoutProperties::getDefaults, TimeoutProperties::getInstances, s -> false,
                        (n, s, b) -> PolicyBuilders.timeout(n, s, metrics)),
                new Section<>("nines.bulkhead", BulkheadProperties.class, BulkheadSettings.class,
                        BulkheadProperties::getDefaults, BulkheadProperties::getInstances, s -> false,
                        (n, s, b) -> PolicyBuilders.bulkhead(n, s, metrics)),
                new Section<>("nines.thread-pool-bulkhead", ThreadPoolBulkheadProperties.class,
                        ThreadPoolBulkheadSettings.class, ThreadPoolBulkheadProperties::getDefaults,
                        ThreadPoolBulkheadProperties::getInstances, s -> false,
                        (n, s, b) -> PolicyBuilders.threadPoolBulkhead(n, s, metrics)),
                new Section<>("nines.rate-limiter", RateLimiterProperties.class, RateLimiterSettings.class,
                        RateLimiterProperties::getDefaults, RateLimiterProperties::getInstances, s -> false,
                        (n, s, b) -> PolicyBuilders.rateLimiter(n, s, metrics)),
                new Section<>("nines.keyed-rate-limiter", KeyedRateLimiterProperties.class,
                        KeyedRateLimiterSettings.class, KeyedRateLimiterProperties::getDefaults,
                        KeyedRateLimiterProperties::getInstances, s -> false,
                        (n, s, b) -> PolicyBuilders.keyedRateLimiter(n, s, metrics)),
                new Section<>("nines.load-shedder", LoadShedderProperties.class, LoadShedderSettings.class,
                        LoadShedderProperties::getDefaults, LoadShedderProperties::getInstances,
                        s -> Boolean.TRUE.equals(s.getCritical()),
                        (n, s, b) -> ShedderBuilder.loadShedder(n, s, metrics)),
                new Section<>("nines.adaptive-throttle", AdaptiveThrottleProperties.class,
                        AdaptiveThrottleSettings.class, AdaptiveThrottleProperties::getDefaults,
                        AdaptiveThrottleProperties::getInstances, s -> false,
                        (n, s, b) -> PolicyBuilders.adaptiveThrottle(n, s, metrics))));
        if (redisConnection != null) {
            all.add(new Section<>(FLEET, FleetRateLimiterProperties.class, FleetRateLimiterSettings.class,
                    FleetRateLimiterProperties::getDefaults, FleetRateLimiterProperties::getInstances,
                    s -> Boolean.TRUE.equals(s.getCritical()),
                    (n, s, b) -> FleetBuilders.fleet(n, s, metrics, redisConnection.get())));
        }
        this.sections = List.copyOf(all);
        this.fleet = redisConnection != null;
    }

    /**
     * The same factory reporting nowhere ({@link MetricsSink#noop()}): for policies built only to
     * check a configuration, which must not register gauges under the names of running ones.
     */
    public PolicyFactory validating() {
        return new PolicyFactory(MetricsSink.noop(), redisConnection);
    }

    /** The sink the policies report to, or null for the builders' default. */
    public MetricsSink metrics() {
        return metrics;
    }

    /**
     * Builds every configured instance.
     *
     * @throws NinesConfigurationException listing every invalid instance setting by path and value
     * @throws org.springframework.boot.context.properties.bind.BindException for an unknown key or a
     *     value of the wrong type (Spring Boot's startup report names the property and its origin)
     */
    public ConfiguredPolicies build(Environment environment) {
        Binder binder = Binder.get(environment);
        List<String> problems = new ArrayList<>();
        Map<String, Policy> policies = new LinkedHashMap<>();
        Set<String> critical = new LinkedHashSet<>();
        Map<String, RetryBudget> budgets = new LinkedHashMap<>();
        for (Section<?, ?> section : sections) {
            section.buildAll(binder, budgets, problems, policies, critical);
        }
        if (!fleet && binder.bind(FLEET, Bindable.mapOf(String.class, Object.class)).isBound()) {
            problems.add(FLEET + ": needs nines-redis and Lettuce on the class path but was configured without them");
        }
        if (!problems.isEmpty()) {
            ConfiguredPolicies.closeAll(policies.values());
            throw new NinesConfigurationException("nines configuration", problems, ACTION);
        }
        return new ConfiguredPolicies(List.copyOf(policies.values()), critical);
    }

    /**
     * Builds one instance again from the environment as it is now, for a reload.
     *
     * @param prefix  the section, such as {@code nines.circuit-breaker}
     * @param name    the instance's name
     * @param budgets the running retry budgets by name, which a retry's {@code budget} names
     * @return the new policy, or {@code null} if the section has no such instance any more
     * @throws NinesConfigurationException if the instance's settings are invalid
     */
    public Policy build(Environment environment, String prefix, String name, Map<String, RetryBudget> budgets) {
        Binder binder = Binder.get(environment);
        List<String> problems = new ArrayList<>();
        for (Section<?, ?> section : sections) {
            if (section.prefix().equals(prefix)) {
                Policy p = section.buildOne(binder, name, new LinkedHashMap<>(budgets), problems);
                if (!problems.isEmpty()) {
                    throw new NinesConfigurationException("nines configuration", problems, ACTION);
                }
                return p;
            }
        }
        throw new IllegalArgumentException("prefix must be a nines policy section but was " + prefix);
    }

    /**
     * The configuration of every instance as written, before defaults are merged: for each policy
     * name, its section with the section's {@code defaults} and its own entries. Two equal
     * fingerprints mean the instance's settings did not change, so a reload leaves it alone.
     */
    public Map<String, Object> fingerprints(Environment environment) {
        Binder binder = Binder.get(environment);
        Map<String, Object> fingerprints = new LinkedHashMap<>();
        for (Section<?, ?> section : sections) {
            Map<String, Object> raw = binder.bind(section.prefix(), Bindable.mapOf(String.class, Object.class))
                    .orElse(Map.of());
            if (raw.get("instances") instanceof Map<?, ?> instances) {
                for (Map.Entry<?, ?> instance : instances.entrySet()) {
                    fingerprints.put(String.valueOf(instance.getKey()),
                            Arrays.asList(section.prefix(), raw.get("defaults"), instance.getValue()));
                }
            }
        }
        return fingerprints;
    }

    /** The section an instance's fingerprint came from: {@code nines.circuit-breaker}. */
    public static String section(Object fingerprint) {
        return String.valueOf(((List<?>) fingerprint).get(0));
    }

    /** A builder call that may throw the builder's {@link IllegalArgumentException}. */
    @FunctionalInterface
    private interface Build<S> {
        Policy build(String name, S settings, Map<String, RetryBudget> budgets);
    }

    /** One {@code nines.<kind>} section: how to bind it and build its instances. */
    private record Section<P, S>(String prefix, Class<P> type, Class<S> settingsType, Function<P, S> defaults,
            Function<P, Map<String, S>> instances, Predicate<S> critical, Build<S> builder) {

        P bind(Binder binder) {
            return binder.bindOrCreate(prefix, Bindable.of(type), new NoUnboundElementsBindHandler(BindHandler.DEFAULT));
        }

        void buildAll(Binder binder, Map<String, RetryBudget> budgets, List<String> problems,
                Map<String, Policy> into, Set<String> criticalNames) {
            P bound = bind(binder);
            for (Map.Entry<String, S> instance : instances.apply(bound).entrySet()) {
                MergedSettings<S> merged = MergedSettings.of(settingsType, defaults.apply(bound), instance.getValue(),
                        prefix, instance.getKey());
                Policy p = build(instance.getKey(), merged, budgets, problems);
                if (p == null) {
                    continue;
                }
                Policy previous = into.putIfAbsent(p.name(), p);
                if (previous != null) {
                    problems.add(merged.instancePath() + ": must be a name no other nines section uses but was '"
                            + p.name() + "', also a " + previous.getClass().getSimpleName());
                    ConfiguredPolicies.closeAll(List.of(p));
                    continue;
                }
                if (p instanceof RetryBudget budget) {
                    budgets.put(p.name(), budget);
                }
                if (critical.test(merged.settings())) {
                    criticalNames.add(p.name());
                }
            }
        }

        Policy buildOne(Binder binder, String name, Map<String, RetryBudget> budgets, List<String> problems) {
            P bound = bind(binder);
            S own = instances.apply(bound).get(name);
            if (own == null) {
                return null;
            }
            return build(name, MergedSettings.of(settingsType, defaults.apply(bound), own, prefix, name), budgets,
                    problems);
        }

        private Policy build(String name, MergedSettings<S> merged, Map<String, RetryBudget> budgets,
                List<String> problems) {
            try {
                return builder.build(name, merged.settings(), budgets);
            } catch (IllegalArgumentException e) {
                problems.addAll(merged.problems(e));
                return null;
            }
        }
    }
}
