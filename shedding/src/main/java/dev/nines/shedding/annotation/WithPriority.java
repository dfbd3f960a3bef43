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
 * The shedder is looked up by name in the proxy's {@link dev.nines.annotation.PolicyRegistry}; if
 * none is registered, one with default settings is created and registered under that name, so all
 * methods naming it share it. The priority is also put in the call context, where the shedder and
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

    /** The name of the shedder that admits the call. */
    String shedder() default "default";
}
