package dev.nines.shedding.annotation;

import dev.nines.annotation.PolicyAnnotation;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives a method (or every method of a type) a request priority and admits it through a named
 * {@link dev.nines.shedding.LoadShedder}:
 *
 * <pre>{@code
 * import static dev.nines.Priority.*;
 *
 * interface Shop {
 *     @WithPriority(P0) Receipt checkout(Cart cart);
 *     @WithPriority(value = P3, shedder = "api") List<Item> recommendations(User user);
 * }
 * }</pre>
 *
 * The shedder is looked up by name in the proxy's {@link dev.nines.annotation.PolicyRegistry}. A
 * shedder cannot be configured here, so a name only refers: a name that is not registered fails
 * at proxy or filter creation, naming the method, {@code shedder}, the name and the shedders that
 * are registered, so a misspelt {@code "apii"} is caught instead of quietly getting a second
 * shedder with default settings. Two names create a default shedder when none is registered and
 * register it, so all methods naming it share it: the implicit {@link #DEFAULT_SHEDDER}
 * ({@code @WithPriority(P0)}), and any name with {@link #createShedder()} set. The priority is also put in the call context, where the shedder and
 * inner policies read it. Placed at {@link dev.nines.annotation.PipelineOrder#PRIORITY}. An
 * annotation is an immutable value; the proxies built from it are thread-safe.
 */
@Documented
@PolicyAnnotation
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface WithPriority {

    /** The request priority. */
    dev.nines.Priority value();

    /** The name of the shedder used when {@link #shedder()} is not given: {@value}. Created with defaults if not registered. */
    String DEFAULT_SHEDDER = "default";

    /** The name of a {@link dev.nines.shedding.LoadShedder} registered in the registry, which admits the call. */
    String shedder() default DEFAULT_SHEDDER;

    /**
     * Whether a {@link #shedder()} that is not registered is created with default settings (and
     * registered, to be shared) instead of failing proxy or filter creation. Default false.
     */
    boolean createShedder() default false;
}
