package dev.nines.internal;

import dev.nines.Policy;
import dev.nines.annotation.AnnotatedMethod;
import java.util.function.Supplier;

/**
 * How annotation handlers pick a policy instance: an explicit name is shared through the registry
 * (a registered instance wins, else the built one is registered); without a name, one registered
 * under the method's default name wins, else the method gets its own. Not part of the public API.
 */
public final class Named {

    private Named() {
    }

    /** The instance for {@code name} (empty for none) on {@code method}. */
    public static <P extends Policy> P policy(AnnotatedMethod method, String name, Class<P> type,
            Supplier<? extends P> factory) {
        if (!name.isEmpty()) {
            return method.registry().getOrCreate(name, type, factory);
        }
        return method.registry().find(method.defaultPolicyName(), type).orElseGet(factory);
    }
}
