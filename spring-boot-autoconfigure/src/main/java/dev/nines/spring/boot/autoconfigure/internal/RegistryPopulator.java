package dev.nines.spring.boot.autoconfigure.internal;

import dev.nines.annotation.PolicyRegistry;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Supplier;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Registers the configured policies in each {@link PolicyRegistry} bean as soon as it is
 * initialized, before any other bean can be handed it: so an annotation naming a configured
 * instance always finds it, whether the registry is the auto-configured one or the application's.
 * Thread-safe.
 */
public final class RegistryPopulator implements BeanPostProcessor {

    private final Supplier<ConfiguredPolicies> policies;
    private final Set<PolicyRegistry> done = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    /** @param policies the configured policies, resolved when the first registry is initialized */
    public RegistryPopulator(Supplier<ConfiguredPolicies> policies) {
        this.policies = policies;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof PolicyRegistry registry && done.add(registry)) {
            policies.get().registerInto(registry);
        }
        return bean;
    }
}
